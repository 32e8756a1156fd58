namespace PipelineKit.Benchmarks;

using System.Diagnostics;
using PipelineKit.Aws;
using PipelineKit.Configuration;
using PipelineKit.Deployment;
using PipelineKit.Orchestration;
using PipelineKit.Testing;

/// <summary>A schedule: the graph of stack deployments for a configuration, on a cloud, through a deployer.</summary>
public delegate IReadOnlyList<StackNode> Schedule(
    PipelineConfig config, Func<StackLocation, CancellationToken, Task<ICloudFormation>> cloudFormationAt, IStackDeployer deployer);

/// <summary>What one schedule cost on the fake: its stacks, its critical path in stack operations counted from the
/// engine's schedule, and its wall time, also in units of L (one stack operation alone on the same fake).</summary>
public sealed record ScheduleFigures(int Stacks, int Levels, TimeSpan Wall, double WallInL);

/// <summary>
/// Runs a schedule with the kit's engine (<see cref="DagRunner"/>, <see cref="StackDeployer"/>) on a fresh
/// <see cref="FakeCloud"/> whose every call takes <paramref name="callLatency"/>, and measures its critical path: each stack
/// the engine created or updated is one stack operation, one level deeper than the deepest stack it waited for; stacks
/// that changed nothing (UpdatePrimaryPolicy after the primary stack deployed its grants in the same run) add no level.
/// </summary>
public sealed class CriticalPath(TimeProvider time, TimeSpan callLatency, PollingPolicy polling)
{
    public async Task<ScheduleFigures> MeasureAsync(Topology topology, Schedule schedule, int parallelism, TimeSpan unit)
    {
        ArgumentNullException.ThrowIfNull(topology);
        ArgumentNullException.ThrowIfNull(schedule);
        var cloud = new FakeCloud(time);
        var nodes = schedule(topology.Config(), (location, ct) => At(cloud, location), new StackDeployer(time, polling, new RecordingObserver()));
        var clock = Stopwatch.StartNew();
        var results = await new DagRunner(parallelism, time, new RecordingObserver()).RunAsync(nodes).ConfigureAwait(false);
        clock.Stop();
        if (results.FirstOrDefault(r => !r.Result.Succeeded) is { Ref: { } failed } failure)
        {
            throw new InvalidOperationException($"{topology.Label}: {failed.Key} failed: {failure.Result.Error}");
        }

        var wallInL = unit > TimeSpan.Zero ? clock.Elapsed / unit : 0;
        return new ScheduleFigures(nodes.Count, Levels(nodes, results.ToDictionary(r => r.Ref.Key, r => r.Result)), clock.Elapsed, wallInL);
    }

    /// <summary>L: the wall time of one stack created alone, on a fresh fake with the same latency.</summary>
    public async Task<TimeSpan> UnitAsync()
    {
        var config = new Topology(1, 1).Config();
        var samples = new List<TimeSpan>();
        for (var i = 0; i < 5; i++)
        {
            var cloud = new FakeCloud(time);
            var deployment = new FoundationDeployments(config, Schedules.PipelineStub).Foundation(config.Build.Region);
            var cfn = await At(cloud, deployment.Location).ConfigureAwait(false);
            var clock = Stopwatch.StartNew();
            await new StackDeployer(time, polling, new RecordingObserver())
                .DeployAsync(cfn, new StackRef("primary", deployment.StackName, deployment.Location), deployment).ConfigureAwait(false);
            samples.Add(clock.Elapsed);
        }

        return samples.Order().ElementAt(samples.Count / 2);
    }

    /// <summary>The longest chain of stack operations through the graph the engine ran.</summary>
    public static int Levels(IReadOnlyList<StackNode> nodes, IReadOnlyDictionary<string, StackResult> results)
    {
        ArgumentNullException.ThrowIfNull(nodes);
        ArgumentNullException.ThrowIfNull(results);
        var byKey = nodes.ToDictionary(n => n.Key, StringComparer.Ordinal);
        var levels = new Dictionary<string, int>(StringComparer.Ordinal);
        return nodes.Select(n => Level(n.Key)).DefaultIfEmpty(0).Max();

        int Level(string key)
        {
            if (levels.TryGetValue(key, out var known)) return known;
            var own = results[key].Outcome is StackOutcome.Created or StackOutcome.Updated or StackOutcome.Recreated ? 1 : 0;
            var after = byKey.TryGetValue(key, out var node) ? node.DependsOn.Select(Level).DefaultIfEmpty(0).Max() : 0;
            return levels[key] = own + after;
        }
    }

    private Task<ICloudFormation> At(FakeCloud cloud, StackLocation location)
    {
        var cfn = cloud.At(location);
        cfn.Latency = callLatency;
        return Task.FromResult<ICloudFormation>(cfn);
    }
}
