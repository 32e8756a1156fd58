namespace PipelineKit.Tests.Pipeline;

using System.Diagnostics;
using System.IO.Compression;
using Amazon.Runtime;
using Amazon.S3.Model;
using PipelineKit.Aws;
using PipelineKit.Pipeline;
using PipelineKit.Tests.Integration;

[Collection("moto")]
public sealed class SourceUploadTests(MotoFixture moto) : IDisposable
{
    private readonly string root = Directory.CreateTempSubdirectory("pipelinekit-source-").FullName;

    public void Dispose() => Directory.Delete(root, recursive: true);

    [Fact]
    public async Task CreateArchive_InAGitCheckout_ZipsTheLastCommit_WithoutBuildOutputs()
    {
        Write("build.sh", "#!/bin/sh\n");
        Write("buildspecs/buildspec.yml", "version: 0.2\n");
        Write("build/PipelineKit/bin/Debug/kit.dll", "binary");
        Write("sample-app/src/obj/project.assets.json", "{}");
        Write("artifacts/outputs.json", "{}");
        Git("init", "-q");
        Git("add", "-A", "-f");
        Git("-c", "user.name=t", "-c", "user.email=t@example.invalid", "commit", "-q", "-m", "first");

        var (zip, description, warning) = await SourceUpload.CreateArchiveAsync(root, CancellationToken.None);
        var again = await SourceUpload.CreateArchiveAsync(root, CancellationToken.None);

        Assert.Equal(["build.sh", "buildspecs/buildspec.yml"], Entries(zip));
        Assert.Equal(zip, again.Zip);
        Assert.StartsWith("commit ", description);
        Assert.EndsWith(" first", description);
        Assert.Null(warning);
    }

    [Fact]
    public async Task CreateArchive_WithUncommittedChanges_WarnsThatOnlyTheCommitIsUploaded()
    {
        Write("build.sh", "#!/bin/sh\n");
        Git("init", "-q");
        Git("add", "-A");
        Git("-c", "user.name=t", "-c", "user.email=t@example.invalid", "commit", "-q", "-m", "first");
        Write("build.sh", "#!/bin/sh\necho changed\n");

        var (zip, _, warning) = await SourceUpload.CreateArchiveAsync(root, CancellationToken.None);

        Assert.Equal("uncommitted changes are not uploaded (the source is the last commit); commit them and re-run to ship them.", warning);
        Assert.Equal("#!/bin/sh\n", EntryText(zip, "build.sh"));
    }

    [Fact]
    public async Task CreateArchive_OutsideGit_ZipsTheTreeDeterministically_WithoutBuildOutputs()
    {
        Write("build.sh", "#!/bin/sh\n");
        Write("src/bin/x.dll", "b");
        Write("artifacts/a.zip", "a");

        var first = await SourceUpload.CreateArchiveAsync(root, CancellationToken.None);
        File.SetLastWriteTimeUtc(Path.Combine(root, "build.sh"), DateTime.UtcNow.AddDays(-3));
        var second = await SourceUpload.CreateArchiveAsync(root, CancellationToken.None);

        Assert.Equal(["build.sh"], Entries(first.Zip));
        Assert.Equal(first.Zip, second.Zip);
    }

    [Theory]
    [InlineData("build.sh", true)]
    [InlineData("build/PipelineKit/Aws/CodePipelineClient.cs", true)]
    [InlineData("binary/file.txt", true)]
    [InlineData(".git/config", false)]
    [InlineData("artifacts/outputs.json", false)]
    [InlineData("build/PipelineKit/bin/Debug/kit.dll", false)]
    [InlineData("sample-app/src/obj/project.assets.json", false)]
    [InlineData(".env", false)]
    [InlineData("sample-app/.env.production", false)]
    [InlineData(".aws/credentials", false)]
    [InlineData("deploy/.ssh/known_hosts", false)]
    [InlineData("certs/server.PEM", false)]
    [InlineData("id_rsa.pub", false)]
    [InlineData("docs/environment.md", true)]
    [InlineData("src/keys.cs", true)]
    public void IsSourceFile_LeavesOutGitBuildOutputsAndCredentialFiles(string path, bool included) =>
        Assert.Equal(included, SourceUpload.IsSourceFile(path));

