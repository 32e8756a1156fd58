namespace PipelineKit.Tests.Deployment;

using System.Text;
using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;
using PipelineKit.Aws;
using PipelineKit.Deployment;
using PipelineKit.Reporting;
using PipelineKit.Tests.Integration;
using PipelineKit.Testing;

/// <summary>The template store against a real moto_server, and its URL and key rules as pure functions. The emulator
/// is shared: each test has its own artifact bucket and stack names.</summary>
[Collection("moto")]
public sealed class S3TemplateStoreTests : IAsyncLifetime
{
    private const string BuildAccount = "123456789012";
    private const string Region = "us-east-1";

    private readonly string pipeline = "st" + Guid.NewGuid().ToString("N")[..10];
    private readonly AwsCallLog callLog = new();
    private readonly AWSCredentials credentials = new BasicAWSCredentials("testing", "testing");
    private readonly MotoFixture moto;
    private readonly AwsClientFactory factory;

    public S3TemplateStoreTests(MotoFixture moto)
    {
        this.moto = moto;
        factory = moto.Clients(callLog);
    }

    public async Task InitializeAsync()
    {
        await S3.PutBucketAsync(new PutBucketRequest { BucketName = Bucket });
        callLog.Reset();
    }

    public Task DisposeAsync()
    {
        factory.Dispose();
        return Task.CompletedTask;
    }

    private string Bucket => BucketIn(Region);

    private string BucketIn(string region) => $"{pipeline}-artifacts-{BuildAccount}-{region}";

    private IAmazonS3 S3 => factory.S3(credentials, Region);

    private S3TemplateStore Store() =>
        new(BuildAccount, (region, _) => Task.FromResult(factory.S3(credentials, region)), BucketIn, moto.Url);

    private static StackDeployment Deployment(string body, string account = BuildAccount, string stackName = "pipelinekit-hello-primary") =>
        new(stackName, new StackLocation(account, Region), body,
            new Dictionary<string, string>(), new Dictionary<string, string>(), TerminationProtection: false, []);

    [Fact]
    public async Task Upload_ToEmulator_ReturnsPathStyleUrl_AndStoresExactBytes()
    {
        var body = "Resources: {}\n# ünïcode and trailing spaces   \n";

        var url = await Store().UploadAsync(Deployment(body));

        var key = S3TemplateStore.KeyFor("pipelinekit-hello-primary", body);
        Assert.Equal($"{moto.Url}/{Bucket}/{key}", url);
        using var stored = await S3.GetObjectAsync(Bucket, key);
        using var bytes = new MemoryStream();
        await stored.ResponseStream.CopyToAsync(bytes);
        Assert.Equal(Encoding.UTF8.GetBytes(body), bytes.ToArray());
    }

    [Fact]
    public async Task Upload_SameBodyTwice_SecondMakesNoMutatingCall()
    {
        var store = Store();
        var first = await store.UploadAsync(Deployment("Resources: {}\n"));
        Assert.Equal(["S3:PutObject (us-east-1)"], callLog.MutatingCalls.Select(c => c.ToString()));
        callLog.Reset();

        var second = await store.UploadAsync(Deployment("Resources: {}\n"));

        Assert.Equal(first, second);
        Assert.Empty(callLog.MutatingCalls);
        Assert.Equal(["GetObjectMetadata"], callLog.Calls.Select(c => c.Operation));
    }

    [Fact]
    public async Task Upload_DifferentBody_GetsDifferentKey()
    {
        var store = Store();

        var first = await store.UploadAsync(Deployment("Resources: {}\n"));
        var second = await store.UploadAsync(Deployment("Resources: {}\n# changed\n"));

        Assert.NotEqual(first, second);
        var listed = await S3.ListObjectsV2Async(new ListObjectsV2Request { BucketName = Bucket, Prefix = "templates/" });
        Assert.Equal(2, listed.S3Objects.Count);
    }

    [Fact]
    public async Task Upload_WhenBucketMissing_FailsWithNextStep()
    {
        var store = new S3TemplateStore(BuildAccount, (region, _) => Task.FromResult(factory.S3(credentials, region)),
            _ => $"{pipeline}-no-such-bucket", moto.Url);

        var error = await Assert.ThrowsAsync<DeploymentException>(() => store.UploadAsync(Deployment("Resources: {}\n")));

        Assert.Equal(DeploymentErrorCode.TemplateTooLarge, error.Code);
        Assert.Equal("NoSuchBucket", error.AwsErrorCode);
        Assert.Equal("Deploy BootstrapPrimary (build region) or RegionalStacks (other regions) first; they create the bucket.", error.NextStep);
    }

