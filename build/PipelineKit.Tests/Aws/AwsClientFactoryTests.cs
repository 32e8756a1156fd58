namespace PipelineKit.Tests.Aws;

using Amazon.Runtime;
using Amazon.S3;
using PipelineKit.Aws;

public sealed class AwsClientFactoryTests
{
    private readonly AWSCredentials credentials = new BasicAWSCredentials("testing", "testing");

    [Fact]
    public void Clients_WithoutEndpointSettings_UseTheRegion()
    {
        using var factory = new AwsClientFactory(new AwsEndpoints(_ => null), new AwsCallLog());

        var cfn = (CloudFormationClient)factory.CloudFormation(credentials, "eu-west-1");
        var s3 = (AmazonS3Client)factory.S3(credentials, "eu-west-1");

        Assert.Equal("eu-west-1", cfn.Config.RegionEndpoint.SystemName);
        Assert.Null(cfn.Config.ServiceURL);
        Assert.Equal("cloudformation", cfn.Config.AuthenticationServiceName);
        Assert.Equal(RequestRetryMode.Adaptive, cfn.Config.RetryMode);
        Assert.Equal(RequestRetryMode.Adaptive, s3.Config.RetryMode);
        Assert.False(((AmazonS3Config)s3.Config).ForcePathStyle);
    }

    [Fact]
    public void Clients_WithAnEndpoint_SendThereAndSignForTheRegion()
    {
        var environment = new Dictionary<string, string> { ["AWS_ENDPOINT_URL"] = "http://127.0.0.1:5000" };
        using var factory = new AwsClientFactory(new AwsEndpoints(environment.GetValueOrDefault), new AwsCallLog());

        var clients = new AmazonServiceClient[]
        {
            (CloudFormationClient)factory.CloudFormation(credentials, "eu-west-1"),
            (AmazonServiceClient)factory.SecurityTokenService(credentials, "eu-west-1"),
            (AmazonServiceClient)factory.S3(credentials, "eu-west-1"),
        };

        Assert.All(clients, c =>
        {
            Assert.Equal("http://127.0.0.1:5000", c.Config.ServiceURL.TrimEnd('/'));
            Assert.Equal("eu-west-1", c.Config.AuthenticationRegion);
        });
        Assert.True(((AmazonS3Config)clients[2].Config).ForcePathStyle);
    }

    [Fact]
    public void Clients_AreCachedPerCredentialsInstanceRegionAndService()
    {
        using var factory = new AwsClientFactory(new AwsEndpoints(_ => null), new AwsCallLog());
        var sameKeysOtherSession = new BasicAWSCredentials("testing", "testing");

        var first = factory.CloudFormation(credentials, "us-east-1");

        Assert.Same(first, factory.CloudFormation(credentials, "us-east-1"));
        Assert.NotSame(first, factory.CloudFormation(credentials, "us-west-2"));
        Assert.NotSame(first, factory.CloudFormation(sameKeysOtherSession, "us-east-1"));
        Assert.Same(factory.S3(credentials, "us-east-1"), factory.S3(credentials, "us-east-1"));
    }
}
