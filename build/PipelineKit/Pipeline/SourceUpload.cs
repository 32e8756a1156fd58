namespace PipelineKit.Pipeline;

using System.Diagnostics;
using Amazon.S3;
using Amazon.S3.Model;
using PipelineKit.Configuration;
using PipelineKit.SampleApp;

/// <summary>The source artifact as uploaded: where, which object version (the S3 source action's revision id), and what.</summary>
/// <param name="AlreadyThere">The key's current version held these bytes already: nothing was uploaded, the revision is that version.</param>
public sealed record UploadedSource(string Bucket, string Key, string VersionId, string Sha256, string Description, bool AlreadyThere = false);

/// <summary>
/// Hands the repository to a pipeline with an S3 source: zips it the way the pipeline's CodeBuild project expects
/// (the repository root at the top of the zip, buildspecs/ and build.sh included) and uploads it to the source key of
/// the versioned source bucket. The S3 source action polls that key and records the object's version id as the
/// run's source revision, which is how the kit later finds the run its upload started.
/// </summary>
public static class SourceUpload
{
    /// <summary>Never part of the source: build outputs, whatever a build left behind.</summary>
    public static readonly IReadOnlyList<string> ExcludedFolders = ["artifacts", "bin", "obj"];

    /// <summary>CodePipeline shows this object metadata as the run's revision summary.
    /// https://docs.aws.amazon.com/codepipeline/latest/userguide/action-reference-S3.html</summary>
    public const string RevisionSummaryMetadata = "codepipeline-artifact-revision-summary";

    /// <summary>
    /// The zip of the repository. In a git checkout: <c>git archive --format=zip HEAD</c> (committed files only, dated
    /// by the commit, so the same commit gives the same bytes); otherwise every file but .git and the excluded folders,
    /// zipped deterministically. <paramref name="description"/> says which commit (or that there was none).
    /// </summary>
    public static async Task<(byte[] Zip, string Description, string? Warning)> CreateArchiveAsync(string repositoryRoot, CancellationToken ct)
    {
        var root = Path.GetFullPath(repositoryRoot);
        if (await GitAsync(root, ct, "rev-parse", "--is-inside-work-tree").ConfigureAwait(false) is { Code: 0 } inside
            && inside.Output.Trim() == "true")
        {
            var head = await GitAsync(root, ct, "log", "-1", "--format=%h %s").ConfigureAwait(false);
            if (head.Code != 0) throw new InvalidOperationException($"{root} is a git checkout without a commit; commit the repository first.");
            var status = await GitAsync(root, ct, "status", "--porcelain", "--untracked-files=no").ConfigureAwait(false);
            var pathspecs = new List<string> { "archive", "--format=zip", "HEAD", "--", "." };
            pathspecs.AddRange(ExcludedFolders.Select(folder => $":(exclude,glob)**/{folder}/**"));
            var archive = await GitBytesAsync(root, ct, [.. pathspecs]).ConfigureAwait(false);
            var warning = status.Output.Trim().Length > 0
                ? "uncommitted changes are not uploaded (the source is the last commit); commit them and re-run to ship them."
                : null;
            return (archive, $"commit {head.Output.Trim()}", warning);
        }

        var zip = DeterministicZip.Create(root, IsSourceFile);
        return (zip, $"files of {Path.GetFileName(root)} (not a git checkout)", null);
    }

    /// <summary>Never uploaded from a folder that is not a git checkout (where no .gitignore speaks for the user): what
    /// commonly holds credentials or keys. The source bucket is readable by the pipeline's roles and kept for the
    /// retention period.</summary>
    public static readonly IReadOnlyList<string> SecretFolders = [".aws", ".ssh", ".gnupg", ".azure", ".kube", ".docker"];

    private static readonly string[] SecretFilePatterns = [".env", ".env.*", "*.pem", "*.key", "*.p12", "*.pfx", "id_rsa*", "id_ed25519*", ".npmrc", ".netrc", ".pypirc"];

    /// <summary>Relative paths ('/'-separated) the zip takes when the repository is not a git checkout.</summary>
    public static bool IsSourceFile(string relativePath)
    {
        var segments = relativePath.Split('/');
        var folders = segments[..^1];
        return segments[0] != ".git"
            && !folders.Any(segment => ExcludedFolders.Contains(segment, StringComparer.Ordinal) || SecretFolders.Contains(segment, StringComparer.Ordinal))
            && !SecretFilePatterns.Any(pattern => System.IO.Enumeration.FileSystemName.MatchesSimpleExpression(pattern, segments[^1], ignoreCase: true));
    }

