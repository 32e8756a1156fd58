namespace PipelineKit.Pipeline.Parts;

using Amazon.CDK.AWS.Events;
using Amazon.CDK.AWS.IAM;
using Constructs;
using PipelineKit.Configuration;
using PipelineKit.Naming;

/// <summary>
/// Starts the pipeline when a CodeCommit source's branch changes, instead of polling. CodeCommit tells its own account's
/// default bus; from another account the source-account stack forwards those events here (the primary stack lets
/// exactly that account put events on this bus). The rule matches the repository's account, the repository and the
/// branch, and starts this pipeline only, as a role that may do nothing else.
/// https://docs.aws.amazon.com/codepipeline/latest/userguide/pipelines-trigger-source-repo-changes-cfn.html
/// </summary>
internal static class SourceChanges
{
    /// <summary>The rule's ARN, from its fixed name (the role's trust names it).</summary>
    public static string RuleArn(PipelineConfig config) =>
        Partitions.Arn("events", config.Build.Region, config.Build.Account, $"rule/{KitNames.SourceChangedRule(config.Name)}");

    public static string PipelineArn(PipelineConfig config) =>
        Partitions.Arn("codepipeline", config.Build.Region, config.Build.Account, KitNames.Pipeline(config.Name));

    /// <summary>The branch's changes as CodeCommit reports them (created or moved), from the source account only.
    /// https://docs.aws.amazon.com/codecommit/latest/userguide/monitoring-events.html</summary>
    public static Dictionary<string, object> Pattern(PipelineConfig config, CodeCommitSource source) => new()
    {
        ["source"] = new[] { "aws.codecommit" },
        ["detail-type"] = new[] { "CodeCommit Repository State Change" },
        ["account"] = new[] { source.Account },
        ["resources"] = new[] { Partitions.Arn("codecommit", config.Build.Region, source.Account, source.Repository) },
        ["detail"] = new Dictionary<string, object>
        {
            ["event"] = new[] { "referenceCreated", "referenceUpdated" },
            ["referenceType"] = new[] { "branch" },
            ["referenceName"] = new[] { source.Branch },
        },
    };

    public static void Add(Construct scope, PipelineConfig config, CodeCommitSource source)
    {
        var role = new Role(scope, "SourceChangedRole", new RoleProps
        {
            RoleName = KitNames.SourceChangedRole(config.Name),
            AssumedBy = PipelineRoles.ServiceFor("events.amazonaws.com", config.Build.Account, RuleArn(config)),
            Description = $"Starts the {config.Name} pipeline when {source.Repository}'s {source.Branch} changes.",
            InlinePolicies = new Dictionary<string, PolicyDocument>
            {
                ["start-pipeline"] = new(new PolicyDocumentProps
                {
                    Statements =
                    [
                        new PolicyStatement(new PolicyStatementProps
                        {
                            Sid = "StartThisPipeline",
                            Actions = ["codepipeline:StartPipelineExecution"],
                            Resources = [PipelineArn(config)],
                        }),
                    ],
                }),
            },
        });

        _ = new CfnRule(scope, "SourceChangedRule", new CfnRuleProps
        {
            Name = KitNames.SourceChangedRule(config.Name),
            Description = $"{source.Repository}'s {source.Branch} changed in account {source.Account}: start the {config.Name} pipeline.",
            State = "ENABLED",
            EventPattern = Pattern(config, source),
            Targets = new object[]
            {
                new CfnRule.TargetProperty { Id = "Pipeline", Arn = PipelineArn(config), RoleArn = role.RoleArn },
            },
        });
    }
}
