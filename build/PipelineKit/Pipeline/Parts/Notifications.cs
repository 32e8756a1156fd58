namespace PipelineKit.Pipeline.Parts;

using Amazon.CDK.AWS.CodePipeline;
using Amazon.CDK.AWS.CodeStarNotifications;
using Amazon.CDK.AWS.IAM;
using Amazon.CDK.AWS.KMS;
using Amazon.CDK.AWS.SNS;
using Constructs;
using PipelineKit.Configuration;
using PipelineKit.Naming;
using PipelineKit.Orchestration;

/// <summary>The pipeline's notifications: an encrypted topic that the approvals, a notification rule on the
/// pipeline's runs and an EventBridge rule on failed smoke tests publish to, and the channels that deliver them.</summary>
/// <remarks>The notification rule's events are CodeStar Notifications' documented pipeline event types; its messages
/// (DetailType FULL) carry the pipeline's name and execution id in CodeStar's own format, which a rule cannot add
/// text to. The smoke test rule writes its own message, console links included.
/// https://docs.aws.amazon.com/dtconsole/latest/userguide/concepts.html#events-ref-pipeline</remarks>
internal sealed class Notifications
{
    /// <summary>Every kind of channel; each adds nothing unless the configuration names it.</summary>
    public static readonly IReadOnlyList<NotificationChannel> Channels =
    [
        new EmailChannel(),
        new SlackChannel(),
    ];

    private readonly Construct scope;
    private readonly PipelineConfig config;
    private readonly IReadOnlyList<NotificationChannel> channels;
    private readonly IKey key;

    public Notifications(Construct scope, PipelineConfig config, FoundationOutputs outputs, IReadOnlyList<NotificationChannel> channels)
    {
        this.scope = scope;
        this.config = config;
        this.channels = channels;

        // The topic's key is the primary stack's: nothing this stack's roles may do reaches a KMS key.
        key = Key.FromKeyArn(scope, "NotificationsKey", outputs.NotificationsKeyArn);

        Topic = new Topic(scope, "Notifications", new TopicProps
        {
            TopicName = KitNames.NotificationsTopic(config.Name),
            DisplayName = $"{config.Name} pipeline",
            MasterKey = key,
        });
        foreach (var channel in channels)
        {
            channel.Subscribe(config, Topic);
        }
    }

    public ITopic Topic { get; }

    /// <summary>The notification rule on <paramref name="pipeline"/>'s runs and approvals, and the channels' resources;
    /// <paramref name="actionsRole"/> publishes the approval requests.</summary>
    public void Notify(Amazon.CDK.AWS.CodePipeline.Pipeline pipeline, IRole actionsRole)
    {
        // Publishing to the encrypted topic (approval requests) needs the topic key as well.
        key.Grant(actionsRole, "kms:GenerateDataKey*", "kms:Decrypt");

        var rule = pipeline.NotifyOn("PipelineNotifications", Topic, new PipelineNotifyOnOptions
        {
            NotificationRuleName = KitNames.NotificationRule(config.Name),
            DetailType = DetailType.FULL,
            Events =
            [
                PipelineNotificationEvents.PIPELINE_EXECUTION_STARTED,
                PipelineNotificationEvents.PIPELINE_EXECUTION_SUCCEEDED,
                PipelineNotificationEvents.PIPELINE_EXECUTION_FAILED,
                PipelineNotificationEvents.PIPELINE_EXECUTION_CANCELED,
                PipelineNotificationEvents.PIPELINE_EXECUTION_SUPERSEDED,
                PipelineNotificationEvents.PIPELINE_EXECUTION_RESUMED,
                PipelineNotificationEvents.MANUAL_APPROVAL_NEEDED,
                PipelineNotificationEvents.MANUAL_APPROVAL_SUCCEEDED,
                PipelineNotificationEvents.MANUAL_APPROVAL_FAILED,
            ],
        });

        var targets = new NotificationTargets();
        foreach (var channel in channels)
        {
            channel.Connect(scope, config, Topic, targets);
        }

        Target(rule, targets);

        // A failed smoke test has no CodeStar event of its own: an EventBridge rule publishes it to the same topic.
        SmokeTestFailures.Add(scope, config, Topic);
    }

    /// <summary>
    /// The rule targets the topic; the channels' targets are added to it. The L2 rule takes only targets that
    /// implement its interface, which the L1 chat configurations do not, so the rule's Targets are written once, whole:
    /// the topic first, then every channel's target in the order the channels added them.
    /// </summary>
    private void Target(INotificationRule rule, NotificationTargets targets)
    {
        if (targets.Added.Count == 0)
        {
            return;
        }

        (string Type, string Address)[] all = [("SNS", Topic.TopicArn), .. targets.Added];
        var cfnRule = (CfnNotificationRule)rule.Node.DefaultChild!;
        cfnRule.AddPropertyOverride("Targets", all
            .Select(t => (object)new Dictionary<string, object> { ["TargetType"] = t.Type, ["TargetAddress"] = t.Address })
            .ToArray());
    }
}
