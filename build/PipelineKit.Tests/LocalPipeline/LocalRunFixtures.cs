namespace PipelineKit.Tests.LocalPipeline;

using System.Collections.Concurrent;
using Amazon.Runtime;
using PipelineKit.Deployment;
using PipelineKit.LocalPipeline;
using PipelineKit.Pipeline;

/// <summary>Hand-made pipeline definitions, stub executors and an in-memory artifact store, for the engine of a local run.</summary>
internal static class LocalRunFixtures
{
    public const string Build = "123456789012";
    public const string PipelineRole = "arn:aws:iam::123456789012:role/demo-pipeline-role";
    public const string ActionsRole = "arn:aws:iam::123456789012:role/demo-pipeline-actions";

    public static ActionDefinition Action(string stage, string name, ActionType type, int runOrder = 1, string region = "us-east-1",
        string? role = null, string[]? inputs = null, string[]? outputs = null, string? ns = null, Dictionary<string, string>? configuration = null) =>
        new(stage, name, type, runOrder, region, role ?? ActionsRole, ns, configuration ?? new Dictionary<string, string>(), inputs ?? [], outputs ?? []);

    /// <summary>Source, Build, then one deploy stage per entry: (stage name, environments in it, approval?). Each environment
    /// deploys with CreateChangeSet (run order 1), an optional approval (2) and ExecuteChangeSet (3), as the kit synthesizes.</summary>
    public static PipelineDefinition Pipeline(params (string Stage, (string Env, string Account, string Region)[] Environments, bool Approval)[] deploys)
    {
        var stages = new List<StageDefinition>
        {
            new("Source", [Action("Source", "Source", ActionType.S3Source, outputs: ["Source"])]),
            new("Build", [Action("Build", "BuildAndTest", ActionType.CodeBuild, inputs: ["Source"], outputs: ["BuildOutput"])]),
        };
        foreach (var (stage, environments, approval) in deploys)
        {
            var actions = new List<ActionDefinition>();
            foreach (var (env, account, region) in environments)
            {
                var role = $"arn:aws:iam::{account}:role/demo-pipeline-action";
                var prefix = environments.Length > 1 ? $"{env}-" : "";
                actions.Add(Action(stage, $"{prefix}CreateChangeSet", ActionType.CloudFormation, 1, region, role, ["BuildOutput"],
                    configuration: new() { ["ActionMode"] = "CHANGE_SET_REPLACE", ["StackName"] = $"demo-{env}-app" }));
                if (approval) actions.Add(Action(stage, $"{prefix}Approve", ActionType.ManualApproval, 2));
                actions.Add(Action(stage, $"{prefix}ExecuteChangeSet", ActionType.CloudFormation, 3, region, role,
                    configuration: new() { ["ActionMode"] = "CHANGE_SET_EXECUTE", ["StackName"] = $"demo-{env}-app" }));
            }

            stages.Add(new StageDefinition(stage, actions));
        }

        var regions = deploys.SelectMany(d => d.Environments.Select(e => e.Region)).Append("us-east-1").Distinct();
        return new PipelineDefinition("demo-pipeline", Build, "us-east-1", PipelineRole,
            regions.ToDictionary(r => r, r => new ArtifactStoreDefinition(r, $"demo-artifacts-{Build}-{r}", $"arn:aws:kms:{r}:{Build}:key/k")),
            stages, new Dictionary<string, BuildProjectDefinition>());
    }
}

/// <summary>An executor whose behaviour a test gives; records every action it ran, with how many ran at once.</summary>
internal sealed class StubExecutor(IArtifactStore store, Func<ActionRun, Task<ActionOutcome>>? behaviour = null) : IActionExecutor
{
    private int inFlight;

    public ConcurrentQueue<string> Ran { get; } = new();

    public int MostAtOnce { get; private set; }

    public bool Handles(ActionType type) => type != ActionType.ManualApproval;

    public async Task<ActionOutcome> RunAsync(ActionRun run, CancellationToken ct)
    {
        var now = Interlocked.Increment(ref inFlight);
        lock (Ran) MostAtOnce = Math.Max(MostAtOnce, now);
        Ran.Enqueue(run.Action.ToString());
        try
        {
            var outcome = behaviour is null ? ActionOutcome.Done("ok") : await behaviour(run);
            var outputs = new List<ArtifactLocation>(outcome.Outputs);
            foreach (var name in run.Action.OutputArtifacts.Where(n => outputs.All(o => o.Name != n)))
            {
                var file = Path.GetTempFileName();
                await File.WriteAllTextAsync(file, $"{name} of {run.ExecutionId}", ct);
                outputs.Add(await store.PutAsync(run.Credentials, run.Store, run.ExecutionId, name, file, ct));
                File.Delete(file);
            }

            return outcome with { Outputs = outputs };
        }
        finally
        {
            Interlocked.Decrement(ref inFlight);
        }
    }
}

