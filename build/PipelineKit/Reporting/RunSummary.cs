namespace PipelineKit.Reporting;

using PipelineKit.Aws;
using PipelineKit.Deployment;
using PipelineKit.Errors;

/// <summary>
/// What a run did, printed once at its end: a table of every stack, the counts, each failure with its
/// next step, and how to resume. The text is the product: plain ASCII, so it reads the same in a
/// terminal, a CI log and the log file.
/// </summary>
public sealed class RunSummary
{
    private static readonly StackOutcome[] CountOrder =
    [
        StackOutcome.Created, StackOutcome.Updated, StackOutcome.Recreated, StackOutcome.Unchanged,
        StackOutcome.Deleted, StackOutcome.Failed, StackOutcome.NotStarted,
    ];

    private readonly IReadOnlyList<(StackRef Ref, StackResult Result)> _stacks;

    /// <param name="stacks">Every stack of the run with its result, in the order to show them.</param>
    public RunSummary(IEnumerable<(StackRef Ref, StackResult Result)> stacks)
    {
        ArgumentNullException.ThrowIfNull(stacks);
        _stacks = [.. stacks];
    }

    public IReadOnlyList<(StackRef Ref, StackResult Result)> Stacks => _stacks;

    /// <summary>True when every stack finished successfully.</summary>
    public bool Succeeded => _stacks.All(s => s.Result.Succeeded);

    /// <summary>The target's failure when a stack failed or did not start: the counts, pointing at the summary above.</summary>
    /// <param name="interrupted">Ctrl+C stopped the run: it ends as <see cref="ErrorCodes.Interrupted"/>.</param>
    public KitRunFailedException Failure(string target, bool interrupted) =>
        new(interrupted ? ErrorCodes.Interrupted : ErrorCodes.StacksFailed,
            $"{target} failed: {_stacks.Count(s => s.Result.Outcome == StackOutcome.Failed)} stack(s) failed, " +
            $"{_stacks.Count(s => s.Result.Outcome == StackOutcome.NotStarted)} not started. See the summary above.",
            "Fix the cause above and re-run the same command; finished stacks are skipped.");

    /// <summary>The summary under <paramref name="heading"/>, as one block of text: the run's closing message.</summary>
    public string Text(string heading, AwsCallCounts? awsCalls = null)
    {
        var text = new StringWriter();
        text.WriteLine(heading);
        Render(text, awsCalls);
        return text.ToString()[..^text.NewLine.Length];
    }

    /// <param name="output">Where to write.</param>
    /// <param name="awsCalls">AWS API calls the run made, how many mutating, and the retries they took; the line is left
    /// out when null.</param>
    public void Render(TextWriter output, AwsCallCounts? awsCalls = null)
    {
        ArgumentNullException.ThrowIfNull(output);
        if (_stacks.Count == 0)
        {
            output.WriteLine("No stacks in this run.");
            WriteCalls(output, awsCalls);
            return;
        }

        string[] header = ["Stack", "Account", "Region", "Outcome", "Status", "Elapsed"];
        var rows = _stacks.Select(s => new[]
        {
            s.Ref.Key,
            s.Result.Location.AccountId,
            s.Result.Location.Region,
            ReportText.Outcome(s.Result.Outcome),
            s.Result.Status?.Value ?? "-",
            s.Result.Outcome == StackOutcome.NotStarted ? "-" : ReportText.Elapsed(s.Result.Elapsed),
        }).ToList();
        var widths = Enumerable.Range(0, header.Length)
            .Select(c => rows.Select(r => r[c].Length).Prepend(header[c].Length).Max())
            .ToArray();

        WriteRow(output, header, widths);
        output.WriteLine(string.Join("  ", widths.Select(w => new string('-', w))));
        foreach (var row in rows) WriteRow(output, row, widths);

        output.WriteLine();
        output.WriteLine(string.Join(", ", CountOrder
            .Select(o => (Outcome: o, Count: _stacks.Count(s => s.Result.Outcome == o)))
            .Where(c => c.Count > 0)
            .Select(c => $"{c.Count} {ReportText.Outcome(c.Outcome)}")));

        var failures = _stacks.Where(s => s.Result.Outcome == StackOutcome.Failed).ToList();
        if (failures.Count > 0)
        {
            output.WriteLine();
            output.WriteLine("Failures:");
            foreach (var (stackRef, result) in failures)
            {
                output.WriteLine($"  {stackRef.Key} ({result.StackName} in {result.Location}): {result.Error ?? "no error was recorded"}");
                output.WriteLine($"    Next step: {result.NextStep ?? "read the stack's events in the log file"}");
            }
        }

        if (!Succeeded)
        {
            output.WriteLine();
            output.WriteLine("Resume: fix the cause above and re-run the same command; finished stacks are skipped.");
        }

        WriteCalls(output, awsCalls);
    }

    /// <summary>The rendered text, as <see cref="Render"/> writes it.</summary>
    public string ToString(AwsCallCounts? awsCalls)
    {
        var text = new StringWriter { NewLine = "\n" };
        Render(text, awsCalls);
        return text.ToString();
    }

    public override string ToString() => ToString(null);

    private static void WriteCalls(TextWriter output, AwsCallCounts? awsCalls)
    {
        if (awsCalls is null) return;
        output.WriteLine();
        output.WriteLine($"AWS calls: {awsCalls}");
    }

    /// <summary>Text columns left-aligned, elapsed right-aligned; no trailing spaces.</summary>
    private static void WriteRow(TextWriter output, string[] cells, int[] widths)
    {
        var last = cells.Length - 1;
        var padded = cells.Select((cell, c) => c == last ? cell.PadLeft(widths[c]) : cell.PadRight(widths[c]));
        output.WriteLine(string.Join("  ", padded).TrimEnd());
    }
}
