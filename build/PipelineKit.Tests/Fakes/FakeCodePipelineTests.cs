namespace PipelineKit.Tests.Fakes;

using PipelineKit.Aws;
using PipelineKit.Testing;

/// <summary>The rules of FakeCodePipeline.md.</summary>
public sealed class FakeCodePipelineTests
{
    /// <summary>CodePipeline's execution id and approval token pattern.</summary>
    internal const string Uuid = "^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$";

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
        Assert.Empty((await fake.ListPipelineExecutionsAsync("p", 10)).Executions);

        time.Advance(TimeSpan.FromSeconds(70));
        var listed = Assert.Single((await fake.ListPipelineExecutionsAsync("p", 10)).Executions);
        var id = fake.ExecutionOf("v1");
        Assert.Equal((id, "InProgress", "PollForSourceChanges", "v1"),
            (listed.PipelineExecutionId, listed.Status, listed.TriggerType, listed.SourceRevisions[0].RevisionId));
        var state = await fake.GetPipelineStateAsync("p");
        Assert.Equal(new StageExecution(id, "InProgress"), state.Stages[0].LatestExecution);
        Assert.Null(state.Stages[1].LatestExecution);

        time.Advance(TimeSpan.FromSeconds(90));
        Assert.Equal("Succeeded", (await fake.GetPipelineExecutionAsync("p", id)).Status);
    }

    [Fact]
    public async Task AnUndetectedChange_StartsNothing_UntilStarted_AndTheSameTokenStartsOnce()
    {
        fake.SourceChanged("v1", null);
        time.Advance(TimeSpan.FromHours(1));
        Assert.Empty((await fake.ListPipelineExecutionsAsync("p", 10)).Executions);

        var first = await fake.StartPipelineExecutionAsync("p", "t1");
        var again = await fake.StartPipelineExecutionAsync("p", "t1");

        Assert.Equal(first, again);
        Assert.Equal([first], fake.ExecutionIds);
        var listed = Assert.Single((await fake.ListPipelineExecutionsAsync("p", 10)).Executions);
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

        Assert.Equal("InProgress", waiting.Status);
        Assert.Matches(Uuid, waiting.Token);
        Assert.Equal(("Succeeded", "Approved"), (approved.Status, approved.Summary));
    }

    [Fact]
    public async Task AFailedAction_FailsItsStageAndTheRun_AndLaterStagesAreNotEntered()
    {
        fake.FailAction("Source", "Source", "S3Error", "no such key");
        fake.SourceChanged("v1", TimeSpan.Zero);
        time.Advance(TimeSpan.FromMinutes(5));

        var state = await fake.GetPipelineStateAsync("p");
        var execution = await fake.GetPipelineExecutionAsync("p", fake.ExecutionOf("v1"));

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

        var listed = (await fake.ListPipelineExecutionsAsync("p", 10)).Executions;

        var (v1, v2) = (fake.ExecutionOf("v1"), fake.ExecutionOf("v2"));
        Assert.Equal([(v2, "InProgress"), (v1, "Superseded")], listed.Select(e => (e.PipelineExecutionId, e.Status)));
        Assert.Equal(v2, (await fake.GetPipelineStateAsync("p")).Stages[1].LatestExecution!.PipelineExecutionId);
        var unknown = await Assert.ThrowsAsync<AmazonCodePipelineException>(() => fake.GetPipelineExecutionAsync("p", Guid.NewGuid().ToString()));
        Assert.Equal("PipelineExecutionNotFoundException", unknown.ErrorCode);
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
        Assert.Equal("Succeeded", (await fake.GetPipelineExecutionAsync("p", fake.ExecutionOf("v1"))).Status);
    }

    [Fact]
    public async Task PutApprovalResult_Rejected_FailsTheApprovalItsStageAndTheRun()
    {
        await fake.StartPipelineExecutionAsync("p", "t1");
        var token = (await fake.GetPipelineStateAsync("p")).Stages[0].Actions[0].LatestExecution!.Token!;

        await fake.PutApprovalResultAsync("p", "Deploy", "Approve", token, approved: false, "no");

        Assert.Equal("Failed", (await fake.GetPipelineStateAsync("p")).Stages[0].Actions[0].LatestExecution!.Status);
        Assert.Equal("Failed", (await fake.GetPipelineExecutionAsync("p", fake.ExecutionOf("v1"))).Status);
    }

    [Fact]
    public async Task PutApprovalResult_WithAnotherToken_OrOnAnActionNotWaiting_IsRefused()
    {
        await fake.StartPipelineExecutionAsync("p", "t1");

        var wrongToken = await Assert.ThrowsAsync<AmazonCodePipelineException>(() =>
            fake.PutApprovalResultAsync("p", "Deploy", "Approve", "not-the-token", approved: true, "x"));
        var notWaiting = await Assert.ThrowsAsync<AmazonCodePipelineException>(() =>
            fake.PutApprovalResultAsync("p", "Deploy", "Execute", Guid.NewGuid().ToString(), approved: true, "x"));

        Assert.Equal("InvalidApprovalTokenException", wrongToken.ErrorCode);
        Assert.Equal("ApprovalAlreadyCompletedException", notWaiting.ErrorCode);
    }
}

