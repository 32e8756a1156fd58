namespace PipelineKit.Reliability;

using System.Diagnostics;
using System.Globalization;
using PipelineKit.Reliability.Runner;
using PipelineKit.Reliability.Scenarios;
using PipelineKit.Sandbox;

/// <summary>
/// Runs every scenario (or those named with <c>--only a,b</c>), <c>--parallel N</c> at a time (default 6) over
/// <c>--emulators N</c> moto servers (default 2), and prints one line per scenario and the totals. Exit code 1 when a
/// scenario was lost. <c>--emulator URL</c> runs them all against an emulator started by hand.
/// </summary>
public static class ReliabilityReport
{
    public static IReadOnlyList<Scenario> Catalog =>
        [.. FaultScenarios.All(), .. SignalScenarios.All(), .. StateScenarios.All()];

    public static async Task<int> RunAsync(IReadOnlyList<string> arguments)
    {
        var only = Option(arguments, "--only")?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var parallel = int.Parse(Option(arguments, "--parallel") ?? "6", CultureInfo.InvariantCulture);
        var emulatorCount = int.Parse(Option(arguments, "--emulators") ?? "2", CultureInfo.InvariantCulture);
        var scenarios = Catalog.Where(s => only is null || only.Contains(s.Name)).ToArray();
        if (scenarios.Length == 0)
        {
            Console.Error.WriteLine($"No scenario matches. Scenarios: {string.Join(", ", Catalog.Select(s => s.Name))}");
            return 3;
        }

        var root = RepositoryRoot();
        var clock = Stopwatch.StartNew();
        Console.WriteLine($"Reliability report: {scenarios.Length} scenarios, {parallel} at a time over {emulatorCount} emulator(s); " +
                          "foundation targets (BootstrapPrimary..UpdatePrimaryPolicy) per run.");
        // --emulator URL: an emulator started by hand (to read its log); otherwise the report starts its own.
        var external = Option(arguments, "--emulator");
        var emulators = external is null
            ? await Task.WhenAll(Enumerable.Range(0, emulatorCount).Select(_ => MotoServer.StartAsync())).ConfigureAwait(false)
            : [];
        var urls = external is null ? emulators.Select(e => e.Url).ToArray() : [external];
        void Stop()
        {
            KitProcess.KillAll();
            foreach (var emulator in emulators) emulator.DisposeAsync().AsTask().GetAwaiter().GetResult();
        }

        // Stopped by Ctrl+C or SIGTERM: no kit run or emulator outlives the report.
        Console.CancelKeyPress += (_, _) => Stop();
        AppDomain.CurrentDomain.ProcessExit += (_, _) => KitProcess.KillAll();
        try
        {
            using var slots = new SemaphoreSlim(parallel);
            var prefix = Guid.NewGuid().ToString("N")[..4];
            // The longest first (./build.sh builds and compiles its script; side-by-side runs), so none starts last.
            var order = scenarios.Select((s, i) => (s, i)).OrderBy(x => x.s.ThroughBuildScript ? 0 : x.s.Concurrent > 1 ? 1 : 2).ToArray();
            var finished = await Task.WhenAll(order.Select(async x =>
            {
                var (scenario, i) = x;
                await slots.WaitAsync().ConfigureAwait(false);
                try
                {
                    var runner = new ScenarioRunner(urls[i % urls.Length], root);
                    var result = await runner.RunAsync(scenario, $"rr{prefix}{i:00}").ConfigureAwait(false);
                    await Console.Error.WriteLineAsync($"  done: {result.Name}: {result.Outcome} ({result.Detail}) in {result.Elapsed.TotalSeconds:0} s").ConfigureAwait(false);
                    return (i, result);
                }
                finally
                {
                    slots.Release();
                }
            })).ConfigureAwait(false);
            var results = finished.OrderBy(r => r.i).Select(r => r.result).ToArray();
            ReportTable.Write(Console.Out, results, clock.Elapsed, arguments.Contains("--verbose"));
            return results.All(r => r.Survived) ? 0 : 1;
        }
        finally
        {
            foreach (var emulator in emulators) await emulator.DisposeAsync().ConfigureAwait(false);
        }
    }

    private static string? Option(IReadOnlyList<string> arguments, string name)
    {
        var index = arguments.ToList().IndexOf(name);
        return index >= 0 && index + 1 < arguments.Count ? arguments[index + 1] : null;
    }

    /// <summary>The repository the report runs from: the nearest folder up from here with build.sh.</summary>
    private static string RepositoryRoot()
    {
        foreach (var start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "build.sh")) && File.Exists(Path.Combine(dir.FullName, "build.cake"))) return dir.FullName;
            }
        }

        throw new InvalidOperationException("Run the reliability report from the repository (no build.sh found above here).");
    }
}
