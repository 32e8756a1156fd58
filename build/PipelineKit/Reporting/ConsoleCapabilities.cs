namespace PipelineKit.Reporting;

/// <summary>Decides whether the live, redrawn-in-place view may own the terminal.</summary>
public static class ConsoleCapabilities
{
    /// <summary>True when output goes to a terminal that understands cursor movement and no CI system is
    /// collecting it: stdout is not redirected, TERM is not "dumb" and CI is unset or empty.
    /// The lookups are passed in so that tests (and Cake, with its own argument/environment) feed them.</summary>
    public static bool IsInteractive(bool outputRedirected, Func<string, string?> environment)
    {
        ArgumentNullException.ThrowIfNull(environment);
        if (outputRedirected) return false;
        if (string.Equals(environment("TERM"), "dumb", StringComparison.OrdinalIgnoreCase)) return false;
        return string.IsNullOrEmpty(environment("CI"));
    }

    /// <summary><see cref="IsInteractive(bool, Func{string, string?})"/> for this process's console.</summary>
    public static bool IsInteractive() => IsInteractive(Console.IsOutputRedirected, Environment.GetEnvironmentVariable);

    /// <summary>The terminal's width in columns, or null when there is none (redirected, no TTY).</summary>
    public static int? WindowWidth()
    {
        try
        {
            if (Console.IsOutputRedirected) return null;
            var width = Console.WindowWidth;
            return width > 0 ? width : null;
        }
        catch (Exception e) when (e is IOException or InvalidOperationException or PlatformNotSupportedException)
        {
            return null;
        }
    }
}
