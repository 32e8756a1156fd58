namespace PipelineKit.Pipeline.Parts;

using Amazon.CDK;
using Amazon.CDK.AWS.CodeBuild;
using Amazon.CDK.AWS.CodePipeline;
using Amazon.CDK.AWS.CodePipeline.Actions;
using Amazon.CDK.AWS.IAM;
using Constructs;
using PipelineKit.Configuration;
using PipelineKit.Naming;
using PipelineKit.Orchestration;

/// <summary>
/// The security gate before each environment's change set executes (CDK Pipelines' ConfirmPermissionsBroadening):
/// CodeBuild runs ./build.sh SecurityCheck on the change set the pipeline just created while a manual approval waits
/// beside it; the check approves it when nothing widens, else sends the diff to the topic and leaves it waiting. The
/// check's role reads the target accounts only through their read-only change-set readers, and holds no IAM write.
/// </summary>
internal sealed class SecurityGate
{
    /// <summary>The check project's buildspec, in the source.</summary>
    public const string BuildSpecPath = "buildspecs/buildspec-security-check.yml";

    /// <summary>The check's exported variable: the short summary of the security changes (Planning's SecurityChanges).</summary>
    public const string SummaryVariable = "SUMMARY";

    private readonly Construct scope;
    private readonly PipelineConfig config;
    private readonly Artifact_ source;
    private readonly IRole actionsRole;
    private readonly IProject project;

    public SecurityGate(Construct scope, PipelineConfig config, ArtifactStores stores, Artifact_ source, FoundationOutputs outputs, IRole actionsRole)
    {
        this.scope = scope;
        this.config = config;
        this.source = source;
        this.actionsRole = actionsRole;
        var name = config.Name;
        var role = KitProject.Add(scope, config, stores, new KitProjectSpec("SecurityCheck", KitNames.SecurityCheckProject(name),
            KitNames.SecurityCheckRole(name),
            $"Runs the {name} pipeline's security check: reads change sets, approves the security approvals.",
            $"Checks each change set of the {name} pipeline for security changes before it executes ({BuildSpecPath}).",
            BuildSpecPath, ComputeType.SMALL, Duration.Minutes(20)));
        project = Project.FromProjectName(scope, "SecurityCheckProjectByName", KitNames.SecurityCheckProject(name));

        // The source artifact it runs the kit from; nothing else of the store.
        stores.Primary.GrantRead(role, $"{KitNames.PipelineArtifactPrefix(name)}/*");
        _ = new Amazon.CDK.AWS.IAM.Policy(scope, "SecurityCheckPolicy", new Amazon.CDK.AWS.IAM.PolicyProps
        {
            PolicyName = KitNames.SecurityCheckPolicy(name),
            Roles = [role],
            Statements = Statements(config, outputs),
        });
    }

    /// <summary>True when some environment has a gate; without one the stack has no check project or role.</summary>
    public static bool IsNeeded(PipelineConfig config) => config.Environments.Any(e => e.HasSecurityCheck);

    /// <summary>The exported summary of <paramref name="environment"/>'s check, as a pipeline variable reference.</summary>
    public static string SummaryReference(EnvironmentSettings environment) =>
        $"#{{{KitNames.SecurityCheckNamespace(environment.Name)}.{SummaryVariable}}}";

    public static string ApprovalMessage(PipelineConfig config, EnvironmentSettings environment) =>
        $"Change set of stack {KitNames.AppStack(config.Name, environment.Name)} ({environment.Account}/{environment.Region}) " +
        (environment.SecurityApproval == SecurityApproval.Always ? "needs a security review" : "widens permissions") +
        $": the diff is in the notification from {KitNames.SecurityCheckAction(environment.Name)} and in its log.";

    /// <summary>The check and the approval beside it, both at <paramref name="runOrder"/>.</summary>
    public IEnumerable<IAction> Actions(EnvironmentSettings environment, int runOrder) =>
    [
        new CodeBuildAction(new CodeBuildActionProps
        {
            ActionName = KitNames.SecurityCheckAction(environment.Name),
            RunOrder = runOrder,
            Project = project,
            Input = source,
            Role = actionsRole,
            VariablesNamespace = KitNames.SecurityCheckNamespace(environment.Name),
            EnvironmentVariables = new Dictionary<string, IBuildEnvironmentVariable>
            {
                ["KIT_ENVIRONMENT"] = new BuildEnvironmentVariable { Value = environment.Name },
                // The check approves the approval of this run only.
                ["PIPELINE_EXECUTION_ID"] = new BuildEnvironmentVariable { Value = "#{codepipeline.PipelineExecutionId}" },
            },
        }),
        new ManualApprovalAction(new ManualApprovalActionProps
        {
            ActionName = KitNames.SecurityApprovalAction(environment.Name),
            RunOrder = runOrder,
            AdditionalInformation = ApprovalMessage(config, environment),
            ExternalEntityLink = Approvals.ChangeSetConsoleUrl(config, environment),
            Role = actionsRole,
        }),
    ];

    /// <summary>Read the change sets through the readers, approve the security approvals and nothing else, tell the topic.</summary>
    private static PolicyStatement[] Statements(PipelineConfig config, FoundationOutputs outputs)
    {
        var name = config.Name;
        var pipelineArn = Partitions.Arn("codepipeline", config.Build.Region, config.Build.Account, KitNames.Pipeline(name));
        var gated = config.DeployStages
            .SelectMany(s => s.Environments.Where(e => e.HasSecurityCheck).Select(e => (Stage: s.Name, Environment: e)))
            .ToList();
        return
        [
            Allow("AssumeTheChangeSetReaders",
                gated.Select(g => KitNames.ChangeSetReaderRoleArn(config.Partition, name, g.Environment.Account)).Distinct().ToArray(), "sts:AssumeRole"),
            Allow("FindTheWaitingApproval", [pipelineArn], "codepipeline:GetPipelineState"),
            // The security approvals only: an environment's own approval is a person's.
            Allow("ApproveTheSecurityApprovals",
                gated.Select(g => $"{pipelineArn}/{g.Stage}/{KitNames.SecurityApprovalAction(g.Environment.Name)}").ToArray(),
                "codepipeline:PutApprovalResult"),
            Allow("SendTheDiff", [Partitions.Arn("sns", config.Build.Region, config.Build.Account, KitNames.NotificationsTopic(name))], "sns:Publish"),
            Allow("EncryptForTheTopic", [outputs.NotificationsKeyArn], "kms:GenerateDataKey*", "kms:Decrypt"),
        ];
    }

    private static PolicyStatement Allow(string sid, string[] resources, params string[] actions) =>
        new(new PolicyStatementProps { Sid = sid, Actions = actions, Resources = resources });
}
