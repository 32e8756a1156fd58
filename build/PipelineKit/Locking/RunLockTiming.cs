namespace PipelineKit.Locking;

/// <summary>
/// How long a run waits for the lock, how long a lease lasts unless renewed, how often the holder renews it, and how a
/// waiter polls: starting fast and backing off to a cap. A lease is several renewals long, so one slow or failed
/// renewal does not lose it; a run that died (killed, machine gone) frees it when the lease runs out.
/// </summary>
public sealed record RunLockTiming(TimeSpan Wait, TimeSpan Lease, TimeSpan RenewEvery, TimeSpan FirstPoll, TimeSpan MaxPoll)
{
    public static readonly TimeSpan DefaultWait = TimeSpan.FromMinutes(30);

    public static RunLockTiming For(TimeSpan wait) =>
        new(wait, TimeSpan.FromMinutes(5), TimeSpan.FromMinutes(1), TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(30));

    /// <summary>The poll after <paramref name="previous"/>: half again as long, capped, and never past the moment the
    /// holder's lease runs out (then the lock can be taken over at once).</summary>
    public TimeSpan NextPoll(TimeSpan previous, TimeSpan untilLeaseExpires)
    {
        var next = previous <= TimeSpan.Zero ? FirstPoll : TimeSpan.FromTicks(Math.Min((long)(previous.Ticks * 1.5), MaxPoll.Ticks));
        var toExpiry = untilLeaseExpires + TimeSpan.FromMilliseconds(100);
        return toExpiry > TimeSpan.Zero && toExpiry < next ? toExpiry : next;
    }
}

/// <summary>Who takes the lock: the caller's ARN (sts:GetCallerIdentity), the machine and the process.</summary>
public sealed record RunLockOwner(string Holder, string Host, int ProcessId)
{
    /// <summary>Whether a process of this host runs under a pid; tests script it.</summary>
    public Func<int, bool> ProcessRuns { get; init; } = DefaultProcessRuns;

    /// <summary>Which kernel boot and process namespace the pid belongs to (<see cref="MachineIdentity"/>); null where the
    /// kit cannot tell, and then a holder is judged by its lease alone.</summary>
    public string? Machine { get; init; }

    public static RunLockOwner ThisProcess(string holder) =>
        new(holder, Environment.MachineName, Environment.ProcessId) { Machine = MachineIdentity.Current() };

    /// <summary>The holder was a run in this very process namespace (same host name, same kernel boot, same pid namespace)
    /// whose process has ended (killed, or the machine's CI job stopped): its lease need not run out first. A host name
    /// alone is not enough: containers and cloned CI machines share one, and a pid is only meaningful in its namespace.
    /// Any other holder is judged by its lease alone.</summary>
    public bool SeesGone(RunLockRecord record) =>
        !record.Released && Machine is not null && string.Equals(record.Machine, Machine, StringComparison.Ordinal)
        && string.Equals(record.Host, Host, StringComparison.Ordinal) && record.ProcessId != ProcessId
        && !ProcessRuns(record.ProcessId);

    private static bool DefaultProcessRuns(int pid)
    {
        try
        {
            using var process = System.Diagnostics.Process.GetProcessById(pid);
            return !process.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }
}

/// <summary>This process's kernel boot and pid namespace, as Linux names them: a pid means the same process only where
/// both are the same.</summary>
public static class MachineIdentity
{
    public static string? Current()
    {
        try
        {
            var boot = File.ReadAllText("/proc/sys/kernel/random/boot_id").Trim();
            var pids = new FileInfo("/proc/self/ns/pid").LinkTarget;
            return boot.Length == 0 || pids is null ? null : $"{boot}/{pids}";
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or NotSupportedException)
        {
            return null;
        }
    }
}
