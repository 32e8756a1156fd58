namespace PipelineKit.Locking;

using PipelineKit.Errors;
using PipelineKit.Messages;

/// <summary>
/// One run at a time per pipeline and build account. The lock is an object written only conditionally
/// (<see cref="IRunLockStore"/>): taken with "only if absent" or "only if still the released or expired record I read",
/// renewed and released with "only if still mine". So two runs cannot both take it, a lease that ran out is taken over
/// by one waiter only, and a holder whose lock was broken or taken over finds out at its next renewal and stops.
/// </summary>
public sealed class RunLock(IRunLockStore store, RunLockOwner owner, RunLockTiming timing, TimeProvider time, IKitMessages messages) : IAsyncDisposable
{
    private readonly CancellationTokenSource lost = new();
    private readonly object gate = new();
    private readonly string run = Guid.NewGuid().ToString("N");
    private string? etag;
    private RunLockRecord? held;
    private CancellationTokenSource? renewing;
    private Task? renewal;
    private int calls;
    private int writes;

    /// <summary>Cancelled when the lock was taken from this run (broken with --break-lock, or taken over after a renewal
    /// failed for a whole lease): no new stack should start.</summary>
    public CancellationToken Lost => lost.Token;

    public bool IsHeld => held is not null && !lost.IsCancellationRequested;

    /// <summary>Calls made to the store so far (reads and writes): the run's summary counts them apart from its own work.</summary>
    public int Calls => Volatile.Read(ref calls);

    /// <summary>Of those, the writes: taking, renewing, releasing, breaking.</summary>
    public int Writes => Volatile.Read(ref writes);

    public string Location => store.Location;

    /// <summary>Takes the lock for <paramref name="target"/>, waiting for a holder up to the timing's wait; a zero wait
    /// stops at once. Throws <see cref="RunLockException"/> naming the holder, or <see cref="RunLockUnavailableException"/>
    /// when the lock's place does not exist yet.</summary>
    public async Task AcquireAsync(string target, CancellationToken ct)
    {
        var started = time.GetUtcNow();
        var poll = TimeSpan.Zero;
        string? announced = null;
        while (true)
        {
            var current = await Counted(store.ReadAsync(ct)).ConfigureAwait(false);
            var now = time.GetUtcNow();
            var record = current is null ? null : RunLockRecord.Parse(current.Body);
            var gone = record is not null && record.IsHeldAt(now, timing.Lease) && owner.SeesGone(record);
            if (record is null || !record.IsHeldAt(now, timing.Lease) || gone)
            {
                var mine = new RunLockRecord(owner.Holder, owner.Host, owner.ProcessId, target, now, now + timing.Lease, Machine: owner.Machine, Run: run);
                var written = await WriteAsync(mine, current?.ETag).ConfigureAwait(false);
                if (written is not null)
                {
                    if (record is { Released: false })
                    {
                        messages.Report(MessageCodes.RunLockTakenOver, gone
                            ? $"Took over the run lock from {record.Describe()}: that process no longer runs on this host."
                            : record.LeaseExpires > now
                                ? $"Took over the run lock from {record.Describe()}: its lease, until {RunLockRecord.Time(record.LeaseExpires)}, is longer than any run of the kit takes."
                                : $"Took over the run lock from {record.Describe()}: its lease ran out at {RunLockRecord.Time(record.LeaseExpires)}.");
                    }

                    Hold(mine, written);
                    messages.Report(MessageCodes.RunLockTaken, $"Run lock taken: {store.Location} (lease {timing.Lease.TotalMinutes:0} min, renewed while the run works).");
                    return;
                }

                continue; // Someone wrote first: read again to see who.
            }

            var waited = now - started;
            if (waited >= timing.Wait)
            {
                var how = timing.Wait <= TimeSpan.Zero ? "" : $" after waiting {Minutes(waited)}";
                throw new RunLockException(ErrorCodes.RunLockHeld,
                    $"Another run holds the run lock ({store.Location}): {record.Describe()}, lease until {RunLockRecord.Time(record.LeaseExpires)}; stopped{how}.",
                    "Let that run finish and re-run; wait longer with --lock-wait MINUTES; if that run is gone, re-run with --break-lock.");
            }

            if (announced is null || !string.Equals(announced, record.Describe(), StringComparison.Ordinal))
            {
                announced = record.Describe();
                messages.Report(MessageCodes.RunLockWaiting,
                    $"Waiting for the run lock: held by {announced}; waiting up to {Minutes(timing.Wait)} more (--lock-wait).");
            }

            poll = timing.NextPoll(poll, record.LeaseExpires - now);
            var left = timing.Wait - waited;
            await Task.Delay(poll < left ? poll : left, time, ct).ConfigureAwait(false);
        }
    }

    /// <summary>Ends the run as <see cref="ErrorCodes.RunLockLost"/> when the lock was taken from it while it worked.</summary>
    public void ThrowIfLost()
    {
        if (!lost.IsCancellationRequested) return;
        throw new RunLockException(ErrorCodes.RunLockLost,
            $"The run lock ({store.Location}) was taken from this run while it worked (broken with --break-lock, or its lease ran out); it started no stack after that.",
            "Check who holds the lock now (the lines above name it); re-run when that run has finished.");
    }

