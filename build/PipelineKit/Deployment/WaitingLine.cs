namespace PipelineKit.Deployment;

using System.Globalization;
using PipelineKit.Aws;

/// <summary>
/// Keeps the user told while the deployer waits on a stack (which may take up to <see cref="PollingPolicy.StackDeadline"/>):
/// a line with what it waits for, the stack's status and the time waited so far, when the wait starts, whenever the
/// status changes, and every <see cref="PollingPolicy.ReportEvery"/> in between.
/// </summary>
internal sealed class WaitingLine(StackContext context, string waitingFor)
{
    private readonly DateTimeOffset started = context.Now;
    private DateTimeOffset? lastShown;
    private StackStatus? lastStatus;

    /// <summary>Called with every status read; shows a line when one is due.</summary>
    public void Show(StackStatus? status)
    {
        var now = context.Now;
        if (lastShown is { } last && status == lastStatus && now - last < context.Policy.ReportEvery) return;
        lastShown = now;
        lastStatus = status;
        context.Progress($"{waitingFor} ({Elapsed(now - started)} so far)", status);
    }

    /// <summary>"0s", "45s", "3m 05s", "1h 02m".</summary>
    internal static string Elapsed(TimeSpan elapsed) => elapsed switch
    {
        { TotalHours: >= 1 } => string.Create(CultureInfo.InvariantCulture, $"{(int)elapsed.TotalHours}h {elapsed.Minutes:00}m"),
        { TotalMinutes: >= 1 } => string.Create(CultureInfo.InvariantCulture, $"{elapsed.Minutes}m {elapsed.Seconds:00}s"),
        _ => string.Create(CultureInfo.InvariantCulture, $"{(int)elapsed.TotalSeconds}s"),
    };
}
