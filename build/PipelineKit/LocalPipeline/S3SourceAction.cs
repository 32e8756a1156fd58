namespace PipelineKit.LocalPipeline;

using System.Net;
using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;

/// <summary>
/// The Amazon S3 source action (Source/AWS/S3/1): the object S3Bucket/S3ObjectKey at the execution's revision (its version id),
/// read with the action's role and put unchanged as the output artifact. Its revision is the object's version id; its output
/// variables are ETag and VersionId, the two the S3 action reference documents
/// (https://docs.aws.amazon.com/codepipeline/latest/userguide/action-reference-S3.html).
/// </summary>
/// <param name="s3">An S3 client with the given credentials in a region (the integrator passes the factory's).</param>
/// <param name="artifacts">Where the output artifact goes.</param>
public sealed class S3SourceAction(Func<AWSCredentials, string, IAmazonS3> s3, IArtifactStore artifacts) : IActionExecutor
{
    public bool Handles(ActionType type) => type == ActionType.S3Source;

    public async Task<ActionOutcome> RunAsync(ActionRun run, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(run);
        var bucket = Required(run, "S3Bucket");
        var key = Required(run, "S3ObjectKey");
        if (run.Action.OutputArtifacts is not [var output])
        {
            throw new ActionFailedException("ConfigurationError", $"{run.Action}: an S3 source action has exactly one output artifact.");
        }

        var file = Path.Combine(Path.GetTempPath(), $"pipelinekit-source-{Guid.NewGuid():N}.zip");
        try
        {
            var request = new GetObjectRequest { BucketName = bucket, Key = key, VersionId = run.SourceRevision };
            string? versionId, etag;
            try
            {
                using var response = await s3(run.Credentials, run.Action.Region).GetObjectAsync(request, ct).ConfigureAwait(false);
                await response.WriteResponseStreamToFileAsync(file, false, ct).ConfigureAwait(false);
                (versionId, etag) = (response.VersionId, response.ETag);
            }
            catch (AmazonS3Exception e)
            {
                throw Failed(e, bucket, key, run.SourceRevision);
            }

            var location = await artifacts.PutAsync(run.Credentials, run.Store, run.ExecutionId, output, file, ct).ConfigureAwait(false);
            var revision = Versioned(versionId);
            var variables = new Dictionary<string, string> { ["ETag"] = etag?.Trim('"') ?? "" };
            if (revision is not null) variables["VersionId"] = revision;
            return new ActionOutcome($"s3://{bucket}/{key}{(revision is null ? "" : $" version {revision}")}", [location], variables, revision);
        }
        finally
        {
            File.Delete(file);
        }
    }

    /// <summary>The object's current version, which the engine makes the execution's source revision; null when the bucket is
    /// not versioned (the action then reads the object as it is). A missing bucket or object is an
    /// <see cref="ActionFailedException"/> naming it.</summary>
    public static async Task<string?> LatestVersionAsync(IAmazonS3 s3, string bucket, string key, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(s3);
        try
        {
            var head = await s3.GetObjectMetadataAsync(new GetObjectMetadataRequest { BucketName = bucket, Key = key }, ct).ConfigureAwait(false);
            return Versioned(head.VersionId);
        }
        catch (AmazonS3Exception e)
        {
            throw Failed(e, bucket, key, null);
        }
    }

    /// <summary>The code of a source object (or bucket) that is not there: nothing was uploaded yet.</summary>
    public const string MissingObject = "SourceObjectMissing";

    private static string? Versioned(string? versionId) => string.IsNullOrEmpty(versionId) || versionId == "null" ? null : versionId;

    private static ActionFailedException Failed(AmazonS3Exception e, string bucket, string key, string? version)
    {
        var what = $"s3://{bucket}/{key}{(version is null ? "" : $" (version {version})")}";
        return e.ErrorCode switch
        {
            "NoSuchBucket" => new ActionFailedException("ConfigurationError", $"The source bucket {bucket} does not exist.", e),
            "NoSuchVersion" => new ActionFailedException("RevisionUnavailable", $"{what} does not exist: the version was deleted.", e),
            // HEAD has no error body: a 404 is the object (or the bucket) missing.
            "NoSuchKey" or "NotFound" or _ when e.StatusCode == HttpStatusCode.NotFound =>
                new ActionFailedException(MissingObject,
                    $"{what} does not exist: upload the source object first.", e),
            _ => new ActionFailedException("JobFailed", $"Reading {what} failed: {e.ErrorCode}: {e.Message}", e),
        };
    }

    private static string Required(ActionRun run, string field) =>
        run.Configuration.TryGetValue(field, out var value) && !string.IsNullOrWhiteSpace(value)
            ? value
            : throw new ActionFailedException("ConfigurationError", $"{run.Action}: the S3 source action's {field} is required and not set.");
}
