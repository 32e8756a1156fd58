namespace PipelineKit.Teardown;

/// <summary>One object version or delete marker (S3 ListObjectVersions); an unversioned object has VersionId "null".</summary>
public sealed record ObjectVersion(string Key, string VersionId);

/// <summary>One page of ListObjectVersions: versions and delete markers together, and where the next page starts.</summary>
public sealed record VersionsPage(IReadOnlyList<ObjectVersion> Versions, string? NextKeyMarker, string? NextVersionIdMarker)
{
    public bool IsTruncated => NextKeyMarker is not null || NextVersionIdMarker is not null;
}

/// <summary>The S3 operations emptying and deleting a bucket needs, in one account and region (S3BucketStore over AWSSDK.S3;
/// in memory in the tests).</summary>
public interface IBucketStore
{
    /// <summary>False when there is no such bucket.</summary>
    Task<bool> ExistsAsync(string bucket, CancellationToken ct);

    Task<VersionsPage> ListVersionsAsync(string bucket, string? keyMarker, string? versionIdMarker, CancellationToken ct);

    /// <summary>DeleteObjects with at most 1,000 entries; returns the entries S3 refused, each with its reason.</summary>
    Task<IReadOnlyList<string>> DeleteVersionsAsync(string bucket, IReadOnlyList<ObjectVersion> batch, CancellationToken ct);

    Task DeleteBucketAsync(string bucket, CancellationToken ct);
}
