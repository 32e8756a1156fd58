namespace PipelineKit.Tests.LocalPipeline;

using System.IO.Compression;
using Amazon.KeyManagementService.Model;
using Amazon.Runtime;
using Amazon.S3.Model;
using PipelineKit.Aws;
using PipelineKit.LocalPipeline;

/// <summary>A pipeline of one region on the emulator for the action tests: its artifact bucket and KMS key, a versioned source
/// bucket, and action runs as the engine hands them over. Every name carries the test's suffix.</summary>
internal sealed class LocalActions
{
    public const string Region = "us-east-1";
    public const string Account = "123456789012";

    public LocalActions(AwsClientFactory factory, string suffix)
    {
        Factory = factory;
        Suffix = suffix;
    }

    public AwsClientFactory Factory { get; }

    public string Suffix { get; }

    public AWSCredentials Credentials { get; } = new BasicAWSCredentials("testing", "testing");

    public string PipelineName => $"local-pipeline-test-{Suffix}";

    public ArtifactStoreDefinition Store { get; private set; } = null!;

    public string SourceBucket => $"src-{Suffix}";

    public S3ArtifactStore Artifacts => new(Factory.S3, PipelineName);

    public List<string> Log { get; } = [];

    public async Task<LocalActions> CreateAsync()
    {
        var key = await Factory.Kms(Credentials, Region).CreateKeyAsync(new CreateKeyRequest { Description = $"artifacts {Suffix}" });
        var s3 = Factory.S3(Credentials, Region);
        await s3.PutBucketAsync(new PutBucketRequest { BucketName = $"art-{Suffix}" });
        await s3.PutBucketAsync(new PutBucketRequest { BucketName = SourceBucket });
        await s3.PutBucketVersioningAsync(new PutBucketVersioningRequest
        {
            BucketName = SourceBucket,
            VersioningConfig = new S3BucketVersioningConfig { Status = Amazon.S3.VersionStatus.Enabled },
        });
        Store = new ArtifactStoreDefinition(Region, $"art-{Suffix}", key.KeyMetadata.Arn);
        return this;
    }

    public ActionRun Run(ActionType type, IReadOnlyDictionary<string, string> configuration, IReadOnlyList<ArtifactLocation>? inputs = null,
        IReadOnlyList<string>? outputs = null, string? revision = null)
    {
        var role = $"arn:aws:iam::{Account}:role/{PipelineName}-actions";
        var action = new ActionDefinition("Deploy", "Act", type, 1, Region, role, null, configuration,
            (inputs ?? []).Select(i => i.Name).ToList(), outputs ?? []);
        var pipeline = new PipelineDefinition(PipelineName, Account, Region, role, new Dictionary<string, ArtifactStoreDefinition> { [Region] = Store },
            [new StageDefinition("Deploy", [action])], new Dictionary<string, BuildProjectDefinition>());
        return new ActionRun(pipeline, action, $"exec-{Guid.NewGuid():N}", configuration, inputs ?? [], Credentials, revision, Log.Add);
    }

    /// <summary>A zip of the given files, put into the store as an artifact.</summary>
    public async Task<ArtifactLocation> PutZipAsync(string artifactName, IReadOnlyDictionary<string, string> files)
    {
        var path = Path.Combine(Path.GetTempPath(), $"pk-test-{Guid.NewGuid():N}.zip");
        try
        {
            await File.WriteAllBytesAsync(path, Zip(files));
            return await Artifacts.PutAsync(Credentials, Store, "exec-0", artifactName, path, CancellationToken.None);
        }
        finally
        {
            File.Delete(path);
        }
    }

    public static byte[] Zip(IReadOnlyDictionary<string, string> files)
    {
        using var buffer = new MemoryStream();
        using (var archive = new ZipArchive(buffer, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var (name, text) in files)
            {
                using var writer = new StreamWriter(archive.CreateEntry(name).Open());
                writer.Write(text);
            }
        }

        return buffer.ToArray();
    }
}
