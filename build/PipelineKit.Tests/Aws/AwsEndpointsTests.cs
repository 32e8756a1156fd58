namespace PipelineKit.Tests.Aws;

using PipelineKit.Aws;

public sealed class AwsEndpointsTests
{
    private static AwsEndpoints With(Dictionary<string, string> environment, string? overrideUrl = null)
        => new(name => environment.GetValueOrDefault(name), overrideUrl);

    [Fact]
    public void Resolve_WhenNothingIsSet_IsNull()
        => Assert.Null(With([]).Resolve(AwsServiceIds.CloudFormation));

    [Fact]
    public void Resolve_UsesTheGlobalVariable_ForEveryService()
    {
        var endpoints = With(new() { ["AWS_ENDPOINT_URL"] = "http://localhost:5000" });

        Assert.All(
            new[] { AwsServiceIds.CloudFormation, AwsServiceIds.Sts, AwsServiceIds.S3, AwsServiceIds.Iam, AwsServiceIds.Kms, AwsServiceIds.CodePipeline },
            id => Assert.Equal("http://localhost:5000", endpoints.Resolve(id)));
    }

    [Fact]
    public void Resolve_ServiceVariable_WinsOverTheGlobalOne()
    {
        var endpoints = With(new()
        {
            ["AWS_ENDPOINT_URL"] = "http://global:1",
            ["AWS_ENDPOINT_URL_CLOUDFORMATION"] = "http://cfn:2",
            ["AWS_ENDPOINT_URL_STS"] = "http://sts:3",
        });

        Assert.Equal("http://cfn:2", endpoints.Resolve(AwsServiceIds.CloudFormation));
        Assert.Equal("http://sts:3", endpoints.Resolve(AwsServiceIds.Sts));
        Assert.Equal("http://global:1", endpoints.Resolve(AwsServiceIds.S3));
    }

    [Fact]
    public void Resolve_ExplicitOverride_WinsOverTheEnvironment()
    {
        var endpoints = With(
            new() { ["AWS_ENDPOINT_URL"] = "http://global:1", ["AWS_ENDPOINT_URL_S3"] = "http://s3:2" },
            overrideUrl: "http://127.0.0.1:4566");

        Assert.Equal("http://127.0.0.1:4566", endpoints.Resolve(AwsServiceIds.S3));
        Assert.Equal("http://127.0.0.1:4566", endpoints.Resolve(AwsServiceIds.CloudFormation));
    }

    [Fact]
    public void Resolve_IgnoresBlankValues()
    {
        var endpoints = With(new() { ["AWS_ENDPOINT_URL_S3"] = "  ", ["AWS_ENDPOINT_URL"] = "http://global:1" }, overrideUrl: "");

        Assert.Equal("http://global:1", endpoints.Resolve(AwsServiceIds.S3));
    }

    [Theory]
    [InlineData("CloudFormation", "AWS_ENDPOINT_URL_CLOUDFORMATION")]
    [InlineData("STS", "AWS_ENDPOINT_URL_STS")]
    [InlineData("CodePipeline", "AWS_ENDPOINT_URL_CODEPIPELINE")]
    [InlineData("Elastic Load Balancing v2", "AWS_ENDPOINT_URL_ELASTIC_LOAD_BALANCING_V2")]
    public void VariableFor_UppercasesAndReplacesSpaces(string serviceId, string expected)
        => Assert.Equal(expected, AwsEndpoints.VariableFor(serviceId));
}
