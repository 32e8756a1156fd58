namespace PipelineKit.Tests.Aws;

using System.Text.Json;
using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;
using PipelineKit.Aws;
using PipelineKit.Tests.Integration;

/// <summary>The sandbox deploys AWS::S3::BucketPolicy (plain moto skips it): created, replaced and deleted with its stack.</summary>
[Collection("moto")]
public sealed class BucketPolicyMotoTests(MotoFixture moto) : IDisposable
{
    private const string Region = "us-east-1";
    private const string Bucket = "bpt-sandbox-bucket";

    // The kit's own pattern: a conditional Deny, and a statement that only some deployments have (AWS::NoValue otherwise).
    private const string Template =
        "Parameters:\n" +
        "  Grant:\n" +
        "    Type: String\n" +
        "    AllowedValues: ['true', 'false']\n" +
        "Conditions:\n" +
        "  WithGrant: !Equals [!Ref Grant, 'true']\n" +
        "Resources:\n" +
        "  Bucket:\n" +
        "    Type: AWS::S3::Bucket\n" +
        "    Properties:\n" +
        $"      BucketName: {Bucket}\n" +
        "  Policy:\n" +
        "    Type: AWS::S3::BucketPolicy\n" +
        "    Properties:\n" +
        "      Bucket: !Ref Bucket\n" +
        "      PolicyDocument:\n" +
        "        Version: '2012-10-17'\n" +
        "        Statement:\n" +
        "          - Sid: DenyInsecureTransport\n" +
        "            Effect: Deny\n" +
        "            Principal: '*'\n" +
        "            Action: s3:*\n" +
        "            Resource: [!GetAtt Bucket.Arn, !Sub '${Bucket.Arn}/*']\n" +
        "            Condition:\n" +
        "              Bool:\n" +
        "                aws:SecureTransport: 'false'\n" +
        "          - !If\n" +
        "            - WithGrant\n" +
        "            - Sid: Grant\n" +
        "              Effect: Allow\n" +
        "              Principal:\n" +
        "                AWS: arn:aws:iam::222222222222:root\n" +
        "              Action: s3:GetObject\n" +
        "              Resource: !Sub '${Bucket.Arn}/*'\n" +
        "            - !Ref AWS::NoValue\n";

    private readonly AWSCredentials credentials = new BasicAWSCredentials("testing", "testing");
    private readonly AwsClientFactory factory = moto.Clients();

    public void Dispose() => factory.Dispose();

    [Fact]
    public async Task BucketPolicy_IsCreatedReplacedAndDeletedWithItsStack()
    {
        var cfn = factory.CloudFormation(credentials, Region);
        var s3 = factory.S3(credentials, Region);
        const string stack = "bpt-bucket-policy";

        await MotoStacks.DeployAsync(cfn, stack, Template, new Dictionary<string, string> { ["Grant"] = "false" });
        Assert.Equal(["DenyInsecureTransport"], await SidsAsync(s3));

        // moto would enforce that Deny on every object request, ignoring its condition; AWS (over HTTPS) does not.
        await s3.PutObjectAsync(new PutObjectRequest { BucketName = Bucket, Key = "k", ContentBody = "x" });
        await s3.DeleteObjectAsync(Bucket, "k");

        await MotoStacks.DeployAsync(cfn, stack, Template, new Dictionary<string, string> { ["Grant"] = "true" });
        Assert.Equal(["DenyInsecureTransport", "Grant"], await SidsAsync(s3));

        await MotoStacks.DeleteAsync(cfn, stack);
        var error = await Assert.ThrowsAsync<AmazonS3Exception>(() => s3.GetBucketPolicyOrNullAsync(Bucket));
        Assert.Equal("NoSuchBucket", error.ErrorCode);
    }

    [Fact]
    public async Task BucketPolicy_CanBeReadWithTheAwsCli()
    {
        var cfn = factory.CloudFormation(credentials, Region);
        const string stack = "bpt-cli";
        var template = Template.Replace(Bucket, "bpt-cli-bucket", StringComparison.Ordinal);

        await MotoStacks.DeployAsync(cfn, stack, template, new Dictionary<string, string> { ["Grant"] = "true" });

        var policy = await moto.Cli(null, "s3api", "get-bucket-policy", "--bucket", "bpt-cli-bucket");
        using var document = JsonDocument.Parse(policy.GetProperty("Policy").GetString()!);
        var statement = document.RootElement.GetProperty("Statement")[1];
        Assert.Equal("arn:aws:iam::222222222222:root", statement.GetProperty("Principal").GetProperty("AWS").GetString());
        Assert.Equal("arn:aws:s3:::bpt-cli-bucket/*", statement.GetProperty("Resource").GetString());
    }

    private static async Task<string[]> SidsAsync(IAmazonS3 s3)
    {
        using var document = JsonDocument.Parse(await s3.GetBucketPolicyOrNullAsync(Bucket) ?? "{}");
        return document.RootElement.GetProperty("Statement").EnumerateArray().Select(s => s.GetProperty("Sid").GetString()!).ToArray();
    }
}