    /// <summary>Uploads <paramref name="zip"/> to the source key; returns the new object version. When the key's current version
    /// holds the same bytes (S3's SHA-256 of them, https://docs.aws.amazon.com/AmazonS3/latest/userguide/checking-object-integrity.html)
    /// nothing is uploaded and that version is returned: the same commit stays the same source revision, so the version the
    /// sample app is stamped with (the S3 version id, see SampleApp/AppVersionStamp) does not change and a re-run deploys nothing.</summary>
    public static async Task<UploadedSource> UploadAsync(
        IAmazonS3 s3, string bucket, string key, byte[] zip, string description, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(s3);
        ArgumentNullException.ThrowIfNull(zip);
        var request = new PutObjectRequest
        {
            BucketName = bucket,
            Key = key,
            InputStream = new MemoryStream(zip, writable: false),
            ContentType = "application/zip",
        };
        request.Metadata[RevisionSummaryMetadata] = $"PipelineKit: {description}";
        request.ChecksumAlgorithm = ChecksumAlgorithm.SHA256;
        var sha256 = Convert.ToBase64String(System.Security.Cryptography.SHA256.HashData(zip));
        if (await CurrentAsync(s3, bucket, key, ct).ConfigureAwait(false) is { ChecksumSHA256: var existing, VersionId: var version }
            && existing == sha256 && !string.IsNullOrEmpty(version) && version != "null")
        {
            return new UploadedSource(bucket, key, version, DeterministicZip.Sha256(zip), description, AlreadyThere: true);
        }

        PutObjectResponse response;
        try
        {
            response = await s3.PutObjectAsync(request, ct).ConfigureAwait(false);
        }
        catch (AmazonS3Exception e) when (e.ErrorCode == "NoSuchBucket")
        {
            throw new InvalidOperationException(
                $"The pipeline's source bucket {bucket} does not exist. Run ./build.sh CreatePipeline (it creates the bucket and the pipeline) first.", e);
        }

        if (string.IsNullOrEmpty(response.VersionId) || response.VersionId == "null")
        {
            throw new InvalidOperationException(
                $"s3://{bucket}/{key} was uploaded without a version id: the bucket is not versioned, and the pipeline's S3 source needs " +
                "versioning to tell uploads apart. Run ./build.sh BootstrapPrimary to restore the bucket's settings.");
        }

        return new UploadedSource(bucket, key, response.VersionId, DeterministicZip.Sha256(zip), description);
    }

    private static async Task<GetObjectMetadataResponse?> CurrentAsync(IAmazonS3 s3, string bucket, string key, CancellationToken ct)
    {
        try
        {
            return await s3.GetObjectMetadataAsync(
                new GetObjectMetadataRequest { BucketName = bucket, Key = key, ChecksumMode = ChecksumMode.ENABLED }, ct).ConfigureAwait(false);
        }
        catch (AmazonS3Exception e) when (e.StatusCode == System.Net.HttpStatusCode.NotFound)
        {
            // No object yet (HEAD has no error body: a missing bucket looks the same; PutObject then names it).
            return null;
        }
    }

    /// <summary>Runs git in <paramref name="root"/>: its exit code and output; -1 when there is no git on this machine.</summary>
    internal static async Task<(int Code, string Output)> GitAsync(string root, CancellationToken ct, params string[] arguments)
    {
        try
        {
            var (code, output) = await RunGitAsync(root, arguments, ct).ConfigureAwait(false);
            return (code, System.Text.Encoding.UTF8.GetString(output));
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return (-1, "");   // no git on this machine: treat the folder as a plain tree
        }
    }

    private static async Task<byte[]> GitBytesAsync(string root, CancellationToken ct, params string[] arguments)
    {
        var (code, output) = await RunGitAsync(root, arguments, ct).ConfigureAwait(false);
        if (code != 0) throw new InvalidOperationException($"git {string.Join(' ', arguments)} failed in {root} (exit code {code}).");
        return output;
    }

    private static async Task<(int Code, byte[] Output)> RunGitAsync(string root, string[] arguments, CancellationToken ct)
    {
        var start = new ProcessStartInfo("git")
        {
            WorkingDirectory = root,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        using var process = Process.Start(start) ?? throw new InvalidOperationException("Could not start git.");
        using var output = new MemoryStream();
        var copy = process.StandardOutput.BaseStream.CopyToAsync(output, ct);
        var errors = process.StandardError.ReadToEndAsync(ct);
        await Task.WhenAll(copy, errors).ConfigureAwait(false);
        await process.WaitForExitAsync(ct).ConfigureAwait(false);
        return (process.ExitCode, output.ToArray());
    }
}
