namespace PipelineKit.Pipeline.Parts;

using Amazon.CDK;
using Amazon.CDK.AWS.CodeBuild;
using Amazon.CDK.AWS.CodePipeline;
using Amazon.CDK.AWS.CodePipeline.Actions;
using Amazon.CDK.AWS.IAM;
using Constructs;
using PipelineKit.Configuration;
using PipelineKit.Naming;
using PipelineKit.SampleApp;

/// <summary>
/// The smoke test after each environment's change set executes: CodeBuild runs ./build.sh SmokeTest, the sample app's own test,
/// against the deployed GET /hello. What to call and expect reaches it as the action's environment variables: the execute
/// action's output variables (the stack's outputs ApiUrl, EnvironmentName, AppVersion; CodePipeline variables reference,
/// "CloudFormation action": the stack's Outputs) and the source action's revision, the version Package stamped. A failure
/// fails the stage, so no later environment deploys. The project's role writes its logs and reads the source artifact it
/// runs the kit from; it reads no account: everything it needs comes in the variables.
/// </summary>
internal sealed class SmokeTests
{
    /// <summary>The smoke-test project's buildspec, in the source.</summary>
    public const string BuildSpecPath = "buildspecs/buildspec-smoke-test.yml";

    private readonly PipelineConfig config;
    private readonly Artifact_ source;
    private readonly IRole actionsRole;
    private readonly IProject project;

    public SmokeTests(Construct scope, PipelineConfig config, ArtifactStores stores, Artifact_ source, IRole actionsRole)
    {
        this.config = config;
        this.source = source;
        this.actionsRole = actionsRole;
        var name = config.Name;
        var role = KitProject.Add(scope, config, stores, new KitProjectSpec("SmokeTest", KitNames.SmokeTestProject(name),
            KitNames.SmokeTestRole(name),
            $"Runs the {name} pipeline's smoke tests: writes its logs, reads the source artifact, reads no account.",
            $"Smoke-tests each environment of the {name} pipeline after it is deployed ({BuildSpecPath}).",
            BuildSpecPath, ComputeType.SMALL, Duration.Minutes(15)));
        project = Project.FromProjectName(scope, "SmokeTestProjectByName", KitNames.SmokeTestProject(name));

        // The source artifact it runs the kit from; nothing else of the store (not the build's output: the store's layout is
        // <pipeline, 20 chars>/<artifact name>/<object>).
        stores.Primary.GrantRead(role, $"{KitNames.PipelineArtifactPrefix(name)}/Source/*");
    }

    /// <summary>The variable the source action gives the revision in: the object's version id for S3, the commit id for a repository
    /// (CodePipeline action reference: S3 source variables VersionId, ETag; CodeStarSourceConnection and CodeCommit: CommitId, ...).</summary>
    public static string RevisionReference(PipelineConfig config) =>
        $"#{{{SourceStage.Namespace}.{(config.Source is S3Source ? "VersionId" : "CommitId")}}}";

    /// <summary>An output of <paramref name="environment"/>'s execute action, as a pipeline variable reference.</summary>
    public static string OutputReference(EnvironmentSettings environment, string output) =>
        $"#{{{KitNames.DeployNamespace(environment)}.{output}}}";

    /// <summary>The smoke test of <paramref name="environment"/>, after its execute action.</summary>
    public IAction Action(EnvironmentSettings environment, int runOrder)
    {
        var variables = new Dictionary<string, IBuildEnvironmentVariable>
        {
            ["KIT_ENVIRONMENT"] = Plain(environment.Name),
            [SmokeTarget.ApiUrlVariable] = Plain(OutputReference(environment, SmokeTarget.ApiUrlOutput)),
            [SmokeTarget.ExpectedVersionVariable] = Plain(RevisionReference(config)),
        };
        foreach (var (variable, output) in SmokeTarget.FunctionVariableOutputs)
        {
            variables[SmokeTarget.FunctionEnvironmentPrefix + variable] = Plain(OutputReference(environment, output));
        }

        return new CodeBuildAction(new CodeBuildActionProps
        {
            ActionName = KitNames.SmokeTestAction(environment),
            RunOrder = runOrder,
            Project = project,
            Input = source,
            Role = actionsRole,
            EnvironmentVariables = variables,
        });
    }

    private static BuildEnvironmentVariable Plain(string value) => new() { Value = value };
}
