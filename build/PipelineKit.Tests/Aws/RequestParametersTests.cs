namespace PipelineKit.Tests.Aws;

using Amazon.S3.Model;
using Amazon.SecurityToken.Model;
using PipelineKit.Aws;

public sealed class RequestParametersTests
{
    [Fact]
    public void S3Request_GivesBucketKeyAndTheEncryptionHeaderAsSent()
    {
        var parameters = RequestParameters.From(new PutObjectRequest { BucketName = "bucket-1", Key = "k" },
            new Dictionary<string, string> { ["X-Amz-Server-Side-Encryption"] = "aws:kms", ["Content-Type"] = "application/zip" });

        Assert.Equal(new Dictionary<string, string> { ["BucketName"] = "bucket-1", ["Key"] = "k", ["x-amz-server-side-encryption"] = "aws:kms" }, parameters);
    }

    [Fact]
    public void AssumeRole_GivesTheRoleArn() =>
        Assert.Equal("arn:aws:iam::1:role/r", RequestParameters.From(new AssumeRoleRequest { RoleArn = "arn:aws:iam::1:role/r", RoleSessionName = "session" }, null)["RoleArn"]);

    [Fact]
    public void CloudFormationQuery_GivesEveryParameter()
    {
        var parameters = RequestParameters.From(new CloudFormationQueryRequest("CreateChangeSet",
            [new("StackName", "s"), new("RoleARN", "arn:aws:iam::1:role/x")]), null);

        Assert.Equal("arn:aws:iam::1:role/x", parameters["RoleARN"]);
        Assert.Equal("s", parameters["StackName"]);
    }
}