    [Fact]
    public async Task Upload_ToAVersionedBucket_ReturnsTheNewObjectVersion()
    {
        using var factory = new AwsClientFactory(new AwsEndpoints(_ => null, moto.Url), new AwsCallLog());
        var s3 = factory.S3(new BasicAWSCredentials("testing", "testing"), "us-east-1");
        const string bucket = "upload-source-123456789012-us-east-1";
        await s3.PutBucketAsync(bucket);
        await s3.PutBucketVersioningAsync(new PutBucketVersioningRequest
        {
            BucketName = bucket,
            VersioningConfig = new S3BucketVersioningConfig { Status = Amazon.S3.VersionStatus.Enabled },
        });

        var first = await SourceUpload.UploadAsync(s3, bucket, "source.zip", [1, 2, 3], "commit abc first", CancellationToken.None);
        var second = await SourceUpload.UploadAsync(s3, bucket, "source.zip", [4, 5], "commit def second", CancellationToken.None);

        Assert.NotEqual(first.VersionId, second.VersionId);
        var head = await s3.GetObjectMetadataAsync(new GetObjectMetadataRequest { BucketName = bucket, Key = "source.zip", VersionId = first.VersionId });
        Assert.Equal("PipelineKit: commit abc first", head.Metadata["x-amz-meta-" + SourceUpload.RevisionSummaryMetadata]);
    }

    [Fact]
    public async Task Upload_OfTheBytesTheKeyHoldsAlready_KeepsThatVersion_SoTheRevisionStaysTheSame()
    {
        using var factory = new AwsClientFactory(new AwsEndpoints(_ => null, moto.Url), new AwsCallLog());
        var s3 = factory.S3(new BasicAWSCredentials("testing", "testing"), "us-east-1");
        const string bucket = "same-source-123456789012-us-east-1";
        await s3.PutBucketAsync(bucket);
        await s3.PutBucketVersioningAsync(new PutBucketVersioningRequest
        {
            BucketName = bucket,
            VersioningConfig = new S3BucketVersioningConfig { Status = Amazon.S3.VersionStatus.Enabled },
        });

        var first = await SourceUpload.UploadAsync(s3, bucket, "source.zip", [1, 2, 3], "commit abc", CancellationToken.None);
        var again = await SourceUpload.UploadAsync(s3, bucket, "source.zip", [1, 2, 3], "commit abc", CancellationToken.None);
        var other = await SourceUpload.UploadAsync(s3, bucket, "source.zip", [1, 2, 4], "commit def", CancellationToken.None);

        Assert.False(first.AlreadyThere);
        Assert.True(again.AlreadyThere);
        Assert.Equal(first.VersionId, again.VersionId);
        Assert.False(other.AlreadyThere);
        Assert.NotEqual(first.VersionId, other.VersionId);
        var versions = await s3.ListVersionsAsync(new ListVersionsRequest { BucketName = bucket, Prefix = "source.zip" });
        Assert.Equal(2, versions.Versions.Count);
    }

    [Fact]
    public async Task Upload_ToAnUnversionedBucket_FailsWithTheFix()
    {
        using var factory = new AwsClientFactory(new AwsEndpoints(_ => null, moto.Url), new AwsCallLog());
        var s3 = factory.S3(new BasicAWSCredentials("testing", "testing"), "us-east-1");
        const string bucket = "unversioned-source-123456789012-us-east-1";
        await s3.PutBucketAsync(bucket);

        var error = await Assert.ThrowsAsync<InvalidOperationException>(
            () => SourceUpload.UploadAsync(s3, bucket, "source.zip", [1], "x", CancellationToken.None));

        Assert.Contains("the bucket is not versioned", error.Message);
        Assert.Contains("./build.sh BootstrapPrimary", error.Message);
    }

    private void Write(string relative, string text)
    {
        var path = Path.Combine(root, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text);
    }

    private void Git(params string[] arguments)
    {
        var start = new ProcessStartInfo("git") { WorkingDirectory = root, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        using var process = Process.Start(start)!;
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, $"git {string.Join(' ', arguments)}: {process.StandardError.ReadToEnd()}");
    }

    private static string[] Entries(byte[] zip)
    {
        using var archive = new ZipArchive(new MemoryStream(zip));
        return archive.Entries.Where(e => !e.FullName.EndsWith('/')).Select(e => e.FullName).Order(StringComparer.Ordinal).ToArray();
    }

    private static string EntryText(byte[] zip, string name)
    {
        using var archive = new ZipArchive(new MemoryStream(zip));
        using var reader = new StreamReader(archive.GetEntry(name)!.Open());
        return reader.ReadToEnd();
    }
}
