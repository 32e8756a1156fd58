namespace PipelineKit.Reliability.Runner;

using System.Diagnostics;
using PipelineKit.Errors;
using PipelineKit.Reliability.Proxy;
using PipelineKit.Reliability.Scenarios;

/// <summary>
/// Runs one scenario on its own proxy and pipeline name in front of a shared emulator: the arrangement, the faulty
/// run (or runs, side by side), then, unless that run already left every stack settled, one recovery run without faults;
/// then the check: every kit stack CREATE_COMPLETE or UPDATE_COMPLETE, and one more run that applies no mutating call.
/// Survived when that holds and no run reported success over unsettled stacks.
/// </summary>
public sealed class ScenarioRunner(string emulatorUrl, string repositoryRoot)
{
    public static readonly TimeSpan RunTimeout = TimeSpan.FromSeconds(150);

    public async Task<ScenarioResult> RunAsync(Scenario scenario, string pipelineName)
    {
        ArgumentNullException.ThrowIfNull(scenario);
        var clock = Stopwatch.StartNew();
        if (Directory.Exists(LogDirectory(scenario))) Directory.Delete(LogDirectory(scenario), recursive: true);
        using var workspace = new Workspace(pipelineName);
        await using var proxy = await FaultProxy.StartAsync(emulatorUrl).ConfigureAwait(false);
        using var emulator = new EmulatorState(emulatorUrl);
        var environment = workspace.Environment(proxy.Url);
        var context = new ScenarioContext(workspace, proxy, emulator,
            (options, onLine) => KitProcess.StartKit(workspace.Root, ["--config", workspace.ConfigPath, .. options], environment, onLine),
            options => InProcessRun.RunAsync(workspace.Root, ["--config", workspace.ConfigPath, .. options], environment, RunTimeout));
        var notes = new List<string>();
        ScenarioResult Result(bool survived, string detail, int unsettled)
        {
            var duplicates = proxy.Journal.Duplicates("faulty").Concat(proxy.Journal.Duplicates("recovery")).ToArray();
            notes.AddRange(duplicates.Select(d => $"duplicated in the {d.Phase} run: {d.Description}"));
            // The emulator's own server errors (a Python exception in moto; AWS would fail the stack instead), told apart
            // from injected ones: a loss they caused is the emulator's as much as the kit's.
            var own = proxy.Journal.Entries.Where(e => e.Status >= 500 && e.Fault is FaultKind.None or FaultKind.Latency or FaultKind.ResetAfterApply)
                .Select(e => $"{e.Request} ({e.Phase})").Distinct().ToArray();
            if (!survived && own.Length > 0) notes.Add($"the emulator itself answered HTTP 5xx (not injected) to: {string.Join(", ", own)}");
            return new(scenario.Name, scenario.Fault, survived, detail, unsettled, duplicates.Sum(d => d.ExtraApplications), clock.Elapsed, notes);
        }


        try
        {
            if (scenario.Arrange is { } arrange) await arrange(context).ConfigureAwait(false);

            proxy.Journal.Phase = "faulty";
            if (scenario.Rates is { } rates) proxy.Faults.Rates = rates;
            foreach (var rule in scenario.Rules ?? []) proxy.Faults.Add(rule);
            var trigger = new TriggerWiring(scenario.Trigger, proxy);
            var faulty = await FaultyRunsAsync(scenario, context, trigger, environment).ConfigureAwait(false);
            proxy.Faults.Clear();
            proxy.Hook = null;
            notes.AddRange(trigger.Notes);
            if (scenario.Trigger is not null && !trigger.Fired) return Result(false, $"the trigger never fired ({scenario.Trigger.Description})", 0);
            notes.AddRange(faulty.Select(r => $"faulty run exit {Show(r.Exit)}: {LastError(r.Output)}"));
            var exits = faulty.Select(r => r.Exit).ToArray();
            var ignored = scenario.Trigger?.Signal == KitProcess.SigInt
                ? faulty.FirstOrDefault(r => r.Exit != ExitCodes.Interrupted && !r.Output.Any(l => l.StartsWith("Cancelling:", StringComparison.Ordinal)))
                : null;
            foreach (var (run, n) in faulty.Select((r, n) => (r, n))) Keep(scenario, $"faulty-{n + 1}", run.Output);
            File.WriteAllLines(Path.Combine(LogDirectory(scenario), "notes.log"), notes);
            var unsettled = await UnsettledAsync(workspace, emulator).ConfigureAwait(false);
            if (ignored is not null)
            {
                return Result(false, $"SIGINT did not reach the kit: the run went on and ended with exit {Show(ignored.Exit)}", unsettled.Count);
            }

            string how;
            if (unsettled.Count == 0 && exits.Any(e => e == 0))
            {
                how = "first run";
            }
            else
            {
                if (exits.Any(e => e == 0) && scenario.Concurrent == 1)
                {
                    return Result(false, $"the run reported success with stacks unsettled: {string.Join(", ", unsettled)}", unsettled.Count);
                }

                proxy.Journal.Phase = "recovery";
                var (exit, line) = await RunOnceAsync(scenario, "recovery", context, []).ConfigureAwait(false);
                unsettled = await UnsettledAsync(workspace, emulator).ConfigureAwait(false);
                if (exit != 0) return Result(false, $"re-run failed (exit {Show(exit)}){AdvisedReRun(faulty)}: {line}", unsettled.Count);
                if (unsettled.Count > 0) return Result(false, $"re-run reported success with stacks unsettled: {string.Join(", ", unsettled)}", unsettled.Count);
                how = "one re-run";
            }

            proxy.Journal.Phase = "check";
            var (checkExit, checkLine) = await RunOnceAsync(scenario, "check", context, scenario.CheckOptions ?? []).ConfigureAwait(false);
            if (checkExit != 0) return Result(false, $"converged ({how}), but a further re-run failed (exit {Show(checkExit)}): {checkLine}", 0);
            var mutating = proxy.Journal.MutatingApplied("check");
            if (mutating > 0)
            {
                var calls = proxy.Journal.InPhase("check").Where(e => e.Applied && e.Request.IsMutating && !e.Request.IsRunLock).Select(e => e.Request.ToString()).Distinct();
                return Result(false, $"a further re-run made {mutating} mutating call(s): {string.Join(", ", calls)}", 0);
            }

            return Result(true, how, 0);
        }
        catch (Exception e)
        {
            return Result(false, $"scenario error: {e.GetType().Name}: {e.Message}", -1);
        }
    }

