namespace PipelineKit.Tests.Aws;

using PipelineKit.Aws;

public sealed class AwsCallLogTests
{
    [Theory]
    [InlineData("CloudFormation", "DescribeStacks", false)]
    [InlineData("CloudFormation", "GetTemplate", false)]
    [InlineData("CloudFormation", "ListChangeSets", false)]
    [InlineData("S3", "HeadBucket", false)]
    [InlineData("STS", "AssumeRole", false)]
    [InlineData("STS", "GetCallerIdentity", false)]
    [InlineData("IAM", "SimulatePrincipalPolicy", false)]
    [InlineData("CloudFormation", "DetectStackDrift", false)]
    [InlineData("CloudFormation", "DescribeStackDriftDetectionStatus", false)]
    [InlineData("IAM", "DetectStackDrift", true)]
    [InlineData("CloudFormation", "CreateChangeSet", true)]
    [InlineData("CloudFormation", "ExecuteChangeSet", true)]
    [InlineData("CloudFormation", "DeleteChangeSet", true)]
    [InlineData("CloudFormation", "UpdateTerminationProtection", true)]
    [InlineData("S3", "PutObject", true)]
    public void IsMutating_TreatsReadsAndSessionCallsAsHarmless(string service, string operation, bool expected)
        => Assert.Equal(expected, AwsCallLog.IsMutating(service, operation));

    [Fact]
    public void Record_KeepsOrder_AndMutatingCallsFilters()
    {
        var log = new AwsCallLog();

        log.Record("STS", "AssumeRole", "us-east-1");
        log.Record("CloudFormation", "DescribeStacks", "eu-west-1");
        log.Record("CloudFormation", "CreateChangeSet", "eu-west-1");

        Assert.Equal(
            [new AwsCall("STS", "AssumeRole", "us-east-1"), new AwsCall("CloudFormation", "DescribeStacks", "eu-west-1"),
             new AwsCall("CloudFormation", "CreateChangeSet", "eu-west-1")],
            log.Calls);
        Assert.Equal([new AwsCall("CloudFormation", "CreateChangeSet", "eu-west-1")], log.MutatingCalls);
    }

    [Fact]
    public void Reset_ForgetsEverything()
    {
        var log = new AwsCallLog();
        log.Record("S3", "PutObject", "us-east-1");

        log.Reset();

        Assert.Empty(log.Calls);
        Assert.Empty(log.MutatingCalls);
    }

    [Fact]
    public void Record_FromManyThreads_LosesNothing()
    {
        var log = new AwsCallLog();

        Parallel.For(0, 1000, i => log.Record("S3", i % 2 == 0 ? "PutObject" : "GetObject", "us-east-1"));

        Assert.Equal(1000, log.Calls.Count);
        Assert.Equal(500, log.MutatingCalls.Count);
    }
}
