namespace PipelineKit.Benchmarks;

using System.Diagnostics;

/// <summary>A child process timed from start to exit, as a user runs it; its output kept for when it fails. When its first
/// line came and when its last did show where a whole process's time went: starting, working, ending.</summary>
public sealed record TimedProcess(int ExitCode, TimeSpan Elapsed, string Output, TimeSpan FirstLine, TimeSpan LastLine)
{
    public string Breakdown => $"first line after {FirstLine.TotalSeconds:0.0} s, exit {(Elapsed - LastLine).TotalSeconds:0.0} s after the last";
}

public static class ProcessTimer
{
    public static async Task<TimedProcess> RunAsync(string executable, IEnumerable<string> arguments, string workingDirectory,
        IReadOnlyDictionary<string, string>? environment = null, TimeSpan? timeout = null)
    {
        var info = new ProcessStartInfo(executable)
        {
            RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false, WorkingDirectory = workingDirectory,
        };
        foreach (var argument in arguments) info.ArgumentList.Add(argument);
        // An empty value removes the variable: the child must not see the caller's credentials.
        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            if (value.Length == 0) info.Environment.Remove(name);
            else info.Environment[name] = value;
        }

        using var process = new Process { StartInfo = info };
        var output = new System.Text.StringBuilder();
        var clock = new Stopwatch();
        TimeSpan? first = null;
        var last = TimeSpan.Zero;
        void Keep(string? line)
        {
            if (line is null) return;
            lock (output)
            {
                first ??= clock.Elapsed;
                last = clock.Elapsed;
                output.AppendLine(line);
            }
        }

        process.OutputDataReceived += (_, e) => Keep(e.Data);
        process.ErrorDataReceived += (_, e) => Keep(e.Data);
        clock.Start();
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        using var stop = new CancellationTokenSource(timeout ?? TimeSpan.FromMinutes(10));
        try
        {
            await process.WaitForExitAsync(stop.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync(CancellationToken.None).ConfigureAwait(false);
        }

        clock.Stop();
        lock (output)
        {
            return new TimedProcess(stop.IsCancellationRequested ? -1 : process.ExitCode, clock.Elapsed, output.ToString(),
                first ?? clock.Elapsed, last);
        }
    }

    /// <summary>The median of <paramref name="times"/> runs, after one that warms the caches; fails on a non-zero exit.</summary>
    public static async Task<TimeSpan> WarmMedianAsync(Func<Task<TimedProcess>> run, int times)
    {
        ArgumentNullException.ThrowIfNull(run);
        var samples = new List<TimeSpan>();
        for (var i = 0; i <= times; i++)
        {
            var result = await run().ConfigureAwait(false);
            if (result.ExitCode != 0) throw new InvalidOperationException($"exit {result.ExitCode}:\n{Tail(result.Output)}");
            if (i > 0) samples.Add(result.Elapsed);
        }

        return samples.Order().ElementAt(samples.Count / 2);
    }

    public static string Tail(string output, int lines = 30) =>
        string.Join('\n', output.Split('\n').TakeLast(lines));
}
