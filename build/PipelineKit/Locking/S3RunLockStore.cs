namespace PipelineKit.Locking;

using System.Net;
using Amazon.S3;
using Amazon.S3.Model;

/// <summary>
/// The run lock as one object in the pipeline's source bucket, written only conditionally. S3 answers a failed
/// condition with 412 Precondition Failed, and a write that raced another conditional write on the same key with
/// 409 ConditionalRequestConflict; both mean "someone else wrote first". If-Match on a key that is gone is 404.
/// The bucket is the build account's (ExpectedBucketOwner), so a lock is never written into someone else's bucket.
/// </summary>
public sealed class S3RunLockStore(IAmazonS3 s3, string bucket, string key, string expectedOwner) : IRunLockStore
{
    public string Location => $"s3://{bucket}/{key}";

    public async Task<StoredLock?> ReadAsync(CancellationToken ct)
    {
        try
        {
            using var response = await s3.GetObjectAsync(new GetObjectRequest { BucketName = bucket, Key = key, ExpectedBucketOwner = expectedOwner }, ct)
                .ConfigureAwait(false);
            using var reader = new StreamReader(response.ResponseStream);
            return new StoredLock(await reader.ReadToEndAsync(ct).ConfigureAwait(false), response.ETag);
        }
        catch (AmazonS3Exception e) when (e.ErrorCode == "NoSuchBucket")
        {
            throw new RunLockUnavailableException($"the bucket {bucket} does not exist yet", e);
        }
        catch (AmazonS3Exception e) when (e.ErrorCode == "NoSuchKey" || e.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
    }

    public Task<string?> CreateAsync(string body, CancellationToken ct) =>
        PutAsync(new PutObjectRequest { IfNoneMatch = "*" }, body, ct);

    public Task<string?> ReplaceAsync(string body, string etag, CancellationToken ct) =>
        PutAsync(new PutObjectRequest { IfMatch = etag }, body, ct);

    private async Task<string?> PutAsync(PutObjectRequest request, string body, CancellationToken ct)
    {
        request.BucketName = bucket;
        request.Key = key;
        request.ContentBody = body;
        request.ContentType = "application/json";
        request.ExpectedBucketOwner = expectedOwner;
        try
        {
            return (await s3.PutObjectAsync(request, ct).ConfigureAwait(false)).ETag;
        }
        catch (AmazonS3Exception e) when (e.ErrorCode == "NoSuchBucket")
        {
            throw new RunLockUnavailableException($"the bucket {bucket} does not exist", e);
        }
        catch (AmazonS3Exception e) when (e.StatusCode is HttpStatusCode.PreconditionFailed or HttpStatusCode.Conflict or HttpStatusCode.NotFound)
        {
            return null;
        }
    }
}
