namespace PipelineKit.Tests.Teardown;

using PipelineKit.Teardown;

/// <summary>Versioned buckets in memory, paged as S3's ListObjectVersions pages (at most 1,000 entries, key then version
/// order), refusing DeleteObjects batches over 1,000 and DeleteBucket on a bucket that still holds a version.</summary>
internal sealed class InMemoryBuckets : IBucketStore
{
    private readonly Dictionary<string, SortedSet<(string Key, string Version)>> buckets = new(StringComparer.Ordinal);

    public List<int> DeleteBatches { get; } = [];

    public List<string> Calls { get; } = [];

    public void Add(string bucket, int objects, int versionsEach, int deleteMarkers)
    {
        var set = buckets[bucket] = [];
        for (var o = 0; o < objects; o++)
        {
            for (var v = 0; v < versionsEach; v++) set.Add(($"obj-{o:D5}", $"v{v:D3}"));
        }

        for (var m = 0; m < deleteMarkers; m++) set.Add(($"obj-{m:D5}", $"marker{m:D5}"));
    }

    public bool Exists(string bucket) => buckets.ContainsKey(bucket);

    public Task<bool> ExistsAsync(string bucket, CancellationToken ct) => Task.FromResult(buckets.ContainsKey(bucket));

    public Task<VersionsPage> ListVersionsAsync(string bucket, string? keyMarker, string? versionIdMarker, CancellationToken ct)
    {
        Calls.Add("ListObjectVersions");
        var after = buckets[bucket].Where(e => keyMarker is null ||
            string.CompareOrdinal(e.Key, keyMarker) > 0 ||
            (e.Key == keyMarker && string.CompareOrdinal(e.Version, versionIdMarker) > 0)).ToList();
        var page = after.Take(1000).ToList();
        var versions = page.Select(e => new ObjectVersion(e.Key, e.Version)).ToArray();
        return Task.FromResult(after.Count > 1000
            ? new VersionsPage(versions, page[^1].Key, page[^1].Version)
            : new VersionsPage(versions, null, null));
    }

    public Task<IReadOnlyList<string>> DeleteVersionsAsync(string bucket, IReadOnlyList<ObjectVersion> batch, CancellationToken ct)
    {
        Calls.Add("DeleteObjects");
        if (batch.Count > 1000) throw new InvalidOperationException("MalformedXML: more than 1,000 objects");
        DeleteBatches.Add(batch.Count);
        foreach (var v in batch) buckets[bucket].Remove((v.Key, v.VersionId));
        return Task.FromResult<IReadOnlyList<string>>([]);
    }

    public Task DeleteBucketAsync(string bucket, CancellationToken ct)
    {
        Calls.Add("DeleteBucket");
        if (buckets[bucket].Count > 0) throw new InvalidOperationException("BucketNotEmpty");
        buckets.Remove(bucket);
        return Task.CompletedTask;
    }
}
