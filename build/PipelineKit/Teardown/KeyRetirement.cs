namespace PipelineKit.Teardown;

/// <summary>What happened to one key.</summary>
public sealed record KeyOutcome(KeyTarget Target, string State, DateTimeOffset? DeletionDate, string Note);

/// <summary>
/// Schedules a retained key's deletion. The kit's alias goes first: a key pending deletion keeps its aliases, and
/// BootstrapAll, which creates the alias again for a new key, would fail while the old one holds it. A key that another
/// alias names is used by something else: it is left alone and said so.
/// https://docs.aws.amazon.com/kms/latest/developerguide/deleting-keys.html
/// </summary>
public static class KeyRetirement
{
    public static async Task<KeyOutcome> ScheduleAsync(IKeyStore store, KeyTarget target, int pendingWindowDays, CancellationToken ct)
    {
        var current = await store.DescribeAsync(target.Key.Arn, ct).ConfigureAwait(false);
        if (current is null) return new KeyOutcome(target, "gone", null, "no longer exists");
        if (current.PendingDeletion) return new KeyOutcome(target, current.State, current.DeletionDate, "pending deletion already");

        var aliases = await store.AliasesOfAsync(target.Key.Arn, ct).ConfigureAwait(false);
        var others = aliases.Where(a => a != target.Alias).ToArray();
        if (others.Length > 0)
        {
            return new KeyOutcome(target, current.State, null,
                $"retained: also named by {string.Join(", ", others)}, which the kit did not create; schedule its deletion yourself once unused");
        }

        if (aliases.Contains(target.Alias)) await store.DeleteAliasAsync(target.Alias, ct).ConfigureAwait(false);
        var date = await store.ScheduleDeletionAsync(target.Key.Arn, pendingWindowDays, ct).ConfigureAwait(false);
        return new KeyOutcome(target, "PendingDeletion", date, $"deletion scheduled ({pendingWindowDays} days); {target.Alias} is free");
    }

    /// <summary>A key CloudFormation deleted with its stack (not retained by the template): read back when KMS deletes it.</summary>
    public static async Task<KeyOutcome> ReadAsync(IKeyStore store, KeyTarget target, CancellationToken ct)
    {
        var current = await store.DescribeAsync(target.Key.Arn, ct).ConfigureAwait(false);
        return current is null
            ? new KeyOutcome(target, "gone", null, "deleted by CloudFormation with its stack")
            : new KeyOutcome(target, current.State, current.DeletionDate, "deletion scheduled by CloudFormation with its stack (not retained by the template)");
    }
}
