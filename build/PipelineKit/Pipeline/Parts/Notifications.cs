namespace PipelineKit.Pipeline.Parts;

using Amazon.CDK.AWS.Chatbot;
using Amazon.CDK.AWS.CodePipeline;
using Amazon.CDK.AWS.CodeStarNotifications;
using Amazon.CDK.AWS.IAM;
using Amazon.CDK.AWS.KMS;
using Amazon.CDK.AWS.SNS;
using Amazon.CDK.AWS.SNS.Subscriptions;
using Constructs;
using PipelineKit.Configuration;
using PipelineKit.Naming;
using PipelineKit.Orchestration;

/// <summary>The pipeline's notifications: an encrypted topic that the approvals and a notification rule on the
/// pipeline's runs publish to, and the channels that receive them.</summary>
internal sealed class Notifications
{
    /// <summary>Channel guardrail of the Slack configuration: nothing may be run from the channel; it only receives.</summary>
    public const string ChatbotGuardrailPolicyArn = "arn:aws:iam::aws:policy/AWSDenyAll";

    private readonly Construct scope;
    private readonly PipelineConfig config;
    private readonly IKey key;

    public Notifications(Construct scope, PipelineConfig config, FoundationOutputs outputs)
    {
        this.scope = scope;
        this.config = config;
        var name = config.Name;

        // The topic's key is the primary stack's: nothing this stack's roles may do reaches a KMS key.
        key = Key.FromKeyArn(scope, "NotificationsKey", outputs.NotificationsKeyArn);

        Topic = new Topic(scope, "Notifications", new TopicProps
        {
            TopicName = KitNames.NotificationsTopic(name),
            DisplayName = $"{name} pipeline",
            MasterKey = key,
        });
        foreach (var email in config.Notifications.Emails)
        {
            Topic.AddSubscription(new EmailSubscription(email));
        }
    }

    public ITopic Topic { get; }

    /// <summary>The notification rule on <paramref name="pipeline"/>'s runs and approvals; <paramref name="actionsRole"/>
    /// publishes the approval requests.</summary>
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
                PipelineNotificationEvents.MANUAL_APPROVAL_NEEDED,
                PipelineNotificationEvents.MANUAL_APPROVAL_SUCCEEDED,
                PipelineNotificationEvents.MANUAL_APPROVAL_FAILED,
            ],
        });

        if (config.Notifications.Slack is { } slack)
        {
            AddSlack(slack, rule);
        }
    }

    /// <summary>
    /// AWS Chatbot posts the topic's messages to the channel. Delivering notifications uses none of the role's
    /// permissions: those (capped by the guardrail) serve only commands run from the channel, which this channel
    /// does not offer, so the role has no policy and the guardrail denies everything.
    /// https://docs.aws.amazon.com/chatbot/latest/adminguide/understanding-permissions.html
    /// </summary>
    private void AddSlack(SlackSettings slack, INotificationRule rule)
    {
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
            SnsTopicArns = [Topic.TopicArn],
            GuardrailPolicies = [ChatbotGuardrailPolicyArn],
            UserRoleRequired = false,
            LoggingLevel = "ERROR",
        });

        // The notification rule also targets the channel (Ref is the configuration's ARN). The L2 rule takes only
        // targets that implement its interface, which the L1 configuration does not, so its Targets are set whole.
        var cfnRule = (CfnNotificationRule)rule.Node.DefaultChild!;
        cfnRule.AddPropertyOverride("Targets", new object[]
        {
            new Dictionary<string, object> { ["TargetType"] = "SNS", ["TargetAddress"] = Topic.TopicArn },
            new Dictionary<string, object> { ["TargetType"] = "AWSChatbotSlack", ["TargetAddress"] = channel.Ref },
        });
    }
}
