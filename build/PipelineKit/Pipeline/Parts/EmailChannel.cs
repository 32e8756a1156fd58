namespace PipelineKit.Pipeline.Parts;

using Amazon.CDK.AWS.SNS;
using Amazon.CDK.AWS.SNS.Subscriptions;
using PipelineKit.Configuration;

/// <summary>notifications.emails: each address is subscribed to the topic (SNS asks it to confirm first).</summary>
internal sealed class EmailChannel : NotificationChannel
{
    public override void Subscribe(PipelineConfig config, ITopic topic)
    {
        foreach (var email in config.Notifications.Emails)
        {
            topic.AddSubscription(new EmailSubscription(email));
        }
    }
}
