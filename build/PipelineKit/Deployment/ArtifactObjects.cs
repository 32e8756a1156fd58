namespace PipelineKit.Deployment;

using System.Net;
using Amazon.S3;
using Amazon.S3.Model;

/// <summary>Content-addressed objects in the artifact buckets: a key names its content (a hash), so an existing
/// key already holds the same bytes and a re-run uploads nothing.</summary>
public static class ArtifactObjects
{
    /// <summary>Puts the object unless its key exists. Returns whether it uploaded. No encryption header is sent:
    /// the bucket's default (SSE-KMS with the artifact key) applies, and its policy denies only a request that
    /// asks for another encryption.</summary>
    public static async Task<bool> PutIfAbsentAsync(IAmazonS3 s3, PutObjectRequest request, CancellationToken ct)
    {
        if (await ExistsAsync(s3, request.BucketName, request.Key, ct).ConfigureAwait(false)) return false;
        await s3.PutObjectAsync(request, ct).ConfigureAwait(false);
        return true;
    }

    private static async Task<bool> ExistsAsync(IAmazonS3 s3, string bucket, string key, CancellationToken ct)
    {
        try
        {
            await s3.GetObjectMetadataAsync(bucket, key, ct).ConfigureAwait(false);
            return true;
        }
        catch (AmazonS3Exception e) when (e.StatusCode == HttpStatusCode.NotFound)
        {
            // HEAD has no error body: a missing bucket looks the same; PutObject then names it (NoSuchBucket).
            return false;
        }
    }
}
