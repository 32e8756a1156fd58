namespace PipelineKit.Tests.Aws;

using System.Net;
using Amazon.Runtime;
using Amazon.Runtime.Internal;
using PipelineKit.Aws;

public sealed class AwsErrorsTests
{
    [Theory]
    [InlineData("Throttling")]
    [InlineData("ThrottlingException")]
    [InlineData("RequestLimitExceeded")]
    [InlineData("TooManyRequestsException")]
    [InlineData("SlowDown")]
    [InlineData("RequestThrottled")]
    [InlineData("PriorRequestNotComplete")]
    [InlineData("EC2ThrottledException")]
    public void IsThrottling_KnowsTheCodes(string code) =>
        Assert.True(AwsErrors.IsThrottling(new AmazonServiceException("slow down", ErrorType.Sender, code, "r", HttpStatusCode.BadRequest)));

    [Fact]
    public void IsThrottling_KnowsEveryCodeTheSdkKnows() =>
        Assert.Superset(new HashSet<string>(new StandardRetryPolicy(0).ThrottlingErrorCodes), new HashSet<string>(AwsErrors.ThrottlingErrorCodes));

    [Fact]
    public void IsThrottling_Http429WithoutCode_IsThrottling() =>
        Assert.True(AwsErrors.IsThrottling(new AmazonServiceException("", ErrorType.Unknown, "", "r", HttpStatusCode.TooManyRequests)));

    [Theory]
    [InlineData(HttpStatusCode.InternalServerError, true)]
    [InlineData(HttpStatusCode.ServiceUnavailable, true)]
    [InlineData(HttpStatusCode.BadRequest, false)]
    public void IsTransient_IncludesServerErrors(HttpStatusCode status, bool expected) =>
        Assert.Equal(expected, AwsErrors.IsTransient(new AmazonServiceException("x", ErrorType.Unknown, "SomeError", "r", status)));

    [Theory]
    [InlineData("", "<html><body>503</body></html>", true)]
    [InlineData("", "", true)]
    [InlineData("InternalFailure", "We encountered an internal error.", false)]
    public void IsUnexplainedServerError_IsAnHtmlOrEmptyAnswer(string code, string message, bool expected) =>
        Assert.Equal(expected, AwsErrors.IsUnexplainedServerError(
            new AmazonServiceException(message, ErrorType.Unknown, code, "r", HttpStatusCode.ServiceUnavailable)));
}
