namespace PipelineKit.Reliability.Runner;

using PipelineKit.Reliability.Proxy;
using PipelineKit.Reliability.Scenarios;

/// <summary>
/// Fires a scenario's <see cref="Trigger"/> once, on the runs it tracks: from the proxy's hook (at a request) or from a
/// line a run prints. For a run started through ./build.sh the signal goes to the <c>dotnet cake</c> process alone,
/// found in the run's process tree, as a terminal's Ctrl+C would reach it when nothing else is in the foreground.
/// </summary>
public sealed class TriggerWiring
{
    private readonly Trigger? trigger;
    private readonly List<KitProcess> runs = [];
    private readonly List<string> notes = [];
    private int fired;

    public TriggerWiring(Trigger? trigger, FaultProxy proxy)
    {
        ArgumentNullException.ThrowIfNull(proxy);
        this.trigger = trigger;
        if (trigger?.OnRequest is { } onRequest)
        {
            proxy.Hook = async (request, stage) =>
            {
                if (!onRequest(request, stage) || Interlocked.Exchange(ref fired, 1) == 1) return false;
                return await FireAsync($"{request} ({stage})").ConfigureAwait(false);
            };
        }
    }

    public bool Fired => Volatile.Read(ref fired) == 1;

    public IReadOnlyList<string> Notes
    {
        get
        {
            lock (notes) return notes.ToArray();
        }
    }

    public KitProcess Track(KitProcess run)
    {
        lock (runs) runs.Add(run);
        return run;
    }

    public void OnLine(KitProcess run, string line)
    {
        if (trigger?.OnLine is not { } onLine || !onLine(line) || Interlocked.Exchange(ref fired, 1) == 1) return;
        _ = FireAsync($"line \"{line.Trim()}\"");
    }

    /// <summary>Signals every tracked run; after SIGKILL waits until they are gone and asks the proxy to drop the request.</summary>
    private async Task<bool> FireAsync(string at)
    {
        KitProcess[] targets;
        lock (runs) targets = runs.ToArray();
        foreach (var run in targets)
        {
            var pid = ProcessTree.FindCake(run.Id) ?? run.Id;
            KitProcess.SignalProcess(pid, trigger!.Signal);
            var tree = ProcessTree.Describe(run.Id);
            lock (notes) notes.Add($"{(trigger.Signal == KitProcess.SigKill ? "SIGKILL" : "SIGINT")} to pid {pid} at {at}; tree: {tree}");
        }

        if (trigger!.Signal != KitProcess.SigKill) return false;
        await Task.WhenAny(Task.WhenAll(targets.Select(r => r.ExitedAsync)), Task.Delay(TimeSpan.FromSeconds(20))).ConfigureAwait(false);
        return true;
    }
}

/// <summary>Processes under a pid, read from /proc (Linux).</summary>
public static class ProcessTree
{
    /// <summary>The top-most process in the tree of <paramref name="root"/> (itself included) whose command line runs Cake.</summary>
    public static int? FindCake(int root) =>
        Descendants(root).Cast<int?>().FirstOrDefault(pid => CommandLine(pid!.Value).Split(' ').Any(w => w == "cake" || w.EndsWith("Cake.dll", StringComparison.Ordinal)));

    public static string Describe(int root) => string.Join("; ", Descendants(root).Select(pid => $"{pid} {Shorten(CommandLine(pid))}"));

    /// <summary><paramref name="root"/> and everything under it, breadth first.</summary>
    public static IReadOnlyList<int> Descendants(int root)
    {
        var parents = new Dictionary<int, int>();
        foreach (var directory in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(directory), out var pid)) continue;
            try
            {
                var stat = File.ReadAllText(Path.Combine(directory, "stat"));
                var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
                parents[pid] = int.Parse(fields[1], System.Globalization.CultureInfo.InvariantCulture);
            }
            catch (IOException)
            {
                // gone meanwhile
            }
        }

        var found = new List<int> { root };
        for (var i = 0; i < found.Count; i++) found.AddRange(parents.Where(p => p.Value == found[i]).Select(p => p.Key).Order());
        return found;
    }

    public static string CommandLine(int pid)
    {
        try
        {
            return File.ReadAllText($"/proc/{pid}/cmdline").Replace('\0', ' ').Trim();
        }
        catch (IOException)
        {
            return "";
        }
    }

    private static string Shorten(string commandLine) => commandLine.Length > 60 ? commandLine[..60] + "..." : commandLine;
}
