namespace PipelineKit.Teardown;

/// <summary>A KMS key as Destroy sees it: its state and, once scheduled, when KMS deletes it.</summary>
public sealed record KeyInfo(string KeyId, string Arn, string State, DateTimeOffset? DeletionDate)
{
    public bool PendingDeletion => State == "PendingDeletion";
}

/// <summary>The KMS operations Destroy needs, in one account and region (KmsKeyStore over AWSSDK.KeyManagementService).</summary>
public interface IKeyStore
{
    /// <summary>Null when there is no such key.</summary>
    Task<KeyInfo?> DescribeAsync(string keyId, CancellationToken ct);

    /// <summary>The customer managed key, not pending deletion, whose description is exactly <paramref name="description"/>;
    /// null when there is none. Finds a retained key whose stack (and so its output) is gone.</summary>
    Task<KeyInfo?> FindByDescriptionAsync(string description, CancellationToken ct);

    Task<IReadOnlyList<string>> AliasesOfAsync(string keyId, CancellationToken ct);

    Task DeleteAliasAsync(string aliasName, CancellationToken ct);

    Task<DateTimeOffset> ScheduleDeletionAsync(string keyId, int pendingWindowDays, CancellationToken ct);
}
