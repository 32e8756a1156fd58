namespace PipelineKit.Pipeline.Parts;

using Amazon.CDK.AWS.Chatbot;
using Amazon.CDK.AWS.IAM;
using Amazon.CDK.AWS.SNS;
using Constructs;
using PipelineKit.Configuration;
using PipelineKit.Naming;

/// <summary>
/// notifications.slack: AWS Chatbot posts the topic's messages to the channel. Delivering notifications uses none of
/// the role's permissions: those (capped by the guardrail) serve only commands run from the channel, which this
/// channel does not offer, so the role has no policy and the guardrail denies everything.
/// https://docs.aws.amazon.com/chatbot/latest/adminguide/understanding-permissions.html
/// </summary>
internal sealed class SlackChannel : NotificationChannel
{
    /// <summary>Channel guardrail of the Slack configuration: nothing may be run from the channel; it only receives.</summary>
    public static string GuardrailPolicyArn(string partition) => $"arn:{partition}:iam::aws:policy/AWSDenyAll";

    public override void Connect(Construct scope, PipelineConfig config, ITopic topic, NotificationTargets targets)
    {
        if (config.Notifications.Slack is not { } slack)
        {
            return;
        }

        var role = new Role(scope, "ChatbotRole", new RoleProps
        {
            RoleName = KitNames.ChatbotRole(config.Name),
            AssumedBy = new ServicePrincipal("chatbot.amazonaws.com"),
            Description = $"AWS Chatbot's role for the {config.Name} pipeline's Slack channel; notifications only, no permissions.",
        });

        var channel = new CfnSlackChannelConfiguration(scope, "SlackChannel", new CfnSlackChannelConfigurationProps
        {
            ConfigurationName = KitNames.ChatConfiguration(config.Name),
            IamRoleArn = role.RoleArn,
            SlackWorkspaceId = slack.WorkspaceId,
            SlackChannelId = slack.ChannelId,
            SnsTopicArns = [topic.TopicArn],
            GuardrailPolicies = [GuardrailPolicyArn(config.Partition)],
            UserRoleRequired = false,
            LoggingLevel = "ERROR",
        });

        // The notification rule also targets the channel (Ref is the configuration's ARN).
        targets.Add("AWSChatbotSlack", channel.Ref);
    }
}
