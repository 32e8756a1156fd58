namespace PipelineKit.Deployment;

using PipelineKit.Aws;

/// <summary>
/// Reads a stack's events as they appear: each event once, oldest first. DescribeStackEvents returns
/// the newest first, in pages; reading stops at the last event already seen (the watermark).
/// </summary>
internal sealed class EventStream(ICloudFormation cfn, string stackName, string? watermark)
{
    /// <summary>A bound on pages read per poll; a stack with more new events than this catches up next poll.</summary>
    private const int MaxPagesPerRead = 20;

    private readonly List<StackEvent> seen = [];
    private string? newestSeen = watermark;

    public async Task<IReadOnlyList<StackEvent>> ReadNewAsync(CancellationToken ct)
    {
        var fresh = new List<StackEvent>();
        string? token = null;
        var reachedWatermark = false;
        for (var page = 0; page < MaxPagesPerRead && !reachedWatermark; page++)
        {
            var result = await cfn.DescribeStackEventsAsync(stackName, token, ct).ConfigureAwait(false);
            foreach (var e in result.Events)
            {
                if (e.EventId == newestSeen)
                {
                    reachedWatermark = true;
                    break;
                }

                fresh.Add(e);
            }

            token = result.NextToken;
            if (token is null) break;
        }

        if (fresh.Count == 0) return [];
        newestSeen = fresh[0].EventId;
        fresh.Reverse();
        seen.AddRange(fresh);
        return fresh;
    }

    /// <summary>The earliest failure of this run that is a cause rather than a consequence: resources
    /// cancelled because another one failed say so in their reason and are passed over.</summary>
    public StackEvent? FirstFailure()
    {
        var failures = seen.Where(e => e.ResourceStatus.EndsWith("_FAILED", StringComparison.Ordinal)).ToList();
        return failures.FirstOrDefault(e => !IsCollateral(e.ResourceStatusReason) && e.LogicalResourceId != e.StackName)
            ?? failures.FirstOrDefault();
    }

    private static bool IsCollateral(string? reason) =>
        reason is not null && (reason.Contains("cancelled", StringComparison.OrdinalIgnoreCase) ||
                               reason.Contains("canceled", StringComparison.OrdinalIgnoreCase));
}
