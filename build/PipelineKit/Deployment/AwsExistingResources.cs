namespace PipelineKit.Deployment;

using System.Net;
using Amazon.KeyManagementService;
using Amazon.KeyManagementService.Model;
using Amazon.S3;
using Amazon.S3.Model;
using PipelineKit.Accounts;
using PipelineKit.Aws;
using PipelineKit.Naming;

/// <summary><see cref="IExistingResources"/> over S3, KMS and IAM, with the session of the stack's account.</summary>
public sealed class AwsExistingResources(IAwsClientFactory clients, IAccountSessions sessions) : IExistingResources
{
    /// <summary>GetBucketLocation naming the stack's account as the expected owner: NoSuchBucket is a free name;
    /// AccessDenied is a bucket of another account (S3 names are global), which no stack of this account can own.
    /// https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucket-owner-condition.html</summary>
    public async Task<ExistingBucket> BucketAsync(StackLocation at, string bucketName, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(at);
        var s3 = clients.S3((await sessions.ForAccountAsync(at.AccountId, ct).ConfigureAwait(false)).Credentials, at.Region);
        try
        {
            await s3.GetBucketLocationAsync(new GetBucketLocationRequest { BucketName = bucketName, ExpectedBucketOwner = at.AccountId }, ct)
                .ConfigureAwait(false);
        }
        catch (AmazonS3Exception e) when (e.ErrorCode == "NoSuchBucket" || e.StatusCode == HttpStatusCode.NotFound)
        {
            return new ExistingBucket(BucketOwnership.Absent);
        }
        catch (AmazonS3Exception e) when (e.ErrorCode == "AccessDenied" || e.StatusCode == HttpStatusCode.Forbidden)
        {
            return new ExistingBucket(BucketOwnership.OtherAccount);
        }

        return new ExistingBucket(BucketOwnership.ThisAccount, await EncryptionKeyAsync(s3, bucketName, at.AccountId, ct).ConfigureAwait(false));
    }

    public async Task<ExistingKey?> KeyAsync(StackLocation at, string keyIdOrAlias, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(at);
        var kms = clients.Kms((await sessions.ForAccountAsync(at.AccountId, ct).ConfigureAwait(false)).Credentials, at.Region);
        try
        {
            var key = (await kms.DescribeKeyAsync(new DescribeKeyRequest { KeyId = keyIdOrAlias }, ct).ConfigureAwait(false)).KeyMetadata;
            return new ExistingKey(key.KeyId, key.Arn, key.KeyState?.Value ?? "", key.KeyManager == KeyManagerType.CUSTOMER);
        }
        catch (NotFoundException)
        {
            return null;
        }
    }

    public async Task<string?> RoleTrustPolicyAsync(StackLocation at, string roleName, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(at);
        var iam = clients.Iam((await sessions.ForAccountAsync(at.AccountId, ct).ConfigureAwait(false)).Credentials, Partitions.Of(at.Region));
        return (await iam.GetRoleAsync(roleName, ct).ConfigureAwait(false))?.AssumeRolePolicyDocument;
    }

    /// <summary>The KMS key of the bucket's default encryption; null for none (ServerSideEncryptionConfigurationNotFoundError)
    /// or SSE-S3.</summary>
    private static async Task<string?> EncryptionKeyAsync(IAmazonS3 s3, string bucketName, string owner, CancellationToken ct)
    {
        try
        {
            var response = await s3.GetBucketEncryptionAsync(new GetBucketEncryptionRequest { BucketName = bucketName, ExpectedBucketOwner = owner }, ct)
                .ConfigureAwait(false);
            return response.ServerSideEncryptionConfiguration?.ServerSideEncryptionRules?
                .Select(r => r.ServerSideEncryptionByDefault?.ServerSideEncryptionKeyManagementServiceKeyId)
                .FirstOrDefault(k => !string.IsNullOrEmpty(k));
        }
        catch (AmazonS3Exception)
        {
            return null;
        }
    }
}
