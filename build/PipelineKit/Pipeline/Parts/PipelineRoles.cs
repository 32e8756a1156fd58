namespace PipelineKit.Pipeline.Parts;

using Amazon.CDK.AWS.IAM;
using Constructs;
using PipelineKit.Configuration;
using PipelineKit.Naming;

/// <summary>The pipeline's roles in the build account: CodePipeline's service role, the role its same-account actions
/// run as, and the build project's role.</summary>
internal sealed class PipelineRoles
{
    public PipelineRoles(Construct scope, PipelineConfig config)
    {
        var name = config.Name;
        var account = config.Build.Account;

        // The target accounts' action roles trust this role by its exact name (and the deployer role), so it is named.
        // CodePipeline sets aws:SourceAccount and aws:SourceArn when it assumes its service role.
        // https://docs.aws.amazon.com/codepipeline/latest/userguide/security-iam.html
        Pipeline = new Role(scope, "PipelineRole", new RoleProps
        {
            RoleName = KitNames.PipelineRole(name),
            AssumedBy = ServiceFor("codepipeline.amazonaws.com", account,
                Partitions.Arn("codepipeline", config.Build.Region, account, KitNames.Pipeline(name))),
            Description = $"CodePipeline service role of the {name} pipeline.",
        });

        // Same-account actions (source, build, approval) run as this role instead of one generated,
        // unnamed role per action.
        Actions = new Role(scope, "PipelineActionsRole", new RoleProps
        {
            RoleName = KitNames.PipelineActionsRole(name),
            AssumedBy = new ArnPrincipal(Pipeline.RoleArn),
            Description = $"Runs the {name} pipeline's source, build and approval actions in the build account.",
        });

        Build = new Role(scope, "BuildRole", new RoleProps
        {
            RoleName = KitNames.BuildRole(name),
            AssumedBy = ServiceFor("codebuild.amazonaws.com", account,
                Partitions.Arn("codebuild", config.Build.Region, account, $"project/{KitNames.BuildProject(name)}")),
            Description = $"CodeBuild service role of the {name} pipeline's build project.",
        });
    }

    /// <summary>CodePipeline's service role.</summary>
    public IRole Pipeline { get; }

    /// <summary>The role the source, build and approval actions run as.</summary>
    public IRole Actions { get; }

    /// <summary>The build project's service role.</summary>
    public IRole Build { get; }

    /// <summary>A service principal whose assumption must come from this account and resource (confused-deputy
    /// protection the service documents).</summary>
    public static ServicePrincipal ServiceFor(string service, string account, string sourceArn) =>
        new(service, new ServicePrincipalOpts
        {
            Conditions = new Dictionary<string, object>
            {
                ["StringEquals"] = new Dictionary<string, object> { ["aws:SourceAccount"] = account },
                ["ArnLike"] = new Dictionary<string, object> { ["aws:SourceArn"] = sourceArn },
            },
        });
}
