namespace PipelineKit.Deployment;

using PipelineKit.Aws;

/// <summary>
/// Reads a stack's events as they appear: each event once, oldest first. DescribeStackEvents returns
/// the newest first, in pages; every read goes back page by page to the last event already seen (the watermark)
/// or to the first event of the stack, so that no event between two reads is skipped, however many arrived.
/// </summary>
internal sealed class EventStream(ICloudFormation cfn, string stackName, string? watermark)
{
    private readonly List<StackEvent> seen = [];
    private string? newestSeen = watermark;

    /// <summary>The events since the last read. A read that fails part-way (throttled) returns nothing and moves
    /// nothing: the next read starts again from the same watermark.</summary>
    public async Task<IReadOnlyList<StackEvent>> ReadNewAsync(CancellationToken ct)
    {
        var fresh = new List<StackEvent>();
        var tokens = new HashSet<string>(StringComparer.Ordinal);
        string? token = null;
        var reachedWatermark = false;
        while (!reachedWatermark)
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
            // The history ends, or (never on AWS) a token comes round again.
            if (token is null || !tokens.Add(token)) break;
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
