namespace PipelineKit.Verification;

using System.Globalization;

/// <summary>
/// The report as text: one row per check, one column per account, each cell pass, FAIL, skip or "-" (does not apply
/// there), then one reason per failed or skipped cell, numbered (cells with the same reason share its number), then the
/// verdict. Lines, not console writes, so any output channel can carry them.
/// </summary>
public static class VerifyMatrix
{
    private const int MinimumWidth = 14;

    public static IReadOnlyList<string> Render(VerifyReport report, string? reportPath = null)
    {
        ArgumentNullException.ThrowIfNull(report);
        var rowWidth = VerifyChecks.InOrder.Max(c => c.Length) + 2;
        var widths = report.Columns.Select(c => Math.Max(MinimumWidth, Math.Max(c.Label.Length, c.Account.Length) + 2)).ToArray();
        var lines = new List<string>
        {
            $"Verify: {report.Pipeline} ({report.Where})",
            "",
            Row("", report.Columns.Select(c => c.Label), rowWidth, widths),
            Row("", report.Columns.Select(c => c.Account), rowWidth, widths),
        };

        var notes = new List<string>();
        var cells = report.Cells;
        foreach (var check in VerifyChecks.InOrder)
        {
            lines.Add(Row(check, cells.Where(c => c.Check == check).Select(c => CellText(c, notes)), rowWidth, widths));
        }

        if (notes.Count > 0)
        {
            lines.Add("");
            lines.AddRange(notes.Select((note, i) => string.Create(CultureInfo.InvariantCulture, $"[{i + 1}] {note}")));
        }

        lines.Add("");
        lines.Add(Verdict(cells, reportPath));
        return lines;
    }

    private static string CellText(VerifyCell cell, List<string> notes)
    {
        if (cell.Status is null) return "-";
        if (cell.Status == CheckStatus.Pass) return "pass";
        var reason = cell.Reason!;
        var more = cell.Findings.Count(f => f.Status == cell.Status) - 1;
        // A skip's reason says why nothing was checked, the same wherever it applies (an emulator that lacks an
        // operation): cells with the same one share its note. A failure names what failed, in that cell.
        var note = cell.Status == CheckStatus.Skip
            ? $"skipped: {reason.Reason}"
            : $"{cell.Check}, {cell.Column.Label} {cell.Column.Account}: {reason.Text}" + (more > 0 ? $" (and {more} more)" : "");
        var index = notes.IndexOf(note);
        if (index < 0)
        {
            notes.Add(note);
            index = notes.Count - 1;
        }

        return string.Create(CultureInfo.InvariantCulture, $"{(cell.Status == CheckStatus.Fail ? "FAIL" : "skip")} [{index + 1}]");
    }

    private static string Verdict(IReadOnlyList<VerifyCell> cells, string? reportPath)
    {
        int Count(CheckStatus status) => cells.Count(c => c.Status == status);
        var where = reportPath is null ? "" : $"; every finding in {reportPath}";
        return Count(CheckStatus.Fail) == 0
            ? $"Verify passed: {Count(CheckStatus.Pass)} cells pass, {Count(CheckStatus.Skip)} skipped{where}."
            : $"Verify FAILED: {Count(CheckStatus.Fail)} cells fail, {Count(CheckStatus.Pass)} pass, {Count(CheckStatus.Skip)} skipped{where}.";
    }

    private static string Row(string head, IEnumerable<string> cells, int rowWidth, int[] widths) =>
        (head.PadRight(rowWidth) + string.Concat(cells.Select((c, i) => c.PadRight(widths[i])))).TrimEnd();
}
