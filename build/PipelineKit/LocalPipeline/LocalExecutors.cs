namespace PipelineKit.LocalPipeline;

using Amazon.Runtime;
using PipelineKit.Aws;
using PipelineKit.Deployment;
using PipelineKit.Messages;

/// <summary>What a local run is made of.</summary>
/// <param name="BuildAccount">The build account's credentials on the emulator: they stand for the services that assume roles.</param>
/// <param name="EndpointUrl">The emulator's endpoint, which the local builds get as AWS_ENDPOINT_URL.</param>
/// <param name="WorkRoot">artifacts/local-pipeline: build directories, action logs, reports.</param>
public sealed record LocalComposition(
    PipelineDefinition Definition,
    AWSCredentials BuildAccount,
    IAwsClientFactory Clients,
    string EndpointUrl,
    string RepositoryRoot,
    string WorkRoot,
    IKitCommands KitCommands,
    IApprovalDecider Approver,
    bool FullBuild,
    IKitMessages Messages,
    TimeProvider Time);

/// <summary>Puts a local run together: the role chain, the artifact stores, one executor per action type, the runner and
/// the CodePipeline API that starts and reports its executions.</summary>
public static class LocalExecutors
{
    public static LocalCodePipeline Compose(LocalComposition parts, CancellationToken lifetime)
    {
        ArgumentNullException.ThrowIfNull(parts);
        var definition = parts.Definition;
        var clients = parts.Clients;
        var roles = new LocalRoles(parts.BuildAccount, c => new SecurityTokens(clients.SecurityTokenService(c, definition.Region)), definition);
        var store = new S3ArtifactStore(clients.S3, definition.Name);
        IActionExecutor[] executors =
        [
            new S3SourceAction(clients.S3, store),
            new RepositorySourceAction(parts.RepositoryRoot, store),
            new CodeBuildAction(store, parts.KitCommands, (arn, ct) => roles.Service(arn).GetCredentialsAsync(), parts.EndpointUrl, parts.WorkRoot,
                parts.Messages, parts.FullBuild),
            new CloudFormationAction(store, clients.CloudFormation, parts.Time, PollingPolicy.Emulator),
        ];
        var runner = new ExecutionRunner(definition, executors, roles, store, parts.Approver, Path.Combine(parts.WorkRoot, "logs"), parts.Time)
        {
            // One line per action, beside the follower's line per stage: what each did ("no changes" on a re-run).
            Succeeded = (action, state) => parts.Messages.Report(MessageCodes.PipelineProgress, $"    {action.Stage} {action.Name}: {state.Summary ?? "Succeeded"}"),
        };
        return new LocalCodePipeline(definition, runner, ct => SourceRevisionsAsync(definition, roles, clients, parts.RepositoryRoot, ct), parts.Time, lifetime);
    }

    /// <summary>What a new execution runs: the S3 source's latest object version, or the local checkout's HEAD.</summary>
    private static async Task<IReadOnlyList<SourceRevision>> SourceRevisionsAsync(PipelineDefinition definition, ILocalRoles roles,
        IAwsClientFactory clients, string repositoryRoot, CancellationToken ct)
    {
        var revisions = new List<SourceRevision>();
        foreach (var action in definition.Stages.SelectMany(s => s.Actions).Where(a => a.Type.Category == "Source"))
        {
            var revision = action.Type == ActionType.S3Source
                ? await S3SourceAction.LatestVersionAsync(clients.S3(roles.Action(action.RoleArn), action.Region),
                    action.Configuration["S3Bucket"], action.Configuration["S3ObjectKey"], ct).ConfigureAwait(false)
                : await RepositorySourceAction.HeadAsync(repositoryRoot, ct).ConfigureAwait(false);
            revisions.Add(new SourceRevision(action.Name, revision, null, null));
        }

        return revisions;
    }
}
