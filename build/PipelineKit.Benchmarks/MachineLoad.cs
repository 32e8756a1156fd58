namespace PipelineKit.Benchmarks;

using System.Globalization;

/// <summary>What the figures were measured on: the cores and the load average (the machines are shared).</summary>
public static class MachineLoad
{
    public static Dictionary<string, string> Describe() => new()
    {
        ["cores"] = Environment.ProcessorCount.ToString(CultureInfo.InvariantCulture),
        ["os"] = System.Runtime.InteropServices.RuntimeInformation.OSDescription,
        ["runtime"] = System.Runtime.InteropServices.RuntimeInformation.FrameworkDescription,
        ["measuredAt"] = DateTimeOffset.UtcNow.ToString("u", CultureInfo.InvariantCulture),
        ["loadBefore"] = Now(),
    };

    /// <summary>The 1, 5 and 15 minute load averages (Linux), or "unknown".</summary>
    public static string Now()
    {
        try
        {
            var parts = File.ReadAllText("/proc/loadavg").Split(' ');
            return string.Join(" ", parts.Take(3));
        }
        catch (IOException)
        {
            return "unknown";
        }
        catch (UnauthorizedAccessException)
        {
            return "unknown";
        }
    }
}

/// <summary>The repository's root: the nearest folder up from the working directory that holds build.sh and build.cake.</summary>
public static class RepositoryRoot
{
    public static string Find(string start)
    {
        for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "build.sh")) && File.Exists(Path.Combine(dir.FullName, "build.cake"))) return dir.FullName;
        }

        throw new InvalidOperationException($"No build.sh and build.cake in {start} or above: run the benchmark from the repository.");
    }
}
