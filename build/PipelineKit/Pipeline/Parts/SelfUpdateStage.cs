namespace PipelineKit.Pipeline.Parts;

using Amazon.CDK;
using Amazon.CDK.AWS.CodeBuild;
using Amazon.CDK.AWS.CodePipeline;
using Amazon.CDK.AWS.CodePipeline.Actions;
using Amazon.CDK.AWS.IAM;
using Constructs;
using PipelineKit.Configuration;
using PipelineKit.Naming;

/// <summary>
/// Stage UpdatePipeline: CodeBuild runs ./build.sh CreatePipeline --exclusive from the source, so a change to
/// pipeline.json changes this stack before anything deploys. The build container holds no IAM or KMS write (the
/// CDK Pipelines model): its role may create and execute change sets of this stack only, and only with the primary
/// stack's execution role passed to CloudFormation, which changes this stack's roles by exact name and with the
/// boundary. Whoever can push to the source can still reshape the pipeline within that bound: protect the branch.
/// </summary>
internal static class SelfUpdateStage
{
    public const string StageName = "UpdatePipeline";

    /// <summary>The self-update project's buildspec: re-synthesizes and deploys this stack (CreatePipeline).</summary>
    public const string BuildSpecPath = "buildspecs/buildspec-pipeline.yml";

    public static void Add(
        Construct scope, PipelineConfig config, Amazon.CDK.AWS.CodePipeline.Pipeline pipeline, ArtifactStores stores,
        Artifact_ sourceOutput, IRole actionsRole)
    {
        var name = config.Name;
        var role = KitProject.Add(scope, config, stores, new KitProjectSpec("PipelineUpdate", KitNames.UpdateProject(name), KitNames.UpdateRole(name),
            $"Runs CreatePipeline for the {name} pipeline's self-update stage.",
            $"Re-synthesizes and deploys the {name} pipeline from its source ({BuildSpecPath}).",
            BuildSpecPath, ComputeType.MEDIUM, Duration.Minutes(30)));

        // The source artifact, and templates over CloudFormation's inline limit (S3TemplateStore's prefix for this stack),
        // which CloudFormation reads with the caller's permissions.
        stores.Primary.GrantRead(role);
        stores.Primary.GrantReadWrite(role, $"{KitNames.TemplatesPrefix}{KitNames.PipelineStack(name)}/*");
        RunLockAccess.Grant(role, stores);

        _ = new Amazon.CDK.AWS.IAM.Policy(scope, "PipelineUpdatePolicy", new Amazon.CDK.AWS.IAM.PolicyProps
        {
            PolicyName = KitNames.UpdatePolicy(name),
            Roles = [role],
            Statements = Statements(config),
        });

        pipeline.AddStage(new StageOptions
        {
            StageName = StageName,
            Actions =
            [
                new CodeBuildAction(new CodeBuildActionProps
                {
                    ActionName = "CreatePipeline",
                    Project = Project.FromProjectName(scope, "PipelineUpdateProjectByName", KitNames.UpdateProject(name)),
                    Input = sourceOutput,
                    Role = actionsRole,
                }),
            ],
        });
    }

    /// <summary>What the update project may do besides reading the artifact store: change this stack, as its execution role.</summary>
    private static PolicyStatement[] Statements(PipelineConfig config)
    {
        var name = config.Name;
        var account = config.Build.Account;
        var stack = Partitions.Arn("cloudformation", config.Build.Region, account, $"stack/{KitNames.PipelineStack(name)}/*");
        var executionRole = KitNames.RoleArn(config.Partition, account, KitNames.PipelineExecutionRole(name));
        return
        [
            // Without RoleARN CloudFormation would use the caller's own permissions (or a role the stack had before).
            new(new PolicyStatementProps
            {
                Sid = "PipelineStackChangeSetsAsItsExecutionRole",
                Actions = ["cloudformation:CreateChangeSet"],
                Resources = [stack],
                Conditions = new Dictionary<string, object>
                {
                    ["ArnEquals"] = new Dictionary<string, object> { ["cloudformation:RoleArn"] = executionRole },
                },
            }),
            Allow("PipelineStackReviewAndExecute", [stack],
                "cloudformation:DescribeStacks", "cloudformation:DescribeStackEvents", "cloudformation:GetTemplate",
                "cloudformation:DescribeChangeSet", "cloudformation:ListChangeSets", "cloudformation:ExecuteChangeSet",
                "cloudformation:DeleteChangeSet"),
            // --exclusive reads the artifact key ARNs from the primary and regional stacks.
            Allow("FoundationStacksRead",
                [$"arn:{config.Partition}:cloudformation:*:{account}:stack/{KitNames.PrimaryStack(name)}/*", $"arn:{config.Partition}:cloudformation:*:{account}:stack/{KitNames.RegionalStack(name)}/*"],
                "cloudformation:DescribeStacks"),
            new(new PolicyStatementProps
            {
                Sid = "PassTheExecutionRoleToCloudFormation",
                Actions = ["iam:PassRole"],
                Resources = [executionRole],
                Conditions = new Dictionary<string, object>
                {
                    ["StringEquals"] = new Dictionary<string, object> { ["iam:PassedToService"] = "cloudformation.amazonaws.com" },
                },
            }),
        ];
    }

    private static PolicyStatement Allow(string sid, string[] resources, params string[] actions) =>
        new(new PolicyStatementProps { Sid = sid, Actions = actions, Resources = resources });
}
