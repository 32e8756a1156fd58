namespace PipelineKit.SampleApp;

using System.Net;
using System.Text.Json;
using Amazon.S3;
using Amazon.S3.Model;
using PipelineKit.Naming;

/// <summary>One direct deployment of the sample app that succeeded: what the app stack was given (its parameters, the
/// code object's key and version among them, its tags and its template), so that Rollback --direct can give it again.</summary>
public sealed record Release(string AppVersion, IReadOnlyDictionary<string, string> Parameters, IReadOnlyDictionary<string, string> Tags,
    string Template);

/// <summary>
/// The direct deployments of one environment, oldest first, as one small object next to the code they point at:
/// s3://NAME-artifacts-BUILD-REGION/direct-releases/ENV.json in the environment's region. The deployer role writes it
/// after each direct deployment that succeeded (its grant on direct-releases/*), and Rollback --direct reads it. Not under
/// sample-app/: the build projects may write there, and whoever writes the record chooses what a rollback deploys. The code objects are content-addressed and pinned by version, so an entry stays deployable as long as
/// the bucket keeps that version (current versions are never expired).
/// </summary>
public static class ReleaseHistory
{
    /// <summary>At most this many releases are kept per environment.</summary>
    public const int Kept = 10;

    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true };

    public static string Key(string environment) => $"{KitNames.ReleaseHistoryPrefix}{environment}.json";

    public static async Task<IReadOnlyList<Release>> ReadAsync(IAmazonS3 s3, string bucket, string environment, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(s3);
        try
        {
            using var response = await s3.GetObjectAsync(new GetObjectRequest { BucketName = bucket, Key = Key(environment) }, ct).ConfigureAwait(false);
            using var reader = new StreamReader(response.ResponseStream);
            return JsonSerializer.Deserialize<List<Release>>(await reader.ReadToEndAsync(ct).ConfigureAwait(false), Json) ?? [];
        }
        catch (AmazonS3Exception e) when (e.StatusCode == HttpStatusCode.NotFound || e.ErrorCode is "NoSuchKey" or "NoSuchBucket")
        {
            return [];
        }
    }

    public static Task WriteAsync(IAmazonS3 s3, string bucket, string environment, IReadOnlyList<Release> releases, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(s3);
        return s3.PutObjectAsync(new PutObjectRequest
        {
            BucketName = bucket,
            Key = Key(environment),
            ContentBody = JsonSerializer.Serialize(releases, Json),
            ContentType = "application/json",
        }, ct);
    }

    /// <summary>Adds a release after a direct deployment; the same release as the last one is not added twice. A record that
    /// is no longer JSON (written by someone else) is started again from this release: the deployment itself succeeded.</summary>
    public static async Task RecordAsync(IAmazonS3 s3, string bucket, string environment, Release release, CancellationToken ct)
    {
        List<Release> releases;
        try
        {
            releases = (await ReadAsync(s3, bucket, environment, ct).ConfigureAwait(false)).ToList();
        }
        catch (JsonException)
        {
            releases = [];
        }

        if (releases.Count > 0 && Same(releases[^1], release)) return;
        releases.Add(release);
        await WriteAsync(s3, bucket, environment, releases.TakeLast(Kept).ToArray(), ct).ConfigureAwait(false);
    }

    private static bool Same(Release a, Release b) =>
        a.Template == b.Template && a.Parameters.Count == b.Parameters.Count
        && a.Parameters.All(p => b.Parameters.TryGetValue(p.Key, out var value) && value == p.Value);
}
