namespace PipelineKit.Benchmarks;

/// <summary>The managed heap's peak while it runs, sampled every 10 ms and at the end (the heap size GC recorded after its
/// last collection counts too).</summary>
public sealed class PeakMemory : IAsyncDisposable
{
    private readonly CancellationTokenSource stop = new();
    private readonly Task sampling;
    private long peak;

    public PeakMemory()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        sampling = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                Sample();
                try { await Task.Delay(10, stop.Token).ConfigureAwait(false); }
                catch (OperationCanceledException) { break; }
            }
        });
    }

    public long PeakBytes => Interlocked.Read(ref peak);

    private void Sample()
    {
        var now = Math.Max(GC.GetTotalMemory(false), GC.GetGCMemoryInfo(GCKind.Any).HeapSizeBytes);
        long seen;
        do { seen = Interlocked.Read(ref peak); } while (now > seen && Interlocked.CompareExchange(ref peak, now, seen) != seen);
    }

    public async ValueTask DisposeAsync()
    {
        Sample();
        await stop.CancelAsync().ConfigureAwait(false);
        await sampling.ConfigureAwait(false);
        stop.Dispose();
    }
}
