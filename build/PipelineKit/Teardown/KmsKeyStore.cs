namespace PipelineKit.Teardown;

using Amazon.KeyManagementService;
using Amazon.KeyManagementService.Model;

/// <summary><see cref="IKeyStore"/> over AWSSDK.KeyManagementService.</summary>
public sealed class KmsKeyStore(IAmazonKeyManagementService kms) : IKeyStore
{
    public async Task<KeyInfo?> DescribeAsync(string keyId, CancellationToken ct)
    {
        try
        {
            var metadata = (await kms.DescribeKeyAsync(new DescribeKeyRequest { KeyId = keyId }, ct).ConfigureAwait(false)).KeyMetadata;
            return Info(metadata);
        }
        catch (NotFoundException)
        {
            return null;
        }
    }

    public async Task<KeyInfo?> FindByDescriptionAsync(string description, CancellationToken ct)
    {
        string? marker = null;
        do
        {
            var page = await kms.ListKeysAsync(new ListKeysRequest { Marker = marker }, ct).ConfigureAwait(false);
            foreach (var key in page.Keys ?? [])
            {
                var metadata = (await kms.DescribeKeyAsync(new DescribeKeyRequest { KeyId = key.KeyId }, ct).ConfigureAwait(false)).KeyMetadata;
                if (metadata.Description == description && metadata.KeyManager == KeyManagerType.CUSTOMER &&
                    metadata.KeyState != KeyState.PendingDeletion)
                {
                    return Info(metadata);
                }
            }

            marker = page.Truncated == true ? page.NextMarker : null;
        }
        while (marker is not null);

        return null;
    }

    public async Task<IReadOnlyList<string>> AliasesOfAsync(string keyId, CancellationToken ct)
    {
        var response = await kms.ListAliasesAsync(new ListAliasesRequest { KeyId = keyId }, ct).ConfigureAwait(false);
        return [.. (response.Aliases ?? []).Select(a => a.AliasName)];
    }

    public Task DeleteAliasAsync(string aliasName, CancellationToken ct) =>
        kms.DeleteAliasAsync(new DeleteAliasRequest { AliasName = aliasName }, ct);

    public async Task<DateTimeOffset> ScheduleDeletionAsync(string keyId, int pendingWindowDays, CancellationToken ct)
    {
        var response = await kms.ScheduleKeyDeletionAsync(
            new ScheduleKeyDeletionRequest { KeyId = keyId, PendingWindowInDays = pendingWindowDays }, ct).ConfigureAwait(false);
        return response.DeletionDate is { } date ? new DateTimeOffset(date.ToUniversalTime()) : DateTimeOffset.UtcNow.AddDays(pendingWindowDays);
    }

    private static KeyInfo Info(KeyMetadata m) =>
        new(m.KeyId, m.Arn, m.KeyState?.Value ?? "", m.DeletionDate is { } d ? new DateTimeOffset(d.ToUniversalTime()) : null);
}
