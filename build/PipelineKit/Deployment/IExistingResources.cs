namespace PipelineKit.Deployment;

/// <summary>
/// Reads, in a stack's account and region, whether the resources a stack would create under fixed names exist already
/// (<see cref="RetainedResource"/>). Read-only: S3 GetBucketLocation and GetBucketEncryption, KMS DescribeKey, IAM GetRole.
/// </summary>
public interface IExistingResources
{
    Task<ExistingBucket> BucketAsync(StackLocation at, string bucketName, CancellationToken ct);

    /// <summary>DescribeKey of a key id, key ARN or alias name; null when KMS does not know it.</summary>
    Task<ExistingKey?> KeyAsync(StackLocation at, string keyIdOrAlias, CancellationToken ct);

    /// <summary>The role's trust policy (JSON text) when the role exists in the account, else null.</summary>
    Task<string?> RoleTrustPolicyAsync(StackLocation at, string roleName, CancellationToken ct);
}

public enum BucketOwnership
{
    /// <summary>No bucket has the name (NoSuchBucket): CloudFormation can create it.</summary>
    Absent,
    /// <summary>The stack's account owns it (a CREATE fails with BucketAlreadyOwnedByYou): it can be imported.</summary>
    ThisAccount,
    /// <summary>Another account owns it, or it is out of reach (a CREATE fails with BucketAlreadyExists): it cannot be imported.</summary>
    OtherAccount,
}

/// <param name="EncryptionKeyId">The KMS key its default encryption names (ARN or id as S3 returns it), if any.</param>
public sealed record ExistingBucket(BucketOwnership Ownership, string? EncryptionKeyId = null);

/// <param name="State">KMS KeyState: Enabled, Disabled, PendingDeletion, ...</param>
/// <param name="CustomerManaged">KeyManager CUSTOMER: a key a template can own (not an AWS managed key).</param>
public sealed record ExistingKey(string KeyId, string Arn, string State, bool CustomerManaged);
