namespace PipelineKit.Tests.Aws;

using Amazon.Runtime;
using Amazon.S3.Model;
using PipelineKit.Aws;

public sealed class AwsRetrySettingsTests
{
    private static readonly AwsRetrySettings Settings = AwsRetrySettings.Default;

    public static TheoryData<string, AmazonWebServiceRequest, int> Budgets => new()
    {
        { "CloudFormation", CloudFormationQuery.DescribeStacks("app"), 8 },
        { "CloudFormation", CloudFormationQuery.ExecuteChangeSet("app", "kit-1", "token"), 8 },
        { "CloudFormation", CloudFormationQuery.DeleteStack("app", "token"), 8 },
        { "CloudFormation", CloudFormationQuery.DeleteStack("app", ""), 3 },
        { "CloudFormation", CloudFormationQuery.DeleteChangeSet("app", "kit-1"), 3 },
        { "CloudFormation", CloudFormationQuery.UpdateTerminationProtection("app", true), 3 },
        { "CloudFormation", CloudFormationDriftQuery.DetectStackDrift("app"), 3 },
        { "S3", new PutObjectRequest { BucketName = "bucket", Key = "k" }, 8 },
        { "S3", new DeleteObjectRequest { BucketName = "bucket", Key = "k" }, 3 },
        { "S3", new GetObjectRequest { BucketName = "bucket", Key = "k" }, 8 },
    };

    [Theory]
    [MemberData(nameof(Budgets))]
    public void MaxAttempts_AreLargerForCallsSafeToRepeat(string service, AmazonWebServiceRequest request, int expected) =>
        Assert.Equal(expected, Settings.MaxAttempts(service, request));

    [Theory]
    [InlineData(1, false, 1.0, 100)]
    [InlineData(3, false, 1.0, 400)]
    [InlineData(1, true, 1.0, 1000)]
    [InlineData(4, true, 0.5, 4000)]
    [InlineData(12, true, 1.0, 20000)]
    [InlineData(12, false, 0.0, 0)]
    public void Delay_IsJitteredExponentialAndCapped(int retry, bool throttled, double jitter, int expectedMs) =>
        Assert.Equal(TimeSpan.FromMilliseconds(expectedMs), Settings.Delay(retry, throttled, jitter));
}
