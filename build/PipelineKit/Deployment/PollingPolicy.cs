namespace PipelineKit.Deployment;

using Amazon.Runtime;
using PipelineKit.Aws;

/// <summary>How the deployer waits: start fast, back off geometrically, cap the interval, and give
/// up at a deadline. Real AWS answers in seconds to minutes; the emulator in milliseconds.</summary>
public sealed record PollingPolicy(
    TimeSpan Initial,
    TimeSpan Max,
    double Factor,
    TimeSpan ChangeSetDeadline,
    TimeSpan StackDeadline)
{
    /// <summary>For real AWS: first look after 2 s, then up to every 10 s; a stack may take an hour.</summary>
    public static PollingPolicy Default { get; } = new(
        TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(10), 1.5, TimeSpan.FromMinutes(10), TimeSpan.FromMinutes(60));

    /// <summary>For a local emulator, where every operation settles at once.</summary>
    public static PollingPolicy Emulator { get; } = new(
        TimeSpan.FromMilliseconds(50), TimeSpan.FromMilliseconds(500), 2, TimeSpan.FromMinutes(2), TimeSpan.FromMinutes(5))
    {
        PollGap = TimeSpan.FromMilliseconds(2),
    };

    /// <summary>How often a long wait on a stack shows that it is still waiting, with the status and the time so far.</summary>
    public TimeSpan ReportEvery { get; init; } = TimeSpan.FromMinutes(1);

    /// <summary>The least time between two polls of one deployer, every stack together (<see cref="PollPace"/>): 10 a
    /// second on AWS, where a stack in flight asks every 2 to 10 s, so 64 stacks (--parallelism's most) seldom wait for a
    /// turn; 500 a second on the emulator.</summary>
    public TimeSpan PollGap { get; init; } = TimeSpan.FromMilliseconds(100);

    public TimeSpan Next(TimeSpan current)
    {
        var next = TimeSpan.FromTicks((long)(current.Ticks * Factor));
        return next > Max ? Max : next;
    }
}

/// <summary>Waits on a condition under a <see cref="PollingPolicy"/>, in the time of an injected clock.</summary>
internal sealed class Poller(TimeProvider time, PollingPolicy policy)
{
    public TimeProvider Time => time;

    /// <summary>The turns of this poller's probes, every wait together.</summary>
    public PollPace Pace { get; } = new(time, policy.PollGap);

    /// <summary>Probes until <paramref name="done"/> holds; a throttled or 5xx probe is retried on the next tick
    /// (the client already retried it; waits must not fail a deployment over a busy or briefly failing API: a throttled
    /// last status read after a successful execution must not turn the success into a failure).</summary>
    public async Task<T> UntilAsync<T>(
        Func<CancellationToken, Task<T>> probe,
        Func<T, bool> done,
        TimeSpan deadline,
        Func<string> describeWait,
        Action<T>? onProbe,
        CancellationToken ct)
    {
        var start = time.GetUtcNow();
        var interval = policy.Initial;
        while (true)
        {
            ct.ThrowIfCancellationRequested();
            await Pace.TurnAsync(ct).ConfigureAwait(false);
            try
            {
                var value = await probe(ct).ConfigureAwait(false);
                onProbe?.Invoke(value);
                if (done(value)) return value;
            }
            catch (AmazonServiceException e) when (AwsErrors.IsTransient(e))
            {
                // fall through to the next tick
            }

            if (time.GetUtcNow() - start >= deadline)
            {
                throw new TimeoutException($"Gave up after {deadline:g} {describeWait()}.");
            }

            await Task.Delay(interval, time, ct).ConfigureAwait(false);
            interval = policy.Next(interval);
        }
    }

    /// <summary>One read that tolerates throttling and 5xx the way waits do.</summary>
    public Task<T> ReadAsync<T>(Func<CancellationToken, Task<T>> read, string what, CancellationToken ct) =>
        UntilAsync(read, _ => true, policy.ChangeSetDeadline, () => $"reading {what}", null, ct);
}
