namespace PipelineKit.Tests.Fakes;

using PipelineKit.Aws;
using PipelineKit.Testing;

/// <summary>The rules of FakeCodePipeline.md.</summary>
public sealed class FakeCodePipelineTests
{
    private readonly VirtualTime time = new();
    private readonly FakeCodePipeline fake;

    public FakeCodePipelineTests()
    {
        fake = new FakeCodePipeline(time, "p", new FakeStage("Source", "Source"), new FakeStage("Deploy", "Approve", "Execute"));
    }

    [Fact]
    public async Task AnotherPipelineName_IsPipelineNotFound()
    {
        var error = await Assert.ThrowsAsync<AmazonCodePipelineException>(() => fake.GetPipelineStateAsync("q"));

        Assert.Equal(("PipelineNotFoundException", "Account '123456789012' does not have a pipeline with name 'q'"), (error.ErrorCode, error.Message));
    }

    [Fact]
    public async Task ADetectedSourceChange_StartsARunAfterItsDelay_ThatAdvancesWithTheClock()
    {
        fake.SourceChanged("v1", TimeSpan.FromSeconds(60));
        Assert.Empty(await fake.ListPipelineExecutionsAsync("p", 10));

        time.Advance(TimeSpan.FromSeconds(70));
        var listed = Assert.Single(await fake.ListPipelineExecutionsAsync("p", 10));
        Assert.Equal(("exec-1", "InProgress", "PollForSourceChanges", "v1"),
            (listed.PipelineExecutionId, listed.Status, listed.TriggerType, listed.SourceRevisions[0].RevisionId));
        var state = await fake.GetPipelineStateAsync("p");
        Assert.Equal(new StageExecution("exec-1", "InProgress"), state.Stages[0].LatestExecution);
        Assert.Null(state.Stages[1].LatestExecution);

        time.Advance(TimeSpan.FromSeconds(90));
        Assert.Equal("Succeeded", (await fake.GetPipelineExecutionAsync("p", "exec-1")).Status);
    }

    [Fact]
    public async Task AnUndetectedChange_StartsNothing_UntilStarted_AndTheSameTokenStartsOnce()
    {
        fake.SourceChanged("v1", null);
        time.Advance(TimeSpan.FromHours(1));
        Assert.Empty(await fake.ListPipelineExecutionsAsync("p", 10));

        var first = await fake.StartPipelineExecutionAsync("p", "t1");
        var again = await fake.StartPipelineExecutionAsync("p", "t1");

        Assert.Equal(("exec-1", "exec-1"), (first, again));
        var listed = Assert.Single(await fake.ListPipelineExecutionsAsync("p", 10));
        Assert.Equal(("StartPipelineExecution", "v1"), (listed.TriggerType, listed.SourceRevisions[0].RevisionId));
    }

    [Fact]
    public async Task AnApproval_WaitsWithAToken_ThenSucceeds()
    {
        fake.ApproveAfter("Deploy", "Approve", TimeSpan.FromMinutes(10));
        fake.SourceChanged("v1", TimeSpan.Zero);

        time.Advance(TimeSpan.FromMinutes(5));
        var waiting = (await fake.GetPipelineStateAsync("p")).Stages[1].Actions[0].LatestExecution!;
        time.Advance(TimeSpan.FromMinutes(6));
        var approved = (await fake.GetPipelineStateAsync("p")).Stages[1].Actions[0].LatestExecution!;

        Assert.Equal(("InProgress", "token-exec-1"), (waiting.Status, waiting.Token));
        Assert.Equal(("Succeeded", "Approved"), (approved.Status, approved.Summary));
    }

    [Fact]
    public async Task AFailedAction_FailsItsStageAndTheRun_AndLaterStagesAreNotEntered()
    {
        fake.FailAction("Source", "Source", "S3Error", "no such key");
        fake.SourceChanged("v1", TimeSpan.Zero);
        time.Advance(TimeSpan.FromMinutes(5));

        var state = await fake.GetPipelineStateAsync("p");
        var execution = await fake.GetPipelineExecutionAsync("p", "exec-1");

        Assert.Equal(("Failed", "Stage Source failed"), (execution.Status, execution.StatusSummary));
        Assert.Equal("Failed", state.Stages[0].LatestExecution!.Status);
        Assert.Equal(("S3Error", "no such key"), (state.Stages[0].Actions[0].LatestExecution!.ErrorCode, state.Stages[0].Actions[0].LatestExecution!.ErrorMessage));
        Assert.Null(state.Stages[1].LatestExecution);
    }

