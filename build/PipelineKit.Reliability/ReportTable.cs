namespace PipelineKit.Reliability;

using PipelineKit.Reliability.Runner;

/// <summary>The report: one line per scenario (scenario, injected fault, outcome, stacks left unsettled, duplicated
/// mutations, time), the reason under each lost one, then the totals.</summary>
public static class ReportTable
{
    public static void Write(TextWriter output, IReadOnlyList<ScenarioResult> results, TimeSpan elapsed, bool verbose)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(results);
        output.WriteLine();
        output.WriteLine($"{"scenario",-36} {"injected fault",-62} {"outcome",-20} {"unsettled",9} {"dup",4} {"time",6}");
        foreach (var r in results)
        {
            var outcome = r.Survived ? $"survived ({r.Detail})" : "lost";
            var unsettled = r.Unsettled < 0 ? "?" : r.Unsettled.ToString(System.Globalization.CultureInfo.InvariantCulture);
            output.WriteLine($"{r.Name,-36} {Cut(r.Fault, 62),-62} {outcome,-20} {unsettled,9} {r.Duplicates,4} {r.Elapsed.TotalSeconds,5:0}s");
            if (!r.Survived) output.WriteLine($"    why: {r.Detail}");
            foreach (var note in r.Notes.Where(n => verbose || !r.Survived || n.StartsWith("duplicated", StringComparison.Ordinal)))
            {
                output.WriteLine($"    {Cut(note, 200)}");
            }
        }

        var survived = results.Count(r => r.Survived);
        output.WriteLine();
        output.WriteLine($"{results.Count} scenarios, {survived} survived, {results.Count - survived} lost ({elapsed.TotalSeconds:0} s)");
    }

    private static string Cut(string text, int width) => text.Length <= width ? text : text[..(width - 3)] + "...";
}
