namespace PipelineKit.Configuration;

/// <summary>
/// The "did you mean" of every message about a name the kit does not know: a field of pipeline.json, a region,
/// a source type, a command-line option. One matcher, so a typo is judged the same way wherever it is made.
/// </summary>
internal static class DidYouMean
{
    /// <summary>Closest candidate by edit distance (ignoring case), when close enough to be a plausible typo; else null.</summary>
    public static string? ClosestMatch(string value, IEnumerable<string> candidates)
    {
        var lowered = value.ToLowerInvariant();
        var best = candidates
            .Select(c => (Candidate: c, Distance: EditDistance(lowered, c.ToLowerInvariant())))
            .OrderBy(x => x.Distance)
            .FirstOrDefault();
        return best.Candidate is not null && best.Distance <= Math.Max(2, lowered.Length / 3) ? best.Candidate : null;
    }

    /// <summary>Levenshtein distance: insertions, deletions and substitutions, one each.</summary>
    internal static int EditDistance(string a, string b)
    {
        var previous = Enumerable.Range(0, b.Length + 1).ToArray();
        var current = new int[b.Length + 1];
        for (var i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            for (var j = 1; j <= b.Length; j++)
            {
                var cost = a[i - 1] == b[j - 1] ? 0 : 1;
                current[j] = Math.Min(Math.Min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + cost);
            }

            (previous, current) = (current, previous);
        }

        return previous[b.Length];
    }
}