/// <summary>Ids, paging, runs that end early and scripted errors, as FakeCodePipeline.md says.</summary>
public sealed class FakeCodePipelineEdgeTests
{
    private readonly VirtualTime time = new();
    private readonly FakeCodePipeline fake;

    public FakeCodePipelineEdgeTests()
    {
        fake = new FakeCodePipeline(time, "p", new FakeStage("Source", "Source"), new FakeStage("Deploy", "Execute"));
    }

    [Fact]
    public async Task RunIds_AreUuids_AsCodePipelinesAre()
    {
        fake.SourceChanged("v1", TimeSpan.Zero);
        fake.SourceChanged("v2", null);
        var started = await fake.StartPipelineExecutionAsync("p", "t");

        Assert.Equal(2, fake.ExecutionIds.Count);
        Assert.All(fake.ExecutionIds, id => Assert.Matches(FakeCodePipelineTests.Uuid, id));
        Assert.Equal(fake.ExecutionIds[1], started);
    }

    [Fact]
    public async Task ListPipelineExecutions_Pages100ByDefault_NewestFirst_FollowingNextToken()
    {
        for (var i = 1; i <= 150; i++)
        {
            fake.SourceChanged($"v{i}", TimeSpan.FromSeconds(i));
        }

        time.Advance(TimeSpan.FromMinutes(5));

        var first = await fake.ListPipelineExecutionsAsync("p");
        var second = await fake.ListPipelineExecutionsAsync("p", nextToken: first.NextToken);
        var small = await fake.ListPipelineExecutionsAsync("p", 20);

        Assert.Equal(100, first.Executions.Count);
        Assert.Equal("v150", first.Executions[0].SourceRevisions[0].RevisionId);
        Assert.NotNull(first.NextToken);
        Assert.Equal(Enumerable.Range(1, 50).Reverse().Select(i => $"v{i}"), second.Executions.Select(e => e.SourceRevisions[0].RevisionId));
        Assert.Null(second.NextToken);
        Assert.Equal(20, small.Executions.Count);
        var invalid = await Assert.ThrowsAsync<AmazonCodePipelineException>(() => fake.ListPipelineExecutionsAsync("p", nextToken: "forged"));
        var tooMany = await Assert.ThrowsAsync<AmazonCodePipelineException>(() => fake.ListPipelineExecutionsAsync("p", 101));
        Assert.Equal(("InvalidNextTokenException", "ValidationException"), (invalid.ErrorCode, tooMany.ErrorCode));
    }

