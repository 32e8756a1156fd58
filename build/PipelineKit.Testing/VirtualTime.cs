namespace PipelineKit.Testing;

/// <summary>
/// A clock that jumps: every timer fires as soon as it is created, and the clock moves forward by its
/// due time. Waits of minutes take microseconds; tests can still read how much time "passed".
/// </summary>
public sealed class VirtualTime(DateTimeOffset? start = null) : TimeProvider
{
    private readonly object gate = new();
    private DateTimeOffset now = start ?? new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    public override DateTimeOffset GetUtcNow() { lock (gate) return now; }

    public void Advance(TimeSpan by) { lock (gate) now += by; }

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        if (dueTime != Timeout.InfiniteTimeSpan)
        {
            Advance(dueTime);
            ThreadPool.UnsafeQueueUserWorkItem(_ => callback(state), null);
        }

        return new NoTimer();
    }

    private sealed class NoTimer : ITimer
    {
        public bool Change(TimeSpan dueTime, TimeSpan period) => true;
        public void Dispose() { }
        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}
