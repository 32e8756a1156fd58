namespace PipelineKit.Tests.Aws;

using System.Net;
using Amazon.Runtime;
using Amazon.S3;
using PipelineKit.Aws;

/// <summary>GetBucketPolicyOrNullAsync through the real S3 client over a scripted transport, with S3's documented answers.</summary>
public sealed class BucketPolicyReadTests : IDisposable
{
    private readonly ScriptedTransport transport = new("application/xml");
    private readonly AwsClientFactory factory;

    public BucketPolicyReadTests() => factory = transport.Clients("https://s3.test");

    private IAmazonS3 S3 => factory.S3(new BasicAWSCredentials("AKIDEXAMPLE", "secret"), "eu-west-1");

    public void Dispose() => factory.Dispose();

    [Fact]
    public async Task APolicy_IsItsJsonText()
    {
        const string policy = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Deny\",\"Principal\":\"*\",\"Action\":\"s3:*\",\"Resource\":\"arn:aws:s3:::b/*\"}]}";
        transport.Respond(HttpStatusCode.OK, policy);

        Assert.Equal(policy, await S3.GetBucketPolicyOrNullAsync("b"));
        Assert.Equal("https://s3.test/b?policy", transport.Requests[0].Uri.ToString().Replace("/?policy", "?policy", StringComparison.Ordinal));
    }

    [Fact]
    public async Task NoSuchBucketPolicy_IsNull()
    {
        transport.Respond(HttpStatusCode.NotFound, Error("NoSuchBucketPolicy", "The bucket policy does not exist"));

        Assert.Null(await S3.GetBucketPolicyOrNullAsync("b"));
    }

    [Fact]
    public async Task OtherErrors_Throw_WithTheirCode()
    {
        transport.Respond(HttpStatusCode.NotFound, Error("NoSuchBucket", "The specified bucket does not exist"));

        var error = await Assert.ThrowsAsync<AmazonS3Exception>(() => S3.GetBucketPolicyOrNullAsync("b"));

        Assert.Equal(("NoSuchBucket", HttpStatusCode.NotFound), (error.ErrorCode, error.StatusCode));
        Assert.Contains("The specified bucket does not exist", error.Message);
    }

    private static string Error(string code, string message) =>
        $"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>{code}</Code><Message>{message}</Message><BucketName>b</BucketName>" +
        "<RequestId>C8872RVZ17B250QW</RequestId><HostId>aoSKfEAWHTpqZzPb</HostId></Error>";
}
