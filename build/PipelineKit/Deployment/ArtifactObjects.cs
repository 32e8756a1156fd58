namespace PipelineKit.Deployment;

using System.Net;
using System.Security.Cryptography;
using System.Text;
using Amazon.S3;
using Amazon.S3.Model;

/// <summary>What <see cref="ArtifactObjects.PutIfAbsentAsync"/> did: uploaded or found the object, its version (null
/// where the bucket is not versioned), and whether the key held other bytes than its name says, which it replaced.</summary>
public sealed record StoredObject(bool Uploaded, string? VersionId, bool Replaced);

/// <summary>Content-addressed objects in the artifact buckets: a key names its content (a hash), so an existing
/// key already holds the same bytes and a re-run uploads nothing. An existing object is trusted only when S3's own
/// SHA-256 of its bytes matches: anyone who may write the bucket could have replaced it, and user metadata could say
/// anything. https://docs.aws.amazon.com/AmazonS3/latest/userguide/checking-object-integrity.html</summary>
public static class ArtifactObjects
{
    /// <summary>Puts the object unless its key holds it already (same SHA-256). No encryption header is sent: the
    /// bucket's default (SSE-KMS with the artifact key) applies, and its policy denies only a request that asks for
    /// another encryption.</summary>
    public static async Task<StoredObject> PutIfAbsentAsync(IAmazonS3 s3, PutObjectRequest request, CancellationToken ct)
    {
        var sha256 = Sha256Of(request);
        var existing = await HeadAsync(s3, request.BucketName, request.Key, ct).ConfigureAwait(false);
        if (existing is not null && existing.ChecksumSHA256 == sha256)
        {
            return new StoredObject(false, existing.VersionId, false);
        }

        // S3 checks the bytes against this checksum on upload and keeps it with the object. An object without a SHA-256
        // (uploaded before the kit asked for one, or by another tool) is uploaded again without alarm: only a SHA-256
        // that differs says the bytes are not what the key names.
        request.ChecksumAlgorithm = ChecksumAlgorithm.SHA256;
        var response = await s3.PutObjectAsync(request, ct).ConfigureAwait(false);
        return new StoredObject(true, response.VersionId, existing?.ChecksumSHA256 is { Length: > 0 } found && found != sha256);
    }

    private static string Sha256Of(PutObjectRequest request)
    {
        var bytes = request.FilePath is { } path ? File.ReadAllBytes(path)
            : request.ContentBody is { } body ? Encoding.UTF8.GetBytes(body)
            : throw new ArgumentException("Artifact objects are put from a file or a string body.", nameof(request));
        return Convert.ToBase64String(SHA256.HashData(bytes));
    }

    private static async Task<GetObjectMetadataResponse?> HeadAsync(IAmazonS3 s3, string bucket, string key, CancellationToken ct)
    {
        try
        {
            return await s3.GetObjectMetadataAsync(
                new GetObjectMetadataRequest { BucketName = bucket, Key = key, ChecksumMode = ChecksumMode.ENABLED }, ct).ConfigureAwait(false);
        }
        catch (AmazonS3Exception e) when (e.StatusCode == HttpStatusCode.NotFound)
        {
            // HEAD has no error body: a missing bucket looks the same; PutObject then names it (NoSuchBucket).
            return null;
        }
    }
}
