namespace PipelineKit.Reliability.Runner;

using System.Collections.Concurrent;
using System.Diagnostics;
using System.Runtime.InteropServices;

/// <summary>A kit run in a child process (<see cref="KitRun"/>, or ./build.sh itself): its output kept line by line,
/// signals sent by pid.</summary>
public sealed class KitProcess : IDisposable
{
    public const int SigInt = 2;
    public const int SigKill = 9;

    /// <summary>Every run still going, to end with the report when it is stopped.</summary>
    private static readonly ConcurrentDictionary<int, Process> Live = new();

    private readonly Process process;
    private readonly ConcurrentQueue<string> lines = new();
    private readonly TaskCompletionSource exited = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private KitProcess(Process process) => this.process = process;

    public int Id => process.Id;

    /// <summary>Called with every line the run writes, stdout and stderr alike.</summary>
    public Action<KitProcess, string>? OnLine { get; set; }

    public IReadOnlyList<string> Output => lines.ToArray();

    public bool HasExited => process.HasExited;

    public static KitProcess Start(string executable, IEnumerable<string> arguments, IReadOnlyDictionary<string, string> environment,
        string workingDirectory, Action<KitProcess, string>? onLine = null)
    {
        ArgumentNullException.ThrowIfNull(environment);
        var info = new ProcessStartInfo(executable)
        {
            RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true,
            UseShellExecute = false, WorkingDirectory = workingDirectory,
        };
        foreach (var argument in arguments) info.ArgumentList.Add(argument);
        foreach (var name in new[] { "AWS_PROFILE", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_ENDPOINT_URL" })
        {
            info.Environment.Remove(name);
        }

        foreach (var (name, value) in environment) info.Environment[name] = value;
        var process = new Process { StartInfo = info, EnableRaisingEvents = true };
        var kit = new KitProcess(process) { OnLine = onLine };
        process.OutputDataReceived += (_, e) => kit.Keep(e.Data);
        process.ErrorDataReceived += (_, e) => kit.Keep(e.Data);
        process.Exited += (_, _) =>
        {
            Live.TryRemove(process.Id, out _);
            kit.exited.TrySetResult();
        };
        process.Start();
        Live[process.Id] = process;
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return kit;
    }

    /// <summary>This executable in <see cref="KitRun"/> mode (through dotnet when it runs as a dll).</summary>
    public static KitProcess StartKit(string root, IEnumerable<string> options, IReadOnlyDictionary<string, string> environment,
        Action<KitProcess, string>? onLine = null)
    {
        var self = Environment.ProcessPath!;
        var prefix = Path.GetFileNameWithoutExtension(self) == "dotnet" ? [typeof(KitProcess).Assembly.Location] : Array.Empty<string>();
        return Start(self, [.. prefix, KitRun.Mode, root, .. options], environment, root, onLine);
    }

    private void Keep(string? line)
    {
        if (line is null) return;
        lines.Enqueue(line);
        OnLine?.Invoke(this, line);
    }

    /// <summary>Waits for the run to end, at most <paramref name="timeout"/> (then kills it); its exit code, or null when it hung.</summary>
    public async Task<int?> WaitAsync(TimeSpan timeout)
    {
        if (await Task.WhenAny(exited.Task, Task.Delay(timeout)).ConfigureAwait(false) != exited.Task)
        {
            Signal(SigKill);
            await exited.Task.ConfigureAwait(false);
            return null;
        }

        process.WaitForExit();
        return process.ExitCode;
    }

    /// <summary>Sends a signal to this process only (not its children).</summary>
    public void Signal(int signal) => SignalProcess(process.Id, signal);

    public static void SignalProcess(int pid, int signal)
    {
        if (Kill(pid, signal) != 0 && Marshal.GetLastPInvokeError() != 3)
        {
            throw new InvalidOperationException($"kill({pid}, {signal}) failed: errno {Marshal.GetLastPInvokeError()}");
        }
    }

    /// <summary>Kills every run still going, with its children (the report is stopping).</summary>
    public static void KillAll()
    {
        foreach (var process in Live.Values)
        {
            try
            {
                process.Kill(entireProcessTree: true);
            }
            catch (InvalidOperationException)
            {
                // already gone
            }
        }
    }

    /// <summary>Waits until the process is gone (after a SIGKILL).</summary>
    public Task ExitedAsync => exited.Task;

    public void Dispose() => process.Dispose();

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int Kill(int pid, int signal);
}
