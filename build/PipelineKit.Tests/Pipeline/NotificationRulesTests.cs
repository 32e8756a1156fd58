using System.Text.Json.Nodes;
using PipelineKit.Naming;
using PipelineKit.Pipeline.Parts;

namespace PipelineKit.Tests.Pipeline;

/// <summary>What the pipeline tells its notification topic: the CodeStar rule's events, and the EventBridge rule that
/// reports a failed smoke test with the console links, which only that rule may publish.</summary>
[Collection(SynthesizedPipelinesCollection.Name)]
public class NotificationRulesTests(PipelineTemplates templates)
{
    [Theory]
    [MemberData(nameof(PipelineTemplates.Names), MemberType = typeof(PipelineTemplates))]
    public void NotificationRule_CoversTheRunsStartEndingsResumeAndApprovals(string name)
    {
        var rule = templates[name].Resources("AWS::CodeStarNotifications::NotificationRule").Single().Resource["Properties"]!;

        // The documented event type ids: https://docs.aws.amazon.com/dtconsole/latest/userguide/concepts.html#events-ref-pipeline
        Assert.Equal(
            [
                "codepipeline-pipeline-manual-approval-failed",
                "codepipeline-pipeline-manual-approval-needed",
                "codepipeline-pipeline-manual-approval-succeeded",
                "codepipeline-pipeline-pipeline-execution-canceled",
                "codepipeline-pipeline-pipeline-execution-failed",
                "codepipeline-pipeline-pipeline-execution-resumed",
                "codepipeline-pipeline-pipeline-execution-started",
                "codepipeline-pipeline-pipeline-execution-succeeded",
                "codepipeline-pipeline-pipeline-execution-superseded",
            ],
            rule["EventTypeIds"]!.AsArray().Select(e => (string)e!).Order(StringComparer.Ordinal));
        Assert.Equal("FULL", (string?)rule["DetailType"]);
    }

    [Theory]
    [MemberData(nameof(PipelineTemplates.Names), MemberType = typeof(PipelineTemplates))]
    public void SmokeTestRule_MatchesOnlyThisPipelinesFailedSmokeTestActions(string name)
    {
        var synthesized = templates[name];
        var pipeline = $"{synthesized.Config.Name}-pipeline";
        var rule = SmokeTestRule(synthesized);

        Assert.Equal($"{pipeline}-smoke-test-failed", (string?)rule["Name"]);
        Assert.Equal("ENABLED", (string?)rule["State"]);
        var pattern = rule["EventPattern"]!;
        Assert.Equal(["aws.codepipeline"], Strings(pattern["source"]));
        Assert.Equal(["CodePipeline Action Execution State Change"], Strings(pattern["detail-type"]));
        Assert.Equal([pipeline], Strings(pattern["detail"]!["pipeline"]));
        Assert.Equal(["FAILED"], Strings(pattern["detail"]!["state"]));
        Assert.Equal("""[{"prefix":"SmokeTest-"}]""", pattern["detail"]!["action"]!.ToJsonString());
    }

    [Theory]
    [MemberData(nameof(PipelineTemplates.Names), MemberType = typeof(PipelineTemplates))]
    public void SmokeTestRule_PublishesToTheTopic_AMessageWithThePipelineAndItsConsoleLinks(string name)
    {
        var synthesized = templates[name];
        var (region, pipeline) = (synthesized.Config.Build.Region, $"{synthesized.Config.Name}-pipeline");
        var target = Assert.Single(SmokeTestRule(synthesized)["Targets"]!.AsArray())!;
        var topicId = synthesized.Resources("AWS::SNS::Topic").Single().LogicalId;

        Assert.Equal(topicId, (string?)target["Arn"]!["Ref"]);
        // SNS targets are authorized by the topic policy; a RoleArn can make encrypted deliveries fail (EventBridge docs).
        Assert.Null(target["RoleArn"]);
        var transformer = target["InputTransformer"]!;
        Assert.Equal("$.detail.execution-id", (string?)transformer["InputPathsMap"]!["execution"]);
        Assert.Equal("$.detail.pipeline", (string?)transformer["InputPathsMap"]!["pipeline"]);

        // What a subscriber gets for a failed SmokeTest-prod: EventBridge fills in the placeholders, and the result
        // is an AWS Chatbot custom notification (Slack posts it; e-mail shows it as it is).
        var message = JsonNode.Parse(((string)transformer["InputTemplate"]!)
            .Replace("<pipeline>", pipeline, StringComparison.Ordinal).Replace("<execution>", "0f1e2d3c-aaaa-4bbb-8ccc-000011112222", StringComparison.Ordinal)
            .Replace("<stage>", "Deploy-prod", StringComparison.Ordinal).Replace("<action>", "SmokeTest-prod", StringComparison.Ordinal)
            .Replace("<time>", "2026-11-30T17:00:00Z", StringComparison.Ordinal))!;
        Assert.Equal("custom", (string?)message["source"]);
        Assert.Contains($"SmokeTest-prod failed in pipeline {pipeline}", (string)message["content"]!["title"]!, StringComparison.Ordinal);
        var description = (string)message["content"]!["description"]!;
        Assert.Contains($"https://{region}.console.aws.amazon.com/codesuite/codepipeline/pipelines/{pipeline}/view?region={region}", description, StringComparison.Ordinal);
        Assert.Contains($"https://{region}.console.aws.amazon.com/codesuite/codepipeline/pipelines/{pipeline}/executions/0f1e2d3c-aaaa-4bbb-8ccc-000011112222/timeline?region={region}", description, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(PipelineTemplates.Names), MemberType = typeof(PipelineTemplates))]
    public void TopicPolicy_LetsEventBridgePublish_ForTheSmokeTestRuleOnly(string name)
    {
        var synthesized = templates[name];
        var config = synthesized.Config;
        var statements = synthesized.Resources("AWS::SNS::TopicPolicy").Single().Resource["Properties"]!["PolicyDocument"]!["Statement"]!.AsArray();

        var events = Assert.Single(statements, s => (string?)s!["Principal"]!["Service"] == "events.amazonaws.com")!;
        Assert.Equal("sns:Publish", (string?)events["Action"]);
        Assert.Equal($"arn:aws:events:{config.Build.Region}:{config.Build.Account}:rule/{config.Name}-pipeline-smoke-test-failed",
            (string?)events["Condition"]!["ArnEquals"]!["aws:SourceArn"]);
        Assert.Equal(SmokeTestFailures.RuleArn(config), (string?)events["Condition"]!["ArnEquals"]!["aws:SourceArn"]);
    }

    private static JsonNode SmokeTestRule(SynthesizedCase synthesized) =>
        synthesized.Resources("AWS::Events::Rule").Select(r => r.Resource["Properties"]!)
            .Single(p => (string?)p["Name"] == KitNames.SmokeTestFailedRule(synthesized.Config.Name));

    private static string[] Strings(JsonNode? node) => node!.AsArray().Select(n => (string)n!).ToArray();
}