    [Fact]
    public async Task Upload_ForStackInAnotherAccount_IsRefusedBeforeAnyCall()
    {
        var asked = false;
        var store = new S3TemplateStore(BuildAccount, (_, _) => { asked = true; throw new InvalidOperationException(); },
            BucketIn);

        var error = await Assert.ThrowsAsync<DeploymentException>(
            () => store.UploadAsync(Deployment("Resources: {}\n", account: "222222222222", stackName: "pipelinekit-hello-target-roles")));

        Assert.Equal(DeploymentErrorCode.TemplateTooLarge, error.Code);
        Assert.Equal("pipelinekit-hello-target-roles", error.StackName);
        Assert.Equal(new StackLocation("222222222222", Region), error.Location);
        Assert.Contains("staged only for stacks in the build account (123456789012)", error.Reason);
        Assert.StartsWith("Shrink the template below 51200 bytes", error.NextStep);
        Assert.False(asked);
        Assert.Empty(callLog.Calls);
    }

    [Theory]
    [InlineData("us-east-1", "https://b-1.s3.us-east-1.amazonaws.com/templates/s/abc.yaml")]
    [InlineData("eu-west-1", "https://b-1.s3.eu-west-1.amazonaws.com/templates/s/abc.yaml")]
    [InlineData("cn-north-1", "https://b-1.s3.cn-north-1.amazonaws.com.cn/templates/s/abc.yaml")]
    public void UrlFor_RealAws_IsRegionalVirtualHostedUrl(string region, string expected) =>
        Assert.Equal(expected, S3TemplateStore.UrlFor("b-1", region, "templates/s/abc.yaml"));

    [Theory]
    [InlineData("http://127.0.0.1:5000")]
    [InlineData("http://127.0.0.1:5000/")]
    public void UrlFor_CustomEndpoint_IsPathStyleUnderEndpoint(string endpoint) =>
        Assert.Equal("http://127.0.0.1:5000/b-1/templates/s/abc.yaml", S3TemplateStore.UrlFor("b-1", "eu-west-1", "templates/s/abc.yaml", endpoint));

    [Fact]
    public void KeyFor_IsStackNameAndSha256OfUtf8Body()
    {
        // sha256("abc"), the FIPS 180-2 test vector.
        Assert.Equal("templates/my-stack/ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad.yaml",
            S3TemplateStore.KeyFor("my-stack", "abc"));
    }

    [Fact]
    public async Task Deployer_WithTemplateOverInlineLimit_CreatesStackFromTemplateUrl()
    {
        var template =
            "AWSTemplateFormatVersion: '2010-09-09'\n" +
            "Resources:\n" +
            "  Topic:\n" +
            "    Type: AWS::SNS::Topic\n" +
            "Outputs:\n" +
            "  TopicArn:\n" +
            "    Value: !Ref Topic\n" +
            string.Concat(Enumerable.Repeat("# padding to pass the 51,200-byte TemplateBody limit\n", 1100));
        Assert.True(Encoding.UTF8.GetByteCount(template) > StackDeployer.MaxInlineTemplateBytes);
        var cfn = factory.CloudFormation(credentials, Region);
        var deployer = new StackDeployer(TimeProvider.System, PollingPolicy.Emulator, new RecordingObserver(), Store());
        var desired = Deployment(template, stackName: $"{pipeline}-large");
        var stackRef = new StackRef("large", desired.StackName, desired.Location);

        var created = await deployer.DeployAsync(cfn, stackRef, desired);
        callLog.Reset();
        var again = await deployer.DeployAsync(cfn, stackRef, desired);

        Assert.Equal(StackOutcome.Created, created.Outcome);
        Assert.StartsWith("arn:aws:sns:us-east-1:123456789012:", created.Outputs["TopicArn"]);
        Assert.Equal(StackOutcome.Unchanged, again.Outcome);
        Assert.Empty(callLog.MutatingCalls);
    }
}
