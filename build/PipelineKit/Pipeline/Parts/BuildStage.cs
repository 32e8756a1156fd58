namespace PipelineKit.Pipeline.Parts;

using Amazon.CDK;
using Amazon.CDK.AWS.CodeBuild;
using Amazon.CDK.AWS.CodePipeline;
using Amazon.CDK.AWS.CodePipeline.Actions;
using Amazon.CDK.AWS.IAM;
using Constructs;
using PipelineKit.Configuration;
using PipelineKit.Naming;

/// <summary>The Build stage: the CodeBuild project that builds, tests and packages the source, its log group, and
/// what its role may do in the artifact stores.</summary>
internal sealed class BuildStage
{
    /// <summary>The build project's buildspec, in the source.</summary>
    public const string BuildSpecPath = "buildspecs/buildspec.yml";

    private readonly IProject projectByName;

    public BuildStage(Construct scope, PipelineConfig config, ArtifactStores stores, IRole buildRole)
    {
        var name = config.Name;
        Project = new PipelineProject(scope, "BuildProject", new PipelineProjectProps
        {
            ProjectName = KitNames.BuildProject(name),
            Description = $"Builds, tests and packages the {name} pipeline's source ({BuildSpecPath}).",
            Role = buildRole,
            BuildSpec = BuildSpec.FromSourceFilename(BuildSpecPath),
            EncryptionKey = stores.PrimaryKey,
            Environment = new BuildEnvironment
            {
                BuildImage = LinuxBuildImage.STANDARD_7_0,
                ComputeType = ComputeType.MEDIUM,
            },
            Timeout = Duration.Minutes(30),
        });
        ProjectLogGroup.Add(scope, "BuildLogs", KitNames.BuildProject(name));

        // The action names the project by its fixed name, not by reference: the ARN is then known
        // without a GetAtt, so the stack also deploys where the project type is skipped (the
        // sandbox's emulator). An imported project gets no artifact grants from the action, so
        // the build role gets them here.
        projectByName = Amazon.CDK.AWS.CodeBuild.Project.FromProjectName(scope, "BuildProjectByName", KitNames.BuildProject(name));
        // The primary region's bucket: this pipeline's artifacts and the app's code, not the templates the self-update
        // stages there (CloudFormation reads those with the update role's credentials).
        stores.Primary.GrantReadWrite(buildRole, $"{KitNames.PipelineArtifactPrefix(name)}/*");
        stores.Primary.GrantReadWrite(buildRole, $"{KitNames.SampleCodePrefix}*");
        // PublishSampleApp puts the function's zip in every deploy region's artifact bucket, under sample-app/ only;
        // read (with List, so a missing key is a 404) lets it skip code that is there already.
        foreach (var region in config.ExtraRegions)
        {
            stores.ByRegion[region].GrantRead(buildRole, $"{KitNames.SampleCodePrefix}*");
            stores.ByRegion[region].GrantPut(buildRole, $"{KitNames.SampleCodePrefix}*");
        }

        RunLockAccess.Grant(buildRole, stores);
    }

    /// <summary>The project itself; the pipeline depends on it, since its action names it only by name.</summary>
    public PipelineProject Project { get; }

    public void AddTo(Amazon.CDK.AWS.CodePipeline.Pipeline pipeline, Artifact_ source, Artifact_ output, IRole actionsRole) =>
        pipeline.AddStage(new StageOptions
        {
            StageName = "Build",
            Actions =
            [
                new CodeBuildAction(new CodeBuildActionProps
                {
                    ActionName = "BuildAndTest",
                    Project = projectByName,
                    Input = source,
                    Outputs = [output],
                    Role = actionsRole,
                }),
            ],
        });
}
