namespace PipelineKit.Tests.Teardown;

using PipelineKit.Aws;
using PipelineKit.Deployment;
using PipelineKit.Testing;

public sealed class StackDeletionTests
{
    private static readonly Dictionary<string, string> KitTag = new() { ["pipelinekit:pipeline"] = "hello" };
    private static readonly StackRef Ref = new("primary", "pipelinekit-hello-primary", new StackLocation("123456789012", "us-east-1"));

    private readonly VirtualTime time = new();
    private readonly FakeCloudFormation cfn;

    public StackDeletionTests() => cfn = new FakeCloudFormation(time);

    private Task<StackResult> Delete() => new StackDeletion(time, PollingPolicy.Default, new RecordingObserver()).DeleteAsync(cfn, Ref, "hello");

    [Fact]
    public async Task Delete_TheKitsProtectedStack_LiftsProtection_DeletesIt_AndWaitsUntilGone()
    {
        cfn.Seed(Ref.StackName, StackStatus.CreateComplete, tags: KitTag, terminationProtection: true);

        var result = await Delete();

        Assert.Equal(StackOutcome.Deleted, result.Outcome);
        Assert.Equal(StackStatus.DeleteComplete, result.Status);
        Assert.Equal(["UpdateTerminationProtection", "DeleteStack"], cfn.MutatingCalls);
        Assert.Null(await cfn.DescribeStackAsync(Ref.StackName));
    }

    [Fact]
    public async Task Delete_AStackWithTheKitsNameButNotItsTag_IsRefused_AndLeftUntouched()
    {
        cfn.Seed(Ref.StackName, StackStatus.CreateComplete, tags: new Dictionary<string, string> { ["pipelinekit:pipeline"] = "other" },
            terminationProtection: true);

        var e = await Assert.ThrowsAsync<DeploymentException>(Delete);

        Assert.Equal(DeploymentErrorCode.NeedsOperator, e.Code);
        Assert.Contains("pipelinekit:pipeline=hello", e.Reason, StringComparison.Ordinal);
        Assert.Empty(cfn.MutatingCalls);
    }

    [Fact]
    public async Task Delete_AStackGoneAlready_IsDone_WithoutAMutatingCall()
    {
        var result = await Delete();

        Assert.Equal(StackOutcome.Deleted, result.Outcome);
        Assert.Null(result.Status);
        Assert.Empty(cfn.MutatingCalls);
    }

    [Fact]
    public async Task Delete_AStackLeftInDeleteFailed_IsDeletedAgain()
    {
        cfn.Seed(Ref.StackName, StackStatus.DeleteFailed, tags: KitTag);

        var result = await Delete();

        Assert.Equal(StackStatus.DeleteComplete, result.Status);
        Assert.Equal(["DeleteStack"], cfn.MutatingCalls);
    }

    [Fact]
    public async Task Delete_ThatFailsAgain_SaysToReRun_AndGivesTheCommandForTheResourcesThatFailed()
    {
        cfn.Seed(Ref.StackName, StackStatus.CreateComplete, tags: KitTag);
        cfn.DeleteFails = true;

        var e = await Assert.ThrowsAsync<DeploymentException>(Delete);

        Assert.Equal(DeploymentErrorCode.DeleteFailed, e.Code);
        Assert.Equal(StackStatus.DeleteFailed, e.Status);
        Assert.Contains("Re-run Destroy", e.NextStep, StringComparison.Ordinal);
        Assert.Contains("--retain-resources", e.NextStep, StringComparison.Ordinal);
    }
}
