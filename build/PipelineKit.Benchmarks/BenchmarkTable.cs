namespace PipelineKit.Benchmarks;

using System.Text.Json;
using System.Text.Json.Serialization;

/// <summary>One line of the benchmark table: a measure of the kit next to its baseline, measured side by side.</summary>
/// <param name="Met">Whether the goal was met; null when the row has no goal.</param>
public sealed record BenchmarkRow(string Section, string Measure, string Kit, string Baseline, string Ratio, string Goal, bool? Met);

/// <summary>The rows of a benchmark run: printed as they come (progress) and at the end as a table, written as JSON.</summary>
public sealed class BenchmarkTable(TextWriter console)
{
    private static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull, PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };
    private readonly List<BenchmarkRow> rows = [];

    public IReadOnlyList<BenchmarkRow> Rows => rows;

    public void Add(BenchmarkRow row)
    {
        rows.Add(row);
        var baseline = row.Baseline.Length > 0 ? $", baseline {row.Baseline}, {row.Ratio}" : "";
        console.WriteLine($"  {row.Measure}: {row.Kit}{baseline} {Verdict(row)}".TrimEnd());
    }

    public void Progress(string message) => console.WriteLine($"[{DateTime.Now:HH:mm:ss}] {message}");

    /// <summary>The table, as Markdown (the README shows the same).</summary>
    public void Print()
    {
        console.WriteLine();
        console.WriteLine("| section | measure | kit | baseline | ratio | goal |");
        console.WriteLine("|---|---|---|---|---|---|");
        foreach (var row in rows)
        {
            console.WriteLine($"| {row.Section} | {row.Measure} | {row.Kit} | {row.Baseline} | {row.Ratio} | {row.Goal} {Verdict(row)} |".Replace("  |", " |", StringComparison.Ordinal));
        }
    }

    public void Write(string path, IReadOnlyDictionary<string, string> machine)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, JsonSerializer.Serialize(new { machine, rows }, Json));
    }

    public bool AllGoalsMet => rows.All(r => r.Met != false);

    private static string Verdict(BenchmarkRow row) => row.Met switch { true => "(met)", false => "(MISSED)", null => "" };
}