    [Fact]
    public async Task AStoppedRun_IsStopping_ThenStoppedWithItsReason_AndItsActionAbandoned()
    {
        fake.SourceChanged("v1", TimeSpan.Zero);
        fake.Stop("v1", after: TimeSpan.FromSeconds(40), "wrong branch", stoppingFor: TimeSpan.FromSeconds(20));
        var id = fake.ExecutionOf("v1");

        time.Advance(TimeSpan.FromSeconds(50));
        var stopping = await fake.GetPipelineExecutionAsync("p", id);
        var stoppingStage = (await fake.GetPipelineStateAsync("p")).Stages[1];
        time.Advance(TimeSpan.FromSeconds(20));
        var stopped = await fake.GetPipelineExecutionAsync("p", id);
        var stoppedStage = (await fake.GetPipelineStateAsync("p")).Stages[1];
        var listed = Assert.Single((await fake.ListPipelineExecutionsAsync("p")).Executions);

        Assert.Equal(("Stopping", "Stopping", "InProgress"), (stopping.Status, stoppingStage.LatestExecution!.Status, stoppingStage.Actions[0].LatestExecution!.Status));
        Assert.Equal(("Stopped", "Stopped", "Abandoned"), (stopped.Status, stoppedStage.LatestExecution!.Status, stoppedStage.Actions[0].LatestExecution!.Status));
        Assert.Equal(("Stopped", "wrong branch"), (listed.Status, listed.StopReason));
        Assert.Equal("Succeeded", (await fake.GetPipelineStateAsync("p")).Stages[0].LatestExecution!.Status);
    }

    [Fact]
    public async Task ADefinitionUpdate_CancelsTheRunAndTheStageItIsIn()
    {
        fake.SourceChanged("v1", TimeSpan.Zero);
        fake.UpdateDefinition("v1", after: TimeSpan.FromSeconds(10));

        time.Advance(TimeSpan.FromMinutes(5));
        var run = await fake.GetPipelineExecutionAsync("p", fake.ExecutionOf("v1"));
        var state = await fake.GetPipelineStateAsync("p");

        Assert.Equal("Cancelled", run.Status);
        Assert.Equal(("Cancelled", "Abandoned"), (state.Stages[0].LatestExecution!.Status, state.Stages[0].Actions[0].LatestExecution!.Status));
        Assert.Null(state.Stages[1].LatestExecution);
    }

    [Fact]
    public async Task FailNext_FailsTheNextCallsWithTheDocumentedError_AndAFailedStartStartsNothing()
    {
        fake.SourceChanged("v1", null);
        fake.FailNext("StartPipelineExecution", "ConflictException");
        fake.FailNext("StartPipelineExecution", "ConcurrentPipelineExecutionsLimitExceededException");

        var conflict = await Assert.ThrowsAsync<AmazonCodePipelineException>(() => fake.StartPipelineExecutionAsync("p", "t"));
        var limit = await Assert.ThrowsAsync<AmazonCodePipelineException>(() => fake.StartPipelineExecutionAsync("p", "t"));
        Assert.Empty(fake.ExecutionIds);
        var started = await fake.StartPipelineExecutionAsync("p", "t");

        Assert.Equal(("ConflictException", "Your request cannot be handled because the pipeline is busy handling ongoing activities. Try again later."),
            (conflict.ErrorCode, conflict.Message));
        Assert.Equal("ConcurrentPipelineExecutionsLimitExceededException", limit.ErrorCode);
        Assert.Equal([started], fake.ExecutionIds);
    }

    [Fact]
    public async Task AStartedRun_IsNotFoundByGetPipelineExecution_DuringTheReadLag()
    {
        fake.StartedRunReadLag = TimeSpan.FromSeconds(5);
        fake.SourceChanged("v1", null);
        var id = await fake.StartPipelineExecutionAsync("p", "t");

        var early = await Assert.ThrowsAsync<AmazonCodePipelineException>(() => fake.GetPipelineExecutionAsync("p", id));
        time.Advance(TimeSpan.FromSeconds(5));

        Assert.Equal("PipelineExecutionNotFoundException", early.ErrorCode);
        Assert.Equal("InProgress", (await fake.GetPipelineExecutionAsync("p", id)).Status);
    }
}
