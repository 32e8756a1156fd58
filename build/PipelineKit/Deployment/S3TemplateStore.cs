namespace PipelineKit.Deployment;

using System.Security.Cryptography;
using System.Text;
using Amazon.S3;
using Amazon.S3.Model;

/// <summary>
/// Stages templates over the 51,200-byte TemplateBody limit in the build account's artifact bucket of the
/// stack's region (<c>{pipeline}-artifacts-{account}-{region}</c>, made by the primary and regional stacks)
/// and hands CloudFormation its URL. CloudFormation reads a TemplateURL most reliably from a bucket in the
/// stack's own region (https://docs.aws.amazon.com/AWSCloudFormation/latest/APIReference/API_CreateChangeSet.html).
/// <para>
/// Keys are content-addressed, <c>templates/{stack}/{sha256 of the body}.yaml</c>: the same body always has
/// the same key, so a re-run finds the object with one HeadObject and makes no mutating call.
/// </para>
/// <para>
/// CloudFormation fetches the object with the credentials of the caller of CreateChangeSet, so those must be
/// able to read it (s3:GetObject, and kms:Decrypt on the bucket's SSE-KMS key). That holds for stacks in the
/// build account. Stacks in target accounts are deployed through the role the kit assumes there, which the
/// bucket and key policies do not grant (they name only the pipeline's action and execution roles), so large
/// templates are supported for build-account stacks only: for any other account the store refuses with
/// <see cref="DeploymentErrorCode.TemplateTooLarge"/> and a next step, before any AWS call.
/// </para>
/// </summary>
public sealed class S3TemplateStore : ITemplateStore
{
    public const string KeyPrefix = "templates/";

    private readonly string buildAccountId;
    private readonly Func<string, CancellationToken, Task<IAmazonS3>> s3ForRegion;
    private readonly Func<string, string> bucketFor;
    private readonly string? endpointUrl;

    /// <param name="buildAccountId">The account whose artifact buckets hold the templates.</param>
    /// <param name="s3ForRegion">An S3 client with the build account's credentials for a region; asked only when a
    /// template is staged, so the build session may be resolved lazily.</param>
    /// <param name="bucketFor">The build account's artifact bucket name in a region.</param>
    /// <param name="endpointUrl">The S3 endpoint when not real AWS (an emulator); URLs are then path-style under it.</param>
    public S3TemplateStore(
        string buildAccountId,
        Func<string, CancellationToken, Task<IAmazonS3>> s3ForRegion,
        Func<string, string> bucketFor,
        string? endpointUrl = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(buildAccountId);
        this.buildAccountId = buildAccountId;
        this.s3ForRegion = s3ForRegion ?? throw new ArgumentNullException(nameof(s3ForRegion));
        this.bucketFor = bucketFor ?? throw new ArgumentNullException(nameof(bucketFor));
        this.endpointUrl = string.IsNullOrWhiteSpace(endpointUrl) ? null : endpointUrl.Trim().TrimEnd('/');
    }

    /// <summary>Returns the URL of the staged template; uploads it only when no object with its key exists.</summary>
    public async Task<string> UploadAsync(StackDeployment deployment, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(deployment);
        var location = deployment.Location;
        if (location.AccountId != buildAccountId)
        {
            throw new DeploymentException(DeploymentErrorCode.TemplateTooLarge, deployment.StackName, location,
                $"the template is over {StackDeployer.MaxInlineTemplateBytes} bytes, and large templates are staged only for " +
                $"stacks in the build account ({buildAccountId}): this stack's account cannot read the build account's template bucket.",
                $"Shrink the template below {StackDeployer.MaxInlineTemplateBytes} bytes (remove comments and descriptions, " +
                "move resources into a nested or separate stack).");
        }

        var bucket = bucketFor(location.Region);
        var key = KeyFor(deployment.StackName, deployment.TemplateBody);
        var s3 = await s3ForRegion(location.Region, ct).ConfigureAwait(false);
        try
        {
            await ArtifactObjects.PutIfAbsentAsync(s3, new PutObjectRequest
            {
                BucketName = bucket,
                Key = key,
                ContentBody = deployment.TemplateBody,
                ContentType = "application/x-yaml",
            }, ct).ConfigureAwait(false);
        }
        catch (AmazonS3Exception e) when (e.ErrorCode == "NoSuchBucket")
        {
            throw new DeploymentException(DeploymentErrorCode.TemplateTooLarge, deployment.StackName, location,
                $"the template is over {StackDeployer.MaxInlineTemplateBytes} bytes and the template bucket {bucket} does not exist.",
                "Deploy BootstrapPrimary (build region) or RegionalStacks (other regions) first; they create the bucket.",
                awsErrorCode: e.ErrorCode, inner: e);
        }
        catch (AmazonS3Exception e)
        {
            throw new DeploymentException(DeploymentErrorCode.AwsError, deployment.StackName, location,
                $"staging the template as s3://{bucket}/{key} failed: {e.Message}",
                "Check that the build account's credentials may read and write the artifact bucket, then re-run.",
                awsErrorCode: e.ErrorCode, inner: e);
        }

        return UrlFor(bucket, location.Region, key, endpointUrl);
    }

    /// <summary><c>templates/{stackName}/{lower-case hex sha256 of the UTF-8 body}.yaml</c>.</summary>
    public static string KeyFor(string stackName, string templateBody)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(stackName);
        ArgumentNullException.ThrowIfNull(templateBody);
        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(templateBody)));
        return $"{KeyPrefix}{stackName}/{hash}.yaml";
    }

    /// <summary>The TemplateURL CloudFormation accepts: the regional virtual-hosted URL on AWS
    /// (https://docs.aws.amazon.com/AmazonS3/latest/userguide/VirtualHosting.html), or the path-style URL under a
    /// custom endpoint, where buckets are not virtual hosts of the emulator's address.</summary>
    public static string UrlFor(string bucket, string region, string key, string? endpointUrl = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(bucket);
        ArgumentException.ThrowIfNullOrWhiteSpace(region);
        ArgumentException.ThrowIfNullOrWhiteSpace(key);
        var path = string.Join('/', key.Split('/').Select(Uri.EscapeDataString));
        if (!string.IsNullOrWhiteSpace(endpointUrl))
        {
            return $"{endpointUrl.Trim().TrimEnd('/')}/{bucket}/{path}";
        }

        var domain = region.StartsWith("cn-", StringComparison.Ordinal) ? "amazonaws.com.cn" : "amazonaws.com";
        return $"https://{bucket}.s3.{region}.{domain}/{path}";
    }
}