    /// <summary>--break-lock: marks a held lock released, whoever holds it, so this run can take it. The holder, if it still
    /// runs, finds out at its next renewal and stops starting stacks.</summary>
    public async Task BreakAsync(CancellationToken ct)
    {
        var current = await Counted(store.ReadAsync(ct)).ConfigureAwait(false);
        var record = current is null ? null : RunLockRecord.Parse(current.Body);
        if (current is null || record is null || record.Released)
        {
            messages.Report(MessageCodes.RunLockBroken, $"--break-lock: nobody holds the run lock ({store.Location}).");
            return;
        }

        var released = record with { Released = true, LeaseExpires = time.GetUtcNow() };
        if (await WriteAsync(released, current.ETag).ConfigureAwait(false) is null)
        {
            // It changed between the read and the write: whoever wrote it, it is now read afresh by the acquisition.
            messages.Report(MessageCodes.RunLockBroken, $"--break-lock: the run lock changed while breaking it; taking it as usual.");
            return;
        }

        messages.Report(MessageCodes.RunLockBroken, $"Broke the run lock held by {record.Describe()} (--break-lock).");
    }

    /// <summary>Marks the lock released, if it is still this run's. Never throws: a release that fails leaves a lease
    /// that runs out by itself, and says so.</summary>
    public async Task ReleaseAsync()
    {
        await StopRenewalAsync().ConfigureAwait(false);
        RunLockRecord? record;
        string? tag;
        lock (gate)
        {
            (record, tag, held, etag) = (held, etag, null, null);
        }

        if (record is null || tag is null || lost.IsCancellationRequested) return;
        try
        {
            var released = record with { Released = true, LeaseExpires = time.GetUtcNow() };
            var written = await WriteAsync(released, tag).ConfigureAwait(false);
            messages.Report(written is null ? MessageCodes.RunLockLost : MessageCodes.RunLockReleased, written is null
                ? $"The run lock was no longer this run's when it ended ({store.Location}): it was broken or taken over."
                : $"Run lock released: {store.Location}.");
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            messages.Report(MessageCodes.RunLockReleaseFailed,
                $"Could not release the run lock ({store.Location}): {e.Message}. Its lease runs out at {RunLockRecord.Time(record.LeaseExpires)}; the next run takes it over then.");
        }
    }

    public async ValueTask DisposeAsync()
    {
        await ReleaseAsync().ConfigureAwait(false);
        lost.Dispose();
    }

    private void Hold(RunLockRecord record, string tag)
    {
        lock (gate)
        {
            (held, etag) = (record, tag);
        }

        renewing = new CancellationTokenSource();
        renewal = RenewAsync(renewing.Token);
    }

    /// <summary>Every RenewEvery, extends the lease if the object is still this run's. A renewal that finds it changed
    /// means the lock is lost; one that fails (network) is tried again next time, until the lease itself runs out.</summary>
    private async Task RenewAsync(CancellationToken ct)
    {
        while (!ct.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(timing.RenewEvery, time, ct).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            RunLockRecord record;
            string tag;
            lock (gate)
            {
                if (held is null || etag is null) return;
                (record, tag) = (held, etag);
            }

            var renewed = record with { LeaseExpires = time.GetUtcNow() + timing.Lease };
            string? written;
            try
            {
                written = await WriteAsync(renewed, tag).ConfigureAwait(false);
            }
            catch (Exception) when (time.GetUtcNow() < record.LeaseExpires)
            {
                continue;
            }
            catch (Exception e)
            {
                Lose($"the lease ran out at {RunLockRecord.Time(record.LeaseExpires)} while renewing failed ({e.Message})");
                return;
            }

            if (written is null)
            {
                Lose("it was broken (--break-lock) or taken over by another run");
                return;
            }

            lock (gate)
            {
                if (held is null) return;
                (held, etag) = (renewed, written);
            }
        }
    }

    private void Lose(string why)
    {
        messages.Report(MessageCodes.RunLockLost, $"This run lost the run lock ({store.Location}): {why}. No new stack starts.");
        lost.Cancel();
    }

    private async Task StopRenewalAsync()
    {
        if (renewing is null) return;
        await renewing.CancelAsync().ConfigureAwait(false);
        if (renewal is not null) await renewal.ConfigureAwait(false);
        renewing.Dispose();
        renewing = null;
    }

    /// <summary>
    /// Writes <paramref name="record"/> only if the object is absent (<paramref name="etag"/> null) or still that ETag; its
    /// new ETag, or null when someone else wrote first. Not cancelled: a write S3 made whose answer a cancellation dropped
    /// would leave a lock nobody knows it holds. A "someone wrote first" is checked by reading the object back: when a
    /// connection drops after S3 applied the write, the SDK's retry meets that very write and is refused (412), and a
    /// record equal to the one written (it carries this lock's run id) is this run's own.
    /// </summary>
    private async Task<string?> WriteAsync(RunLockRecord record, string? etag)
    {
        var body = record.ToJson();
        var written = await Written(etag is null ? store.CreateAsync(body, CancellationToken.None) : store.ReplaceAsync(body, etag, CancellationToken.None))
            .ConfigureAwait(false);
        if (written is not null) return written;
        var stored = await Counted(store.ReadAsync(CancellationToken.None)).ConfigureAwait(false);
        return stored is not null && RunLockRecord.Parse(stored.Body) == record ? stored.ETag : null;
    }

    private Task<T> Written<T>(Task<T> call)
    {
        Interlocked.Increment(ref writes);
        return Counted(call);
    }

    private async Task<T> Counted<T>(Task<T> call)
    {
        Interlocked.Increment(ref calls);
        return await call.ConfigureAwait(false);
    }

    private static string Minutes(TimeSpan span) =>
        span < TimeSpan.FromMinutes(1) ? $"{span.TotalSeconds:0} s" : $"{span.TotalMinutes:0.#} min";
}
