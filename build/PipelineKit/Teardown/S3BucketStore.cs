namespace PipelineKit.Teardown;

using System.Net;
using Amazon.S3;
using Amazon.S3.Model;

/// <summary><see cref="IBucketStore"/> over AWSSDK.S3. Every call names the build account as the expected bucket owner,
/// so a bucket of the same name in another account is never touched.</summary>
public sealed class S3BucketStore(IAmazonS3 s3, string expectedOwner) : IBucketStore
{
    public async Task<bool> ExistsAsync(string bucket, CancellationToken ct)
    {
        try
        {
            await s3.GetBucketLocationAsync(new GetBucketLocationRequest { BucketName = bucket, ExpectedBucketOwner = expectedOwner }, ct)
                .ConfigureAwait(false);
            return true;
        }
        catch (AmazonS3Exception e) when (e.ErrorCode == "NoSuchBucket" || e.StatusCode == HttpStatusCode.NotFound)
        {
            return false;
        }
    }

    public async Task<VersionsPage> ListVersionsAsync(string bucket, string? keyMarker, string? versionIdMarker, CancellationToken ct)
    {
        var response = await s3.ListVersionsAsync(new ListVersionsRequest
        {
            BucketName = bucket, KeyMarker = keyMarker, VersionIdMarker = versionIdMarker, ExpectedBucketOwner = expectedOwner,
        }, ct).ConfigureAwait(false);
        var versions = (response.Versions ?? []).Select(v => new ObjectVersion(v.Key, v.VersionId ?? "null")).ToArray();
        return response.IsTruncated == true
            ? new VersionsPage(versions, response.NextKeyMarker ?? "", response.NextVersionIdMarker)
            : new VersionsPage(versions, null, null);
    }

    public async Task<IReadOnlyList<string>> DeleteVersionsAsync(string bucket, IReadOnlyList<ObjectVersion> batch, CancellationToken ct)
    {
        var request = new DeleteObjectsRequest
        {
            BucketName = bucket, Quiet = true, ExpectedBucketOwner = expectedOwner,
            Objects = [.. batch.Select(v => new KeyVersion { Key = v.Key, VersionId = v.VersionId })],
        };
        try
        {
            var response = await s3.DeleteObjectsAsync(request, ct).ConfigureAwait(false);
            return Refused(response.DeleteErrors);
        }
        catch (DeleteObjectsException e)
        {
            return Refused(e.Response.DeleteErrors);
        }
    }

    public Task DeleteBucketAsync(string bucket, CancellationToken ct) =>
        s3.DeleteBucketAsync(new DeleteBucketRequest { BucketName = bucket, ExpectedBucketOwner = expectedOwner }, ct);

    private static string[] Refused(List<DeleteError>? errors) =>
        [.. (errors ?? []).Select(e => $"{e.Key} ({e.VersionId}): {e.Code} {e.Message}")];
}
