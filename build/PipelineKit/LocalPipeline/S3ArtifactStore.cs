namespace PipelineKit.LocalPipeline;

using System.Security.Cryptography;
using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;

/// <summary>
/// The pipeline's artifact stores in S3, laid out as CodePipeline lays them out: the folder of a pipeline is the first 20
/// characters of its name, an artifact's folder the first 10 characters of the artifact's name, and every artifact of every
/// execution a new object with a random 7-character name (<c>sandbox/BuildOutpu/1ABCyZZ</c>). The CloudFormation user guide's
/// <c>Fn::GetArtifactAtt</c> URL example (<c>.../test/TemplateSo/1ABCyZZ.zip</c>) shows the artifact name cut to 10 characters and
/// the 7-character object name; the artifact store reference says the pipeline folder is "created for you based on the name of the
/// pipeline", of which CodePipeline takes the first 20 characters. Every object is put with SSE-KMS under the store's key, as
/// CodePipeline does when the store names an encryption key; without one, the bucket's default encryption applies.
/// </summary>
/// <param name="s3">An S3 client with the given credentials in a region (the integrator passes the factory's).</param>
/// <param name="pipelineName">The pipeline whose artifacts the store holds: the first part of every key.</param>
public sealed class S3ArtifactStore(Func<AWSCredentials, string, IAmazonS3> s3, string pipelineName) : IArtifactStore
{
    /// <summary>How much of the pipeline's name names its folder in the store.</summary>
    public const int PipelineFolderLength = 20;

    /// <summary>How much of an artifact's name names its folder under the pipeline's.</summary>
    public const int ArtifactFolderLength = 10;

    private const string IdAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

    public async Task<ArtifactLocation> PutAsync(AWSCredentials credentials, ArtifactStoreDefinition store, string executionId,
        string artifactName, string zipFile, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentException.ThrowIfNullOrWhiteSpace(artifactName);
        var location = new ArtifactLocation(artifactName, store.Region, store.Bucket, KeyFor(pipelineName, artifactName), store.KeyArn);
        var request = new PutObjectRequest { BucketName = location.Bucket, Key = location.Key, FilePath = zipFile, ContentType = "application/zip" };
        Encrypt(request, store.KeyArn);
        await CallAsync(() => s3(credentials, store.Region).PutObjectAsync(request, ct), $"putting {artifactName} as s3://{location.Bucket}/{location.Key}")
            .ConfigureAwait(false);
        return location;
    }

    public async Task GetAsync(AWSCredentials credentials, ArtifactLocation location, string zipFile, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(location);
        using var response = await CallAsync(
            () => s3(credentials, location.Region).GetObjectAsync(new GetObjectRequest { BucketName = location.Bucket, Key = location.Key }, ct),
            $"reading {location.Name} from s3://{location.Bucket}/{location.Key}").ConfigureAwait(false);
        await response.WriteResponseStreamToFileAsync(zipFile, false, ct).ConfigureAwait(false);
    }

    /// <summary>Copies an artifact into the store of another region, as the pipeline's role does for an action in that region
    /// (https://docs.aws.amazon.com/codepipeline/latest/userguide/actions-create-cross-region.html): the same key, in the
    /// other region's bucket, encrypted with that store's key.</summary>
    public async Task<ArtifactLocation> CopyAsync(AWSCredentials credentials, ArtifactLocation from, ArtifactStoreDefinition to, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(from);
        ArgumentNullException.ThrowIfNull(to);
        var request = new CopyObjectRequest
        {
            SourceBucket = from.Bucket,
            SourceKey = from.Key,
            DestinationBucket = to.Bucket,
            DestinationKey = from.Key,
        };
        if (to.KeyArn is { Length: > 0 } key)
        {
            request.ServerSideEncryptionMethod = ServerSideEncryptionMethod.AWSKMS;
            request.ServerSideEncryptionKeyManagementServiceKeyId = key;
        }

        await CallAsync(() => s3(credentials, to.Region).CopyObjectAsync(request, ct),
            $"copying {from.Name} from s3://{from.Bucket}/{from.Key} ({from.Region}) to s3://{to.Bucket} ({to.Region})").ConfigureAwait(false);
        return new ArtifactLocation(from.Name, to.Region, to.Bucket, from.Key, to.KeyArn);
    }

    /// <summary>Puts a template next to the artifacts for CloudFormation to read by URL (CloudFormation takes at most 51,200
    /// bytes inline); returns its key.</summary>
    internal async Task<string> PutTemplateAsync(AWSCredentials credentials, ArtifactStoreDefinition store, string body, CancellationToken ct)
    {
        var key = KeyFor(pipelineName, "templates");
        var request = new PutObjectRequest { BucketName = store.Bucket, Key = key, ContentBody = body, ContentType = "text/plain" };
        Encrypt(request, store.KeyArn);
        await CallAsync(() => s3(credentials, store.Region).PutObjectAsync(request, ct), $"staging the template as s3://{store.Bucket}/{key}")
            .ConfigureAwait(false);
        return key;
    }

    /// <summary>The endpoint the store's S3 client talks to when it is not AWS's (the emulator), else null.</summary>
    internal string? EndpointFor(AWSCredentials credentials, string region) =>
        s3(credentials, region).Config.ServiceURL is { Length: > 0 } url ? url : null;

    /// <summary><c>pipeline name (20)/artifact name (10)/7 random letters and digits</c>.</summary>
    public static string KeyFor(string pipelineName, string artifactName)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(pipelineName);
        ArgumentException.ThrowIfNullOrWhiteSpace(artifactName);
        return $"{Cut(pipelineName, PipelineFolderLength)}/{Cut(artifactName, ArtifactFolderLength)}/{RandomNumberGenerator.GetString(IdAlphabet, 7)}";
    }

    private static string Cut(string text, int length) => text.Length <= length ? text : text[..length];

    private static void Encrypt(PutObjectRequest request, string? keyArn)
    {
        if (keyArn is not { Length: > 0 }) return;
        request.ServerSideEncryptionMethod = ServerSideEncryptionMethod.AWSKMS;
        request.ServerSideEncryptionKeyManagementServiceKeyId = keyArn;
    }

    private static async Task<T> CallAsync<T>(Func<Task<T>> call, string what)
    {
        try
        {
            return await call().ConfigureAwait(false);
        }
        catch (AmazonS3Exception e)
        {
            throw new ActionFailedException("JobFailed", $"{what} failed: {e.ErrorCode}: {e.Message}", e);
        }
    }
}
