namespace PipelineKit.Tests.Deployment;

using System.Net;
using Amazon.Runtime;
using PipelineKit.Deployment;
using PipelineKit.Testing;

/// <summary>Waits read again after an answer that says "not now" (throttling, 5xx) instead of failing the deployment.</summary>
public sealed class PollerTests
{
    private readonly Poller poller = new(new VirtualTime(), PollingPolicy.Emulator);

    [Fact]
    public async Task Wait_WhenTheFinalStatusReadIsThrottledOrFails5xx_StillEndsInSuccess()
    {
        // After a successful execution the stack is done; the reads that would say so are throttled, then fail with a 503.
        var answers = new Queue<Func<string>>(
        [
            () => "UPDATE_IN_PROGRESS",
            () => throw new AmazonServiceException("Rate exceeded", ErrorType.Sender, "Throttling", "r1", HttpStatusCode.BadRequest),
            () => throw new AmazonServiceException("HTTP 503 Service Unavailable from CloudFormation:DescribeStacks (us-east-1)",
                ErrorType.Receiver, "HTTP503", "r2", HttpStatusCode.ServiceUnavailable),
            () => throw new AmazonServiceException("Too many requests", ErrorType.Sender, "", "r3", HttpStatusCode.TooManyRequests),
            () => "UPDATE_COMPLETE",
        ]);

        var status = await poller.UntilAsync(_ => Task.FromResult(answers.Dequeue()()), s => s == "UPDATE_COMPLETE",
            TimeSpan.FromMinutes(5), () => "waiting for app", null, CancellationToken.None);

        Assert.Equal("UPDATE_COMPLETE", status);
        Assert.Empty(answers);
    }

    [Fact]
    public async Task Wait_WhenTheReadFailsForAnotherReason_Fails()
    {
        var error = await Assert.ThrowsAsync<AmazonServiceException>(() => poller.UntilAsync<string>(
            _ => throw new AmazonServiceException("Access denied", ErrorType.Sender, "AccessDenied", "r", HttpStatusCode.Forbidden),
            _ => true, TimeSpan.FromMinutes(5), () => "waiting for app", null, CancellationToken.None));

        Assert.Equal("AccessDenied", error.ErrorCode);
    }
}
