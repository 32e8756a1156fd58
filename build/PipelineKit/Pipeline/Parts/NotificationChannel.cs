namespace PipelineKit.Pipeline.Parts;

using Amazon.CDK.AWS.SNS;
using Constructs;
using PipelineKit.Configuration;

/// <summary>
/// One kind of place the pipeline's notifications are delivered to, configured under "notifications" in pipeline.json;
/// a channel that is not configured adds nothing. A new kind is a subclass and a line in
/// <see cref="Notifications.Channels"/>.
/// </summary>
/// <remarks>Two moments, because the template lists resources in the order they are added: a subscription is one of
/// the topic's own resources and is added with it; a channel's own resources come after the rule that targets them.</remarks>
internal abstract class NotificationChannel
{
    /// <summary>As the topic is created: subscriptions to it.</summary>
    public virtual void Subscribe(PipelineConfig config, ITopic topic)
    {
    }

    /// <summary>Once the notification rule on the pipeline exists: the channel's own resources, and the rule targets
    /// it needs besides the topic.</summary>
    public virtual void Connect(Construct scope, PipelineConfig config, ITopic topic, NotificationTargets targets)
    {
    }
}

/// <summary>The notification rule's targets besides its topic. Channels add to them; none replaces another's.</summary>
internal sealed class NotificationTargets
{
    private readonly List<(string Type, string Address)> added = [];

    public IReadOnlyList<(string Type, string Address)> Added => added;

    /// <summary>A target of the rule: its TargetType (as AWS::CodeStarNotifications::NotificationRule Target names
    /// it) and its TargetAddress (an ARN).</summary>
    public void Add(string type, string address) => added.Add((type, address));
}