    [Fact]
    public async Task ASupersededRun_StopsBeforeTheStage_AndTheNewestRunShowsInTheState()
    {
        fake.SourceChanged("v1", TimeSpan.Zero);
        fake.SourceChanged("v2", TimeSpan.FromSeconds(20));
        fake.Supersede("v1", "Deploy");
        time.Advance(TimeSpan.FromMinutes(1));

        var listed = await fake.ListPipelineExecutionsAsync("p", 10);

        Assert.Equal([("exec-2", "InProgress"), ("exec-1", "Superseded")], listed.Select(e => (e.PipelineExecutionId, e.Status)));
        Assert.Equal("exec-2", (await fake.GetPipelineStateAsync("p")).Stages[1].LatestExecution!.PipelineExecutionId);
        await Assert.ThrowsAsync<AmazonCodePipelineException>(() => fake.GetPipelineExecutionAsync("p", "exec-9"));
    }
}

/// <summary>PutApprovalResult, as FakeCodePipeline.md says.</summary>
public sealed class FakeCodePipelineApprovalTests
{
    private readonly VirtualTime time = new();
    private readonly FakeCodePipeline fake;

    public FakeCodePipelineApprovalTests()
    {
        fake = new FakeCodePipeline(time, "p", new FakeStage("Deploy", "Approve", "Execute"));
        fake.ApproveAfter("Deploy", "Approve", TimeSpan.FromDays(1));
        fake.SourceChanged("v1", detectedAfter: null);
    }

    [Fact]
    public async Task PutApprovalResult_Approved_EndsTheWaitingApprovalNow_AndTheRunGoesOn()
    {
        await fake.StartPipelineExecutionAsync("p", "t1");
        var token = (await fake.GetPipelineStateAsync("p")).Stages[0].Actions[0].LatestExecution!.Token!;

        await fake.PutApprovalResultAsync("p", "Deploy", "Approve", token, approved: true, "fine");
        var approval = (await fake.GetPipelineStateAsync("p")).Stages[0].Actions[0].LatestExecution!;
        time.Advance(TimeSpan.FromSeconds(31));

        Assert.Equal(("Succeeded", "fine"), (approval.Status, approval.Summary));
        Assert.Equal("Succeeded", (await fake.GetPipelineExecutionAsync("p", "exec-1")).Status);
    }

    [Fact]
    public async Task PutApprovalResult_Rejected_FailsTheApprovalItsStageAndTheRun()
    {
        await fake.StartPipelineExecutionAsync("p", "t1");
        var token = (await fake.GetPipelineStateAsync("p")).Stages[0].Actions[0].LatestExecution!.Token!;

        await fake.PutApprovalResultAsync("p", "Deploy", "Approve", token, approved: false, "no");

        Assert.Equal("Failed", (await fake.GetPipelineStateAsync("p")).Stages[0].Actions[0].LatestExecution!.Status);
        Assert.Equal("Failed", (await fake.GetPipelineExecutionAsync("p", "exec-1")).Status);
    }

    [Fact]
    public async Task PutApprovalResult_WithAnotherToken_OrOnAnActionNotWaiting_IsRefused()
    {
        await fake.StartPipelineExecutionAsync("p", "t1");

        var wrongToken = await Assert.ThrowsAsync<AmazonCodePipelineException>(() =>
            fake.PutApprovalResultAsync("p", "Deploy", "Approve", "not-the-token", approved: true, "x"));
        var notWaiting = await Assert.ThrowsAsync<AmazonCodePipelineException>(() =>
            fake.PutApprovalResultAsync("p", "Deploy", "Execute", "token-exec-1", approved: true, "x"));

        Assert.Equal("InvalidApprovalTokenException", wrongToken.ErrorCode);
        Assert.Equal("ApprovalAlreadyCompletedException", notWaiting.ErrorCode);
    }
}
