namespace PipelineKit.Benchmarks;

/// <summary>Row 3 (placeholder while the emulator rows are built).</summary>
public sealed class EmulatorRows(BenchmarkTable table, string root)
{
    public Task AddAsync(Topology topology) { table.Progress($"{root} {topology}"); return Task.CompletedTask; }
}
