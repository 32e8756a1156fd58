namespace PipelineKit.Reporting;

using PipelineKit.Deployment;

/// <summary>The words and number formats every view shares, so the live view, the log and the summary
/// say the same thing the same way.</summary>
internal static class ReportText
{
    /// <summary>mm:ss, or h:mm:ss past an hour.</summary>
    public static string Elapsed(TimeSpan elapsed)
    {
        if (elapsed < TimeSpan.Zero) elapsed = TimeSpan.Zero;
        return elapsed.TotalHours >= 1
            ? $"{(int)elapsed.TotalHours}:{elapsed.Minutes:00}:{elapsed.Seconds:00}"
            : $"{elapsed.Minutes:00}:{elapsed.Seconds:00}";
    }

    public static string Outcome(StackOutcome outcome) => outcome switch
    {
        StackOutcome.Created => "created",
        StackOutcome.Updated => "updated",
        StackOutcome.Unchanged => "unchanged",
        StackOutcome.Recreated => "recreated",
        StackOutcome.Failed => "failed",
        StackOutcome.NotStarted => "not started",
        _ => outcome.ToString().ToLowerInvariant(),
    };

    /// <summary>A resource event that reports a failure (CREATE_FAILED, UPDATE_FAILED, DELETE_FAILED, ...).</summary>
    public static bool IsFailure(Aws.StackEvent stackEvent) =>
        stackEvent.ResourceStatus.EndsWith("_FAILED", StringComparison.Ordinal);
}
