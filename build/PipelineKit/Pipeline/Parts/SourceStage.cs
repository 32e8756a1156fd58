namespace PipelineKit.Pipeline.Parts;

using Amazon.CDK.AWS.CodeCommit;
using Amazon.CDK.AWS.CodePipeline;
using Amazon.CDK.AWS.CodePipeline.Actions;
using Amazon.CDK.AWS.IAM;
using Amazon.CDK.AWS.S3;
using Constructs;
using PipelineKit.Configuration;
using PipelineKit.Naming;

/// <summary>The Source stage: one action that reads the configured source into the pipeline's source artifact.</summary>
internal static class SourceStage
{
    /// <summary>The source action's variable namespace: its revision (VersionId or CommitId) is the version the smoke tests expect.</summary>
    public const string Namespace = "SourceVariables";

    public static void Add(
        Construct scope, Amazon.CDK.AWS.CodePipeline.Pipeline pipeline, PipelineConfig config, IBucket sourceBucket, Artifact_ output, IRole actionsRole)
    {
        pipeline.AddStage(new StageOptions
        {
            StageName = "Source",
            Actions = [SourceAction(scope, config, sourceBucket, output, actionsRole)],
        });
        if (config.Source is CodeCommitSource codeCommit) SourceChanges.Add(scope, config, codeCommit);
    }

    /// <summary>One case per source kind of <see cref="SourceKinds"/>: a new kind adds its action here.</summary>
    private static IAction SourceAction(Construct scope, PipelineConfig config, IBucket sourceBucket, Artifact_ output, IRole actionsRole) =>
        config.Source switch
        {
            S3Source source => S3Action(source, sourceBucket, output, actionsRole),
            CodeStarConnectionSource source => ConnectionAction(source, output, actionsRole),
            CodeCommitSource source => CodeCommitAction(scope, config, source, output),
            _ => throw new InvalidOperationException($"No source action for source type {config.Source.Type}."),
        };

    // POLL: the EVENTS trigger needs a CloudTrail trail and creates an unnamed events role.
    private static S3SourceAction S3Action(S3Source source, IBucket sourceBucket, Artifact_ output, IRole actionsRole) =>
        new(new S3SourceActionProps
        {
            ActionName = "Source",
            Bucket = sourceBucket,
            BucketKey = source.ObjectKey,
            Output = output,
            Trigger = S3Trigger.POLL,
            Role = actionsRole,
            VariablesNamespace = Namespace,
        });

    // The action grants its role codestar-connections:UseConnection on this connection only.
    private static CodeStarConnectionsSourceAction ConnectionAction(CodeStarConnectionSource source, Artifact_ output, IRole actionsRole)
    {
        var repository = source.Repository.Split('/', 2);
        return new CodeStarConnectionsSourceAction(new CodeStarConnectionsSourceActionProps
        {
            ActionName = "Source",
            ConnectionArn = source.ConnectionArn,
            Owner = repository[0],
            Repo = repository[1],
            Branch = source.Branch,
            Output = output,
            TriggerOnPush = true,
            Role = actionsRole,
            VariablesNamespace = Namespace,
        });
    }

    // The repository is in the source account and is read through the role there, which the pipeline role
    // assumes; the kit deploys it there (source-account stack). No polling (PollForSourceChanges false): the
    // branch's changes start the pipeline through EventBridge (SourceChanges).
    private static CodeCommitSourceAction CodeCommitAction(Construct scope, PipelineConfig config, CodeCommitSource source, Artifact_ output)
    {
        var repository = Repository.FromRepositoryArn(scope, "SourceRepository",
            Partitions.Arn("codecommit", config.Build.Region, source.Account, source.Repository));
        return new CodeCommitSourceAction(new CodeCommitSourceActionProps
        {
            ActionName = "Source",
            Repository = repository,
            Branch = source.Branch,
            Output = output,
            Trigger = CodeCommitTrigger.NONE,
            VariablesNamespace = Namespace,
            Role = Role.FromRoleArn(scope, "SourceAccountRole", source.RoleArn, new FromRoleArnOptions { Mutable = false }),
        });
    }
}
