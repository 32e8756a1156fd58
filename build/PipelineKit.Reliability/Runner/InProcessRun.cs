namespace PipelineKit.Reliability.Runner;

using PipelineKit.Errors;
using PipelineKit.Orchestration;

/// <summary>What a kit run ended with: its exit code (null when it hung and was stopped) and every line it printed.</summary>
public sealed record RunOutcome(int? Exit, IReadOnlyList<string> Output);

/// <summary>
/// A foundation run (the targets <see cref="KitRun"/> runs) on a <see cref="KitHost"/> in this process, printing to a
/// buffer: for the runs nothing signals (arrangements, recovery runs, checks, and faulty runs without a signal), it
/// spares a process start and a JIT warm-up per run. Stopped through its cancellation token after the run timeout.
/// Options are read by name only: a run that must meet the kit's command-line checks runs in a child process.
/// </summary>
public static class InProcessRun
{
    public static async Task<RunOutcome> RunAsync(string root, IReadOnlyList<string> options, IReadOnlyDictionary<string, string> environment,
        TimeSpan timeout)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(environment);
        var arguments = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < options.Count; i++)
        {
            var name = options[i].TrimStart('-');
            var value = i + 1 < options.Count && !options[i + 1].StartsWith("--", StringComparison.Ordinal) ? options[++i] : "true";
            arguments[name] = value;
        }

        var console = new StringWriter();
        RoutedConsole.Install();
        RoutedConsole.Current.Value = TextWriter.Synchronized(console);
        using var stop = new CancellationTokenSource(timeout);
        int? exit;
        try
        {
            using var kit = KitHost.Create(root, name => arguments.GetValueOrDefault(name), name => environment.GetValueOrDefault(name),
                RoutedConsole.Current.Value, TimeProvider.System);
            foreach (var target in KitRun.Foundation) await kit.RunAsync(target, stop.Token).ConfigureAwait(false);
            exit = kit.ExitCode;
        }
        catch (Exception e) when (stop.IsCancellationRequested && e is OperationCanceledException or KitException)
        {
            exit = null;
        }
        catch (Exception e)
        {
            RoutedConsole.Current.Value.WriteLine($"{e.GetType().Name}: {e.Message}");
            if (e is KitException { NextStep: { } next }) RoutedConsole.Current.Value.WriteLine($"Next step: {next}");

            exit = ExitCodes.For(e);
        }

        return new RunOutcome(exit, console.ToString().Split('\n').Select(l => l.TrimEnd('\r')).ToArray());
    }
}