/// <summary>Artifacts as files in a temporary folder; counts the puts per region (replication shows there).</summary>
internal sealed class MemoryStore : IArtifactStore, IDisposable
{
    private readonly string folder = Directory.CreateTempSubdirectory("pipelinekit-store-").FullName;

    public ConcurrentQueue<(string Region, string Name)> Puts { get; } = new();

    public Task<ArtifactLocation> PutAsync(AWSCredentials credentials, ArtifactStoreDefinition store, string executionId, string artifactName,
        string zipFile, CancellationToken ct)
    {
        var key = $"demo-pipeline/{artifactName}/{Guid.NewGuid():N}";
        var path = Path.Combine(folder, store.Region, key.Replace('/', '_'));
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.Copy(zipFile, path);
        Puts.Enqueue((store.Region, artifactName));
        return Task.FromResult(new ArtifactLocation(artifactName, store.Region, store.Bucket, key, store.KeyArn));
    }

    public Task GetAsync(AWSCredentials credentials, ArtifactLocation location, string zipFile, CancellationToken ct)
    {
        File.Copy(Path.Combine(folder, location.Region, location.Key.Replace('/', '_')), zipFile, overwrite: true);
        return Task.CompletedTask;
    }

    public void Dispose() => Directory.Delete(folder, recursive: true);
}

internal sealed class StubRoles : ILocalRoles
{
    public AWSCredentials Pipeline { get; } = new BasicAWSCredentials("pipeline", "secret");

    public AWSCredentials Action(string roleArn) => new BasicAWSCredentials(roleArn, "secret");

    public AWSCredentials Service(string roleArn) => new BasicAWSCredentials(roleArn, "secret");
}

/// <summary>A local run of a definition, followed by the kit's PipelineFollower; the lines it printed.</summary>
internal sealed class LocalRunUnderTest : IDisposable
{
    private readonly CancellationTokenSource lifetime = new(TimeSpan.FromMinutes(1));

    public LocalRunUnderTest(PipelineDefinition definition, IApprovalDecider? approver = null, Func<ActionRun, LocalRunUnderTest, Task<ActionOutcome>>? behaviour = null)
    {
        Executor = new StubExecutor(Store, behaviour is null ? null : run => behaviour(run, this));
        Runner = new ExecutionRunner(definition, [Executor], new StubRoles(), Store, approver ?? new AutoApprove(), Logs, TimeProvider.System);
        Pipeline = new LocalCodePipeline(definition, Runner,
            _ => Task.FromResult<IReadOnlyList<PipelineKit.Aws.SourceRevision>>([new PipelineKit.Aws.SourceRevision("Source", "v1", null, null)]), TimeProvider.System, lifetime.Token);
    }

    public MemoryStore Store { get; } = new();

    public StubExecutor Executor { get; }

    public ExecutionRunner Runner { get; }

    public LocalCodePipeline Pipeline { get; }

    public string Logs { get; } = Directory.CreateTempSubdirectory("pipelinekit-local-logs-").FullName;

    public StringWriter Output { get; } = new();

    /// <summary>Starts an execution and follows it to its end as DeploySampleApp does.</summary>
    public async Task<PipelineRun> RunAsync()
    {
        var follower = new PipelineFollower(Pipeline, "demo-pipeline", "us-east-1", TimeProvider.System, PollingPolicy.Emulator, Output,
            new FollowSettings(TimeSpan.Zero, TimeSpan.FromMinutes(1), "answer it on the terminal"));
        var id = await Pipeline.StartPipelineExecutionAsync("demo-pipeline", Guid.NewGuid().ToString(), lifetime.Token);
        try
        {
            return await follower.FollowAsync(id, startedByKit: true, lifetime.Token);
        }
        finally
        {
            await Pipeline.IdleAsync();
        }
    }

    public void Dispose()
    {
        lifetime.Dispose();
        Store.Dispose();
        Directory.Delete(Logs, recursive: true);
    }
}