    /// <summary>The faulty run, or runs side by side: in child processes when the scenario signals them, else in this process.</summary>
    private async Task<RunOutcome[]> FaultyRunsAsync(Scenario scenario, ScenarioContext context, TriggerWiring trigger,
        IReadOnlyDictionary<string, string> environment)
    {
        if (scenario.Trigger is null && !scenario.ThroughBuildScript)
        {
            return await Task.WhenAll(Enumerable.Range(0, scenario.Concurrent).Select(_ => context.RunAsync())).ConfigureAwait(false);
        }

        var runs = Enumerable.Range(0, scenario.Concurrent).Select(_ => trigger.Track(scenario.ThroughBuildScript
                ? KitProcess.Start(Path.Combine(repositoryRoot, "build.sh"), ["UpdatePrimaryPolicy", "--config", context.Workspace.ConfigPath],
                    BuildScriptEnvironment(environment), repositoryRoot, trigger.OnLine)
                : context.StartKit(onLine: trigger.OnLine)))
            .ToArray();
        var exits = await Task.WhenAll(runs.Select(r => r.WaitAsync(RunTimeout))).ConfigureAwait(false);
        var outcomes = runs.Zip(exits).Select(r => new RunOutcome(r.Second, r.First.Output)).ToArray();
        foreach (var run in runs) run.Dispose();
        return outcomes;
    }

    private async Task<(int? Exit, string Line)> RunOnceAsync(Scenario scenario, string phase, ScenarioContext context, IReadOnlyList<string> options)
    {
        // Options go through the kit's command-line parser, as ./build.sh would pass them: in a child process.
        RunOutcome run;
        if (options.Count == 0)
        {
            run = await context.RunAsync().ConfigureAwait(false);
        }
        else
        {
            using var child = context.StartKit(options);
            run = new RunOutcome(await child.WaitAsync(RunTimeout).ConfigureAwait(false), child.Output);
        }

        Keep(scenario, phase, run.Output);
        return (run.Exit, LastError(run.Output));
    }

    /// <summary>Where each run's output is kept: artifacts/reliability/SCENARIO/PHASE.log.</summary>
    public string LogDirectory(Scenario scenario) => Path.Combine(repositoryRoot, "artifacts", "reliability", scenario.Name);

    private void Keep(Scenario scenario, string phase, IReadOnlyList<string> output)
    {
        Directory.CreateDirectory(LogDirectory(scenario));
        File.WriteAllLines(Path.Combine(LogDirectory(scenario), $"{phase}.log"), output);
    }

    /// <summary>Every kit stack not CREATE_COMPLETE or UPDATE_COMPLETE, with its status.</summary>
    public static async Task<IReadOnlyList<string>> UnsettledAsync(Workspace workspace, EmulatorState emulator)
    {
        ArgumentNullException.ThrowIfNull(workspace);
        ArgumentNullException.ThrowIfNull(emulator);
        var unsettled = new List<string>();
        foreach (var stack in workspace.Stacks)
        {
            var status = (await emulator.DescribeAsync(stack).ConfigureAwait(false))?.Status.Value ?? "missing";
            if (status is not ("CREATE_COMPLETE" or "UPDATE_COMPLETE")) unsettled.Add($"{stack.Name}@{stack.Account}/{stack.Region} {status}");
        }

        return unsettled;
    }

    /// <summary>Wrong advice: the faulty run said a re-run resumes, and the re-run failed.</summary>
    private static string AdvisedReRun(IEnumerable<RunOutcome> runs) =>
        runs.Any(r => r.Output.Any(l => l.Contains("Re-run the same command", StringComparison.Ordinal) || l.Contains("Re-run to resume", StringComparison.Ordinal)))
            ? ", though the faulty run advised that a re-run resumes"
            : "";

    private static string Show(int? exit) => exit?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "none, hung and killed";

    /// <summary>The run's last line that reads as an error, else its last line.</summary>
    private static string LastError(IReadOnlyList<string> output)
    {
        var line = output.FirstOrDefault(l => l.Contains("] ", StringComparison.Ordinal) && l.Contains(" failed", StringComparison.Ordinal))
                   ?? output.LastOrDefault(l => l.Contains("rror", StringComparison.Ordinal) || l.Contains("failed", StringComparison.OrdinalIgnoreCase))
                   ?? output.LastOrDefault() ?? "(no output)";
        return line.Length > 160 ? line[..160] + "..." : line.Trim();
    }

    /// <summary>./build.sh as a user runs it; MSBuild's build nodes must not outlive it as its children.</summary>
    private static Dictionary<string, string> BuildScriptEnvironment(IReadOnlyDictionary<string, string> environment) =>
        new(environment) { ["MSBUILDDISABLENODEREUSE"] = "1" };
}
