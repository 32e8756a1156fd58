namespace PipelineKit.Deployment;

/// <summary>
/// The turns of every poll one deployer makes, all its stacks together: at most one per <see cref="Gap"/>, handed out in
/// the order asked. Each stack's own interval backs off (<see cref="PollingPolicy"/>); this keeps their sum from growing
/// with the number of stacks in flight: with many, each waits a little longer for its turn instead of the run asking
/// more often. Turns are counted, for the Benchmark's poll-rate row.
/// </summary>
public sealed class PollPace(TimeProvider time, TimeSpan gap)
{
    private readonly Lock turns = new();
    private DateTimeOffset next = DateTimeOffset.MinValue;
    private long taken;

    public TimeSpan Gap => gap;

    /// <summary>Polls made so far.</summary>
    public long Taken => Interlocked.Read(ref taken);

    /// <summary>Waits for the next free turn, if it is not now.</summary>
    public Task TurnAsync(CancellationToken ct)
    {
        Interlocked.Increment(ref taken);
        if (gap <= TimeSpan.Zero) return Task.CompletedTask;
        DateTimeOffset turn;
        var now = time.GetUtcNow();
        lock (turns)
        {
            turn = next > now ? next : now;
            next = turn + gap;
        }

        return turn > now ? Task.Delay(turn - now, time, ct) : Task.CompletedTask;
    }
}
