namespace PipelineKit.Benchmarks;

using System.Diagnostics;
using PipelineKit.Orchestration;
using PipelineKit.Sandbox;

/// <summary>
/// Row 3, on the emulator (a moto_server this row starts): BootstrapAll of a topology, first deploy and no-op re-run, as
/// a user runs it (<c>./build.sh BootstrapAll --config ...</c>, whole process) and the engine alone (a KitHost in this
/// process); beside them, on the same emulator, the original script's seven phases with the AWS CLI (cli-bootstrap.sh).
/// Each run has a pipeline name of its own, and its synthesized pipeline is forgotten first: a first deploy synthesizes.
/// </summary>
public sealed class EmulatorRows(BenchmarkTable table, string root)
{
    public async Task AddAsync(Topology topology)
    {
        ArgumentNullException.ThrowIfNull(topology);
        // A user's second command finds the kit built and build.cake compiled: warm them as a first command would. --help
        // builds the kit; a target with a missing --config compiles the script a target runs in, and stops before any AWS call.
        table.Progress("warming ./build.sh (builds the kit and compiles build.cake when they changed)");
        Succeeded("./build.sh --help", await ProcessTimer.RunAsync(Path.Combine(root, "build.sh"), ["--help"], root).ConfigureAwait(false));
        var compiled = await ProcessTimer.RunAsync(Path.Combine(root, "build.sh"),
            ["BootstrapAll", "--config", Path.Combine(Path.GetTempPath(), $"pipelinekit-bench-{Guid.NewGuid():N}.json")], root).ConfigureAwait(false);
        table.Progress($"./build.sh BootstrapAll --config <missing> (compiles build.cake): exit {compiled.ExitCode}, {FakeCloudRows.Seconds(compiled.Elapsed)}");
        table.Progress("starting the emulator (moto_server)");
        await using var moto = await MotoServer.StartAsync().ConfigureAwait(false);
        // The kit's runs write artifacts/outputs.json for the pipeline they ran: the benchmark's must not replace the user's.
        using var userOutputs = new KeptFile(Path.Combine(root, "artifacts", "outputs.json"));

        // The script first: the kit then meets an emulator that already holds the script's stacks, not an emptier one.
        using var cliSpace = new EmulatorWorkspace("benchcli", topology, moto.Url);
        var cli = new CliSequence(root, cliSpace);
        table.Progress($"{topology.Label} AWS CLI, the script's seven phases: preparing (synthesizing its pipeline template, not timed)");
        cli.Prepare();
        table.Progress($"{topology.Label} AWS CLI, the script's seven phases: deploying");
        var script = Succeeded("the AWS CLI sequence", await cli.RunAsync().ConfigureAwait(false));

        using var kitSpace = new EmulatorWorkspace("benchkit", topology, moto.Url);
        ForgetSynthesis(kitSpace);
        table.Progress($"{topology.Label} ./build.sh BootstrapAll, first deploy");
        var first = Succeeded("./build.sh BootstrapAll", Kept("first-deploy", await BuildShAsync(kitSpace).ConfigureAwait(false)));
        table.Progress($"{topology.Label} ./build.sh BootstrapAll, no-op re-run");
        var rerun = Succeeded("./build.sh BootstrapAll (re-run)", Kept("re-run", await BuildShAsync(kitSpace).ConfigureAwait(false)));

        using var engineSpace = new EmulatorWorkspace("benchengine", topology, moto.Url);
        ForgetSynthesis(engineSpace);
        table.Progress($"{topology.Label} engine only (KitHost in this process), first deploy and no-op re-run");
        var engineFirst = await EngineAsync(engineSpace).ConfigureAwait(false);
        var engineRerun = await EngineAsync(engineSpace).ConfigureAwait(false);

        var label = $"{topology.Label} emulator";
        table.Add(new BenchmarkRow("emulator", $"{label}: first deploy, whole process (./build.sh vs AWS CLI script)",
            FakeCloudRows.Seconds(first), FakeCloudRows.Seconds(script), FakeCloudRows.Ratio(script.TotalSeconds, first.TotalSeconds),
            ">= 8x faster", script / first >= 8));
        table.Add(new BenchmarkRow("emulator", $"{label}: first deploy, engine only (CDK runtime already started)", FakeCloudRows.Seconds(engineFirst),
            FakeCloudRows.Seconds(script), FakeCloudRows.Ratio(script.TotalSeconds, engineFirst.TotalSeconds), "", null));
        table.Add(new BenchmarkRow("emulator", $"{label}: no-op re-run, whole process", FakeCloudRows.Seconds(rerun), "", "",
            "< 5 s", rerun < TimeSpan.FromSeconds(5)));
        table.Add(new BenchmarkRow("emulator", $"{label}: no-op re-run, engine only", FakeCloudRows.Seconds(engineRerun), "", "", "", null));
    }

    private Task<TimedProcess> BuildShAsync(EmulatorWorkspace workspace) =>
        ProcessTimer.RunAsync(Path.Combine(root, "build.sh"), ["BootstrapAll", "--config", workspace.ConfigPath], root,
            workspace.Environment, TimeSpan.FromMinutes(15));

    private async Task<TimeSpan> EngineAsync(EmulatorWorkspace workspace)
    {
        var arguments = new Dictionary<string, string>(StringComparer.Ordinal) { ["config"] = workspace.ConfigPath };
        var output = new StringWriter();
        using var kit = KitHost.Create(root, name => arguments.GetValueOrDefault(name),
            name => workspace.Environment.TryGetValue(name, out var value) ? value.Length > 0 ? value : null : Environment.GetEnvironmentVariable(name),
            output, TimeProvider.System);
        // Some of the run's lines reach the process's console whatever the host was given: keep them off the table.
        var console = Console.Out;
        Console.SetOut(TextWriter.Synchronized(output));
        var clock = Stopwatch.StartNew();
        IReadOnlyList<(Deployment.StackRef Ref, Deployment.StackResult Result)> results;
        try
        {
            results = await kit.RunAsync(KitTarget.BootstrapAll).ConfigureAwait(false);
        }
        finally
        {
            clock.Stop();
            Console.SetOut(console);
        }

        if (results.FirstOrDefault(r => !r.Result.Succeeded) is { Ref: { } failed } failure)
        {
            throw new InvalidOperationException($"engine run: {failed.Key} failed: {failure.Result.Error}\n{ProcessTimer.Tail(output.ToString())}");
        }

        return clock.Elapsed;
    }

    /// <summary>Keeps a whole-process run's output in artifacts/benchmark/, to see where its time went.</summary>
    private TimedProcess Kept(string name, TimedProcess run)
    {
        var folder = Path.Combine(root, "artifacts", "benchmark");
        Directory.CreateDirectory(folder);
        File.WriteAllText(Path.Combine(folder, $"build-sh-{name}.log"), run.Output);
        return run;
    }

    /// <summary>Removes the run's cached pipeline template (artifacts/pipeline/cache), left by an earlier benchmark.</summary>
    private void ForgetSynthesis(EmulatorWorkspace workspace)
    {
        var cached = Path.Combine(root, "artifacts", "pipeline", "cache", $"{workspace.Config.Name}.synthesized.json");
        if (File.Exists(cached)) File.Delete(cached);
    }

    private TimeSpan Succeeded(string what, TimedProcess run)
    {
        if (run.ExitCode != 0) throw new InvalidOperationException($"{what} failed (exit {run.ExitCode}):\n{ProcessTimer.Tail(run.Output)}");
        table.Progress($"{what}: {FakeCloudRows.Seconds(run.Elapsed)} ({run.Breakdown})");
        return run.Elapsed;
    }
}
