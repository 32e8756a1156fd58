namespace PipelineKit.Benchmarks;

using System.Diagnostics;
using PipelineKit.Aws;
using PipelineKit.Deployment;
using PipelineKit.Orchestration;
using PipelineKit.Testing;

/// <summary>One BootstrapAll on the fake: the engine's time, the CloudFormation calls and the mutating ones among them,
/// the managed heap's peak, whether every stack succeeded, and the deployer's polls (every stack's waits together).</summary>
public sealed record RunFigures(int Stacks, bool Succeeded, string? Failure, TimeSpan Engine, int Calls, int Mutating, long PeakBytes, long Polls)
{
    public double PollsPerSecond => Engine > TimeSpan.Zero ? Polls / Engine.TotalSeconds : 0;
}

/// <summary>BootstrapAll of a large topology on one fake, twice: the first run, then the re-run that should change nothing.
/// The engine as the kit runs it: its default parallelism, its StackDeployer.</summary>
public sealed class ScaleRun(TimeSpan callLatency, PollingPolicy polling, int parallelism)
{
    public async Task<(RunFigures First, RunFigures Rerun)> MeasureAsync(Topology topology)
    {
        ArgumentNullException.ThrowIfNull(topology);
        var cloud = new FakeCloud(TimeProvider.System);
        var first = await OnceAsync(cloud, topology).ConfigureAwait(false);
        var rerun = await OnceAsync(cloud, topology).ConfigureAwait(false);
        return (first, rerun);
    }

    /// <summary>A first run alone, on a fresh fake.</summary>
    public Task<RunFigures> FirstRunAsync(Topology topology) => OnceAsync(new FakeCloud(TimeProvider.System), topology);

    private async Task<RunFigures> OnceAsync(FakeCloud cloud, Topology topology)
    {
        var (callsBefore, mutatingBefore) = Count(cloud);
        Task<ICloudFormation> At(StackLocation location, CancellationToken ct)
        {
            var cfn = cloud.At(location);
            cfn.Latency = callLatency;
            return Task.FromResult<ICloudFormation>(cfn);
        }

        var observer = new NullObserver();
        var deployer = new StackDeployer(TimeProvider.System, polling, observer);
        var nodes = Schedules.Kit(topology.Config(), At, deployer);
        var memory = new PeakMemory();
        var clock = Stopwatch.StartNew();
        IReadOnlyList<(StackRef Ref, StackResult Result)> results;
        try
        {
            results = await new DagRunner(parallelism, TimeProvider.System, observer).RunAsync(nodes).ConfigureAwait(false);
            clock.Stop();
        }
        finally
        {
            await memory.DisposeAsync().ConfigureAwait(false);
        }

        var peak = memory.PeakBytes;

        var (calls, mutating) = Count(cloud);
        var failure = results.FirstOrDefault(r => !r.Result.Succeeded);
        return new RunFigures(results.Count, failure.Ref is null, failure.Ref is null ? null : $"{failure.Ref.Key}: {failure.Result.Error}",
            clock.Elapsed, calls - callsBefore, mutating - mutatingBefore, peak, deployer.Polls.Taken);
    }

    private static (int Calls, int Mutating) Count(FakeCloud cloud) =>
        (cloud.Regions.Values.Sum(r => r.Calls.Count), cloud.MutatingCalls.Count);

    /// <summary>The run's progress goes nowhere: 300 accounts' events would measure the recorder, not the engine.</summary>
    private sealed class NullObserver : IDeploymentObserver
    {
        public void On(DeploymentEvent deploymentEvent) { }
    }
}
