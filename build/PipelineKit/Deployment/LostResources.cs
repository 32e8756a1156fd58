namespace PipelineKit.Deployment;

/// <summary>
/// Before a stack is created: which of the resources it retains exist already (<see cref="StackDeployment.Retained"/>),
/// and whether CloudFormation can import them. Reads only. A resource it cannot import (a bucket of another account, a
/// key pending deletion or disabled, the alias on another key) stops the deployment here, before anything is changed,
/// with the commands that clear the way; a re-run alone would fail the same way.
/// </summary>
internal sealed class LostResources(StackContext context, IExistingResources resources)
{
    private readonly List<Adoptee> found = [];
    private readonly List<(string Problem, string Fix)> blocked = [];

    public async Task<IReadOnlyList<Adoptee>> FindAsync(StackDeployment desired, CancellationToken ct)
    {
        var retained = desired.Retained ?? [];
        var at = desired.Location;
        var bucketKeys = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var bucket in retained.Where(r => r.Kind == RetainedKind.Bucket))
        {
            var existing = await resources.BucketAsync(at, bucket.Name, ct).ConfigureAwait(false);
            if (existing.Ownership == BucketOwnership.OtherAccount)
            {
                Block($"the bucket {bucket.Name} exists and this account does not own it (BucketAlreadyExists: bucket names are global)",
                    $"check its owner: aws s3api get-bucket-location --bucket {bucket.Name} --expected-bucket-owner {at.AccountId}; " +
                    "if it is not this account's, choose another \"name\" in pipeline.json (every bucket name starts with it) and run again");
            }
            else if (existing.Ownership == BucketOwnership.ThisAccount)
            {
                found.Add(ImportTemplate.Bucket(bucket.LogicalId, bucket.Name));
                if (bucket.Related is { } key && existing.EncryptionKeyId is { } keyId) bucketKeys.TryAdd(key, keyId);
            }
        }

        foreach (var key in retained.Where(r => r.Kind == RetainedKind.Key))
        {
            await FindKeyAsync(at, key, bucketKeys.GetValueOrDefault(key.LogicalId), ct).ConfigureAwait(false);
        }

        foreach (var role in retained.Where(r => r.Kind == RetainedKind.Role))
        {
            if (await resources.RoleTrustPolicyAsync(at, role.Name, ct).ConfigureAwait(false) is { } trust)
            {
                found.Add(ImportTemplate.Role(role.LogicalId, role.Name, trust));
            }
        }

        if (blocked.Count > 0)
        {
            var who = $" (with credentials for account {at.AccountId})";
            throw context.Fail(DeploymentErrorCode.ResourceNameTaken,
                $"the stack is to be created, but what it creates under fixed names exists already and cannot be imported: {string.Join("; ", blocked.Select(b => b.Problem))}. Nothing was changed.",
                $"{string.Join("; then ", blocked.Select(b => b.Fix))}{who}.");
        }

        return found;
    }

    /// <summary>The key behind the stack's alias, else the key the retained bucket's encryption names: an enabled key
    /// of this account is imported, with the alias when that exists too.</summary>
    private async Task FindKeyAsync(StackLocation at, RetainedResource key, string? bucketKeyId, CancellationToken ct)
    {
        var byAlias = await resources.KeyAsync(at, key.Name, ct).ConfigureAwait(false);
        var byBucket = bucketKeyId is null ? null
            : byAlias is not null && (bucketKeyId == byAlias.Arn || bucketKeyId == byAlias.KeyId) ? byAlias
            : await resources.KeyAsync(at, bucketKeyId, ct).ConfigureAwait(false);
        var region = $"--region {at.Region}";
        if (byAlias is not null && byBucket is not null && byAlias.Arn != byBucket.Arn)
        {
            Block($"the alias {key.Name} names the key {byAlias.KeyId}, but the retained bucket is encrypted with the key {byBucket.KeyId}",
                $"point the alias at the bucket's key: aws kms update-alias --alias-name {key.Name} --target-key-id {byBucket.KeyId} {region}, and run again");
            return;
        }

        var existing = byAlias ?? byBucket;
        if (existing is null || (byAlias is null && !existing.CustomerManaged)) return;
        var id = $"--key-id {existing.KeyId} {region}";
        switch (existing.State)
        {
            case "Enabled" when existing.CustomerManaged:
                found.Add(ImportTemplate.Key(key.LogicalId, existing, at.AccountId));
                if (byAlias is not null) found.Add(ImportTemplate.Alias(key.Related!, key.Name, key.LogicalId));
                return;
            case "Enabled":
                Block($"the alias {key.Name} names the AWS managed key {existing.KeyId}, which no stack can own",
                    $"free the alias: aws kms delete-alias --alias-name {key.Name} {region}, and run again");
                return;
            case "PendingDeletion":
                Block($"the key {existing.KeyId} ({Which(byAlias, key)}) is pending deletion",
                    $"keep it: aws kms cancel-key-deletion {id} && aws kms enable-key {id}, and run again");
                return;
            case "Disabled":
                Block($"the key {existing.KeyId} ({Which(byAlias, key)}) is disabled", $"enable it: aws kms enable-key {id}, and run again");
                return;
            default:
                Block($"the key {existing.KeyId} ({Which(byAlias, key)}) is in the state {existing.State}, which CloudFormation cannot import",
                    $"look at it: aws kms describe-key {id}; once it is Enabled, run again");
                return;
        }
    }

    private static string Which(ExistingKey? byAlias, RetainedResource key) =>
        byAlias is not null ? $"named by {key.Name}" : "the encryption key of the retained bucket";

    private void Block(string problem, string fix) => blocked.Add((problem, fix));
}
