namespace PipelineKit.Pipeline.Parts;

using System.Text.Encodings.Web;
using System.Text.Json;
using Amazon.CDK.AWS.Events;
using Amazon.CDK.AWS.IAM;
using Amazon.CDK.AWS.SNS;
using Constructs;
using PipelineKit.Configuration;
using PipelineKit.Naming;

/// <summary>
/// A failed smoke test (an action named SmokeTest-*) is told to the notification topic. CodeStar Notifications has
/// action events for every action only, so an EventBridge rule picks these out of CodePipeline's "Action Execution
/// State Change" events and publishes one message naming the pipeline, the environment's action and the console links.
/// https://docs.aws.amazon.com/codepipeline/latest/userguide/detect-state-changes-cloudwatch-events.html
/// </summary>
internal static class SmokeTestFailures
{
    /// <summary>What the names of the deploy stages' smoke test actions begin with (SmokeTest-&lt;environment&gt;).</summary>
    public const string ActionPrefix = "SmokeTest-";

    /// <summary>The rule's ARN, built from its fixed name (the topic policy names it before the rule exists).</summary>
    public static string RuleArn(PipelineConfig config) =>
        Partitions.Arn("events", config.Build.Region, config.Build.Account, $"rule/{KitNames.SmokeTestFailedRule(config.Name)}");

    /// <summary>The event pattern: this pipeline's actions whose names start with <see cref="ActionPrefix"/>, state FAILED.</summary>
    public static Dictionary<string, object> Pattern(PipelineConfig config) => new()
    {
        ["source"] = new[] { "aws.codepipeline" },
        ["detail-type"] = new[] { "CodePipeline Action Execution State Change" },
        ["detail"] = new Dictionary<string, object>
        {
            ["pipeline"] = new[] { KitNames.Pipeline(config.Name) },
            ["state"] = new[] { "FAILED" },
            ["action"] = new object[] { new Dictionary<string, object> { ["prefix"] = ActionPrefix } },
        },
    };

    /// <summary>The event fields the message uses (InputPathsMap).</summary>
    public static Dictionary<string, string> InputPaths { get; } = new(StringComparer.Ordinal)
    {
        ["pipeline"] = "$.detail.pipeline",
        ["execution"] = "$.detail.execution-id",
        ["stage"] = "$.detail.stage",
        ["action"] = "$.detail.action",
        ["time"] = "$.time",
    };

    /// <summary>
    /// The message: an AWS Chatbot custom notification, so that the Slack channel subscribed to the same topic posts it
    /// (Chatbot drops plain text it cannot read), and e-mail shows the same fields, links included. The placeholders
    /// are <see cref="InputPaths"/>' keys; EventBridge replaces them inside the JSON strings.
    /// https://docs.aws.amazon.com/chatbot/latest/adminguide/custom-notifs.html
    /// https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-transform-target-input.html
    /// </summary>
    public static string InputTemplate(PipelineConfig config)
    {
        var region = config.Build.Region;
        var console = $"https://{region}.console.aws.amazon.com/codesuite/codepipeline/pipelines/<pipeline>";
        var message = new Dictionary<string, object>
        {
            ["version"] = "1.0",
            ["source"] = "custom",
            ["content"] = new Dictionary<string, object>
            {
                ["textType"] = "client-markdown",
                ["title"] = ":x: Smoke test <action> failed in pipeline <pipeline>",
                ["description"] = "Stage <stage>, execution <execution>, at <time>.\n" +
                                  $"Pipeline: {console}/view?region={region}\n" +
                                  $"Execution: {console}/executions/<execution>/timeline?region={region}",
            },
        };
        // Relaxed escaping keeps the placeholders' angle brackets as they are: EventBridge looks for <name>, not \u003Cname\u003E.
        return JsonSerializer.Serialize(message, new JsonSerializerOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
    }

    /// <summary>The rule, its target (the topic, with the message above), and the topic policy statement that lets
    /// EventBridge publish for this rule only. The topic's key (the primary stack's) lets EventBridge use it through SNS.</summary>
    /// <remarks>The topic policy follows https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-use-resource-based.html#eb-sns-permissions;
    /// no RoleArn on the target: SNS targets are authorized by the topic policy.</remarks>
    public static void Add(Construct scope, PipelineConfig config, ITopic topic)
    {
        _ = new CfnRule(scope, "SmokeTestFailedRule", new CfnRuleProps
        {
            Name = KitNames.SmokeTestFailedRule(config.Name),
            Description = $"A smoke test of the {config.Name} pipeline failed: tell the notification topic.",
            State = "ENABLED",
            EventPattern = Pattern(config),
            Targets = new object[]
            {
                new CfnRule.TargetProperty
                {
                    Id = "Notifications",
                    Arn = topic.TopicArn,
                    InputTransformer = new CfnRule.InputTransformerProperty
                    {
                        InputPathsMap = InputPaths,
                        InputTemplate = InputTemplate(config),
                    },
                },
            },
        });

        topic.AddToResourcePolicy(new PolicyStatement(new PolicyStatementProps
        {
            Sid = "SmokeTestFailedRulePublishes",
            Principals = [new ServicePrincipal("events.amazonaws.com")],
            Actions = ["sns:Publish"],
            Resources = [topic.TopicArn],
            Conditions = new Dictionary<string, object>
            {
                ["ArnEquals"] = new Dictionary<string, object> { ["aws:SourceArn"] = RuleArn(config) },
            },
        }));
    }
}
