namespace PipelineKit.Teardown;

/// <summary>
/// Empties a versioned bucket completely, every version and every delete marker, in DeleteObjects batches of at most
/// 1,000 (the API's limit), then deletes it. S3 refuses to delete a bucket that holds anything, versions included.
/// https://docs.aws.amazon.com/AmazonS3/latest/userguide/empty-bucket.html
/// </summary>
public sealed class BucketEmptier(IBucketStore store)
{
    public const int MaxBatch = 1000;

    /// <summary>How many versions and delete markers were deleted; null, and nothing done, when the bucket is gone already.</summary>
    public async Task<int?> EmptyAndDeleteAsync(string bucket, CancellationToken ct)
    {
        if (!await store.ExistsAsync(bucket, ct).ConfigureAwait(false)) return null;
        var deleted = 0;
        var batch = new List<ObjectVersion>(MaxBatch);
        string? keyMarker = null, versionMarker = null;
        do
        {
            var page = await store.ListVersionsAsync(bucket, keyMarker, versionMarker, ct).ConfigureAwait(false);
            foreach (var version in page.Versions)
            {
                batch.Add(version);
                if (batch.Count == MaxBatch) deleted += await FlushAsync(bucket, batch, ct).ConfigureAwait(false);
            }

            (keyMarker, versionMarker) = (page.NextKeyMarker, page.NextVersionIdMarker);
        }
        while (keyMarker is not null || versionMarker is not null);

        deleted += await FlushAsync(bucket, batch, ct).ConfigureAwait(false);
        await store.DeleteBucketAsync(bucket, ct).ConfigureAwait(false);
        return deleted;
    }

    private async Task<int> FlushAsync(string bucket, List<ObjectVersion> batch, CancellationToken ct)
    {
        if (batch.Count == 0) return 0;
        var refused = await store.DeleteVersionsAsync(bucket, batch, ct).ConfigureAwait(false);
        if (refused.Count > 0)
        {
            throw new InvalidOperationException(
                $"s3://{bucket}: S3 refused to delete {refused.Count} of {batch.Count} object version(s), e.g. {refused[0]}. " +
                "Check the bucket's Object Lock and policy, then re-run Destroy.");
        }

        var count = batch.Count;
        batch.Clear();
        return count;
    }
}
