namespace PipelineKit.Tests.Deployment;

using Amazon.S3;
using Amazon.S3.Model;
using PipelineKit.Aws;
using PipelineKit.Deployment;
using PipelineKit.Tests.Integration;

/// <summary>Content-addressed uploads against the emulator's S3 (versioned, as the kit's buckets are): an object is
/// trusted only when S3's own SHA-256 of its bytes matches.</summary>
[Collection("moto")]
public sealed class ArtifactObjectsTests(MotoFixture moto) : IAsyncLifetime
{
    private readonly string bucket = $"ao-{Guid.NewGuid():N}"[..30];
    private readonly AwsClientFactory factory = moto.Clients();
    private IAmazonS3 S3 => factory.S3(new Amazon.Runtime.BasicAWSCredentials("testing", "testing"), "us-east-1");

    public async Task InitializeAsync()
    {
        await moto.Cli(null, "s3api", "create-bucket", "--bucket", bucket);
        await moto.Cli(null, "s3api", "put-bucket-versioning", "--bucket", bucket, "--versioning-configuration", "Status=Enabled");
    }

    public Task DisposeAsync()
    {
        factory.Dispose();
        return Task.CompletedTask;
    }

    private PutObjectRequest Code(string body) => new() { BucketName = bucket, Key = "sample-app/code.zip", ContentBody = body };

    [Fact]
    public async Task SameBytesAgain_AreNotUploaded_AndKeepTheirVersion()
    {
        var first = await ArtifactObjects.PutIfAbsentAsync(S3, Code("zip bytes"), CancellationToken.None);

        var second = await ArtifactObjects.PutIfAbsentAsync(S3, Code("zip bytes"), CancellationToken.None);

        Assert.True(first.Uploaded);
        Assert.NotNull(first.VersionId);
        Assert.Equal(new StoredObject(false, first.VersionId, false), second);
    }

    [Fact]
    public async Task OtherBytesUnderTheKey_AreReplaced_AndSaidSo()
    {
        await ArtifactObjects.PutIfAbsentAsync(S3, Code("someone else's bytes"), CancellationToken.None);

        var stored = await ArtifactObjects.PutIfAbsentAsync(S3, Code("zip bytes"), CancellationToken.None);

        Assert.True(stored.Uploaded);
        Assert.True(stored.Replaced);
    }

    [Fact]
    public async Task AnObjectWithoutASha256_IsUploadedAgain_WithoutAlarm()
    {
        // As the kit uploaded before it asked S3 for a SHA-256, or another tool does.
        var file = Path.GetTempFileName();
        await File.WriteAllTextAsync(file, "zip bytes");
        await moto.Cli(null, "s3api", "put-object", "--bucket", bucket, "--key", "sample-app/code.zip", "--body", file);
        File.Delete(file);

        var stored = await ArtifactObjects.PutIfAbsentAsync(S3, Code("zip bytes"), CancellationToken.None);

        Assert.True(stored.Uploaded);
        Assert.False(stored.Replaced);
    }
}
