namespace PipelineKit.Benchmarks;

using System.Globalization;
using PipelineKit.Deployment;

/// <summary>Rows 1 and 2, on the in-memory fake: the critical path of the kit's schedule next to the original script's,
/// per topology; and 300 accounts in 4 regions, first run and no-op re-run.</summary>
public sealed class FakeCloudRows(BenchmarkTable table)
{
    /// <summary>Every fake CloudFormation call takes this long; a stack settles after a few polls.</summary>
    public static readonly TimeSpan CallLatency = TimeSpan.FromMilliseconds(10);

    /// <summary>The kit's AWS policy scaled to the fake: the longest interval a hundred times the gap between two polls,
    /// as on AWS (10 s and 100 ms).</summary>
    public static readonly PollingPolicy Polling =
        new(TimeSpan.FromMilliseconds(20), TimeSpan.FromMilliseconds(80), 1.5, TimeSpan.FromMinutes(2), TimeSpan.FromMinutes(10))
        {
            PollGap = TimeSpan.FromMilliseconds(0.8),
        };

    private const int DefaultParallelism = KitOptions.DefaultParallelism;

    public async Task AddCriticalPathAsync(IReadOnlyList<Topology> topologies)
    {
        ArgumentNullException.ThrowIfNull(topologies);
        var path = new CriticalPath(TimeProvider.System, CallLatency, Polling);
        var unit = await path.UnitAsync().ConfigureAwait(false);
        table.Progress($"critical path: L (one stack created alone on the fake, {CallLatency.TotalMilliseconds:0} ms a call) = {unit.TotalMilliseconds:0} ms");
        foreach (var topology in topologies)
        {
            table.Progress($"critical path {topology.Label}: the kit's BootstrapAll, then the script's seven phases");
            // Unbounded: the schedule's own shape. At the kit's default parallelism: what a user waits for.
            var kit = await path.MeasureAsync(topology, Schedules.Kit, int.MaxValue, unit).ConfigureAwait(false);
            var script = await path.MeasureAsync(topology, Schedules.Script, int.MaxValue, unit).ConfigureAwait(false);
            table.Add(new BenchmarkRow("critical path", $"{topology.Label}: levels (stack operations in a row)",
                $"{kit.Levels} L", $"{script.Levels} L", Ratio(script.Levels, kit.Levels), "kit <= 2 L", kit.Levels <= 2));
            table.Add(new BenchmarkRow("critical path", $"{topology.Label}: wall time / L, parallelism unbounded ({kit.Stacks} / {script.Stacks} stacks)",
                $"{kit.WallInL:0.0} L", $"{script.WallInL:0.0} L", Ratio(script.WallInL, kit.WallInL), "", null));
            if (kit.Stacks > DefaultParallelism)
            {
                var kitDefault = await path.MeasureAsync(topology, Schedules.Kit, DefaultParallelism, unit).ConfigureAwait(false);
                var scriptDefault = await path.MeasureAsync(topology, Schedules.Script, DefaultParallelism, unit).ConfigureAwait(false);
                table.Add(new BenchmarkRow("critical path", $"{topology.Label}: wall time / L, --parallelism {DefaultParallelism} (default)",
                    $"{kitDefault.WallInL:0.0} L", $"{scriptDefault.WallInL:0.0} L", Ratio(scriptDefault.WallInL, kitDefault.WallInL), "", null));
            }
        }
    }

    public async Task AddScaleAsync(Topology topology)
    {
        ArgumentNullException.ThrowIfNull(topology);
        table.Progress($"{topology.Label} on the fake: BootstrapAll, then the no-op re-run (parallelism {DefaultParallelism})");
        var (first, rerun) = await new ScaleRun(CallLatency, Polling, DefaultParallelism).MeasureAsync(topology).ConfigureAwait(false);
        foreach (var (name, run) in new[] { ("first run", first), ("no-op re-run", rerun) })
        {
            var label = $"{topology.Label} fake, {name}";
            table.Add(new BenchmarkRow("scale", $"{label}: {run.Stacks} stacks", run.Succeeded ? "succeeded" : "FAILED " + run.Failure, "", "",
                "succeeds", run.Succeeded));
            table.Add(new BenchmarkRow("scale", $"{label}: engine time", Seconds(run.Engine), "", "", "", null));
            table.Add(new BenchmarkRow("scale", $"{label}: API calls (mutating)", $"{run.Calls} ({run.Mutating})", "", "",
                name == "no-op re-run" ? "0 mutating" : "", name == "no-op re-run" ? run.Mutating == 0 : null));
            table.Add(new BenchmarkRow("scale", $"{label}: peak managed memory", $"{run.PeakBytes / 1024.0 / 1024.0:0} MB", "", "",
                "< 300 MB", run.PeakBytes < 300L * 1024 * 1024));
        }

        await AddPollRateAsync(topology, first).ConfigureAwait(false);
    }

    /// <summary>The first run's polls per second with more stacks in flight than the default: at --parallelism 64 (the
    /// most allowed) and unbounded, next to the default's; the pace's bound is one poll per gap, whatever the stacks.</summary>
    private async Task AddPollRateAsync(Topology topology, RunFigures atDefault)
    {
        var bound = 1 / Polling.PollGap.TotalSeconds;
        foreach (var (parallelism, label) in new[] { (KitOptions.MaxParallelism, $"--parallelism {KitOptions.MaxParallelism}"), (int.MaxValue, "parallelism unbounded") })
        {
            table.Progress($"{topology.Label} on the fake: first run, {label}, counting polls");
            var run = await new ScaleRun(CallLatency, Polling, parallelism).FirstRunAsync(topology).ConfigureAwait(false);
            table.Add(new BenchmarkRow("scale", $"{topology.Label} fake, first run: polls per second, {label} vs --parallelism {DefaultParallelism} (pace: {bound:0}/s)",
                $"{run.PollsPerSecond:0}/s", $"{atDefault.PollsPerSecond:0}/s", "", $"<= {bound:0}/s", run.PollsPerSecond <= bound * 1.02));
        }
    }

    public static string Ratio(double baseline, double kit) =>
        kit > 0 ? (baseline / kit).ToString("0.0", CultureInfo.InvariantCulture) + "x" : "";

    public static string Seconds(TimeSpan t) => t < TimeSpan.FromSeconds(0.1)
        ? t.TotalMilliseconds.ToString("0.0", CultureInfo.InvariantCulture) + " ms"
        : t.TotalSeconds.ToString("0.00", CultureInfo.InvariantCulture) + " s";
}
