using System.Text.Json.Nodes;
using Amazon.CDK.AWS.SNS;
using Constructs;
using PipelineKit.Configuration;
using PipelineKit.Orchestration;
using PipelineKit.Pipeline;
using PipelineKit.Pipeline.Parts;

namespace PipelineKit.Tests.Pipeline;

/// <summary>A notification channel is a class and a registration; what each channel adds to the rule is kept.</summary>
[Collection(SynthesizedPipelinesCollection.Name)]
public sealed class NotificationChannelTests
{
    private const string TeamsChannelArn = "arn:aws:chatbot::123456789012:chat-configuration/microsoft-teams-channel/solo-pipeline";

    [Fact]
    public void Synthesize_WithAnotherChannelRegistered_TheRuleTargetsTheTopicAndEveryChannel_InRegistrationOrder()
    {
        var config = PipelineTemplates.ConfigFor(PipelineTemplates.Single);
        var outputs = FoundationOutputs.FromNames(config, config.Regions.ToDictionary(r => r, r => PipelineTemplates.KeyArn(config, r)), PipelineTemplates.NotificationsKeyArn(config));
        var outDir = Path.Combine(Path.GetTempPath(), "pipelinekit-synth-channels-" + Guid.NewGuid().ToString("N")[..8]);
        try
        {
            var synthesized = PipelineSynthesizer.Synthesize(config, outputs, outDir, [.. Notifications.Channels, new TeamsLikeChannel()]);

            var resources = JsonNode.Parse(synthesized.TemplateBody)!["Resources"]!.AsObject();
            var rule = resources.Single(r => (string?)r.Value!["Type"] == "AWS::CodeStarNotifications::NotificationRule").Value!;
            var targets = rule["Properties"]!["Targets"]!.AsArray();
            Assert.Equal(["SNS", "AWSChatbotSlack", "AWSChatbotMicrosoftTeams"], targets.Select(t => (string)t!["TargetType"]!));
            Assert.Equal(TeamsChannelArn, (string?)targets[2]!["TargetAddress"]);
            Assert.Single(resources, r => (string?)r.Value!["Type"] == "AWS::Chatbot::SlackChannelConfiguration");
        }
        finally
        {
            if (Directory.Exists(outDir)) Directory.Delete(outDir, recursive: true);
        }
    }

    /// <summary>Stands in for a channel the kit does not have yet: it only adds a rule target.</summary>
    private sealed class TeamsLikeChannel : NotificationChannel
    {
        public override void Connect(Construct scope, PipelineConfig config, ITopic topic, NotificationTargets targets) =>
            targets.Add("AWSChatbotMicrosoftTeams", TeamsChannelArn);
    }
}
