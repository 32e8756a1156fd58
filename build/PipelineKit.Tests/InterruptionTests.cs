namespace PipelineKit.Tests;

using PipelineKit.Errors;
using PipelineKit.Reporting;
using PipelineKit.Testing;

public sealed class InterruptionTests
{
    private readonly RecordingMessages messages = new();

    [Fact]
    public void FirstCtrlC_SaysWhatHappens_AndCancels_Once()
    {
        using var interruption = new Interruption(messages, listen: false);

        Assert.True(interruption.Request());
        Assert.False(interruption.Request());

        Assert.True(interruption.Token.IsCancellationRequested);
        Assert.Equal(["Run.Cancelling"], messages.Codes);
    }

    [Fact]
    public void Classify_AWaitCtrlCStopped_IsInterrupted_WithTheSameMessageAndTheCancellationInside()
    {
        using var interruption = new Interruption(messages, listen: false);
        interruption.Request();
        var cancelled = new OperationCanceledException("The operation was canceled.");

        var failure = Assert.IsType<KitRunFailedException>(interruption.Classify(cancelled));

        Assert.Equal(("Interrupted", "The operation was canceled."), (failure.Code, failure.Message));
        Assert.Same(cancelled, failure.InnerException);
        Assert.Equal(ExitCodes.Interrupted, ExitCodes.For(failure));
    }

    [Fact]
    public void Classify_AFailureReportedAfterCtrlC_IsInterrupted_NotADeploymentFailure()
    {
        // Plan reports the stacks a Ctrl+C stopped as stacks it could not plan; the run was stopped, not failed.
        using var interruption = new Interruption(messages, listen: false);
        interruption.Request();
        var planFailed = new KitRunFailedException(ErrorCodes.PlanFailed, "Plan failed: some stacks could not be planned.");

        var failure = Assert.IsType<KitRunFailedException>(interruption.Classify(planFailed));

        Assert.Equal(("Interrupted", planFailed.Message), (failure.Code, failure.Message));
        Assert.Equal(ExitCodes.Interrupted, ExitCodes.For(failure));
    }

    [Fact]
    public void Classify_WithoutCtrlC_LeavesEveryFailureAsItIs()
    {
        using var interruption = new Interruption(messages, listen: false);
        var timeout = new OperationCanceledException("timed out");

        Assert.Same(timeout, interruption.Classify(timeout));
    }
}
