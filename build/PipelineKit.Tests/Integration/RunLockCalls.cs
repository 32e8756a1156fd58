namespace PipelineKit.Tests.Integration;

using PipelineKit.Aws;
using PipelineKit.Naming;

/// <summary>A run's calls apart from the run lock's: taking and releasing the lock writes its object (two PutObject calls,
/// counted mutating by the call log, shown apart in the run's summary); everything else a no-op run must leave alone.</summary>
public static class RunLockCalls
{
    public static bool IsTheLocks(TracedCall call) =>
        call.Call.Service == AwsServiceIds.S3 && call.Parameters.GetValueOrDefault("Key") == KitNames.RunLockKey;

    /// <summary>The mutating calls that are not the run lock's.</summary>
    public static IReadOnlyList<AwsCall> MutatingBesidesTheLock(AwsCallLog log) =>
        log.Traced.Where(c => c.Call.IsMutating && !IsTheLocks(c)).Select(c => c.Call).ToArray();

    /// <summary>The run lock's writes.</summary>
    public static IReadOnlyList<AwsCall> LockWrites(AwsCallLog log) =>
        log.Traced.Where(c => c.Call.IsMutating && IsTheLocks(c)).Select(c => c.Call).ToArray();
}
