namespace PipelineKit.Tests.Fakes;

using PipelineKit.Aws;
using PipelineKit.Testing;

/// <summary>The fake's RollbackStage and its succeededInStage filter (FakeCodePipeline.md, "Rollbacks").</summary>
public sealed class FakeCodePipelineRollbackTests
{
    private const string Name = "hello-pipeline";
    private readonly VirtualTime time = new();
    private readonly FakeCodePipeline fake;

    public FakeCodePipelineRollbackTests()
    {
        fake = new FakeCodePipeline(time, Name, new FakeStage("Source", "Source"), new FakeStage("Deploy", "Execute", "SmokeTest"));
        fake.SourceChanged("v1", TimeSpan.Zero);
        time.Advance(TimeSpan.FromMinutes(5));
        fake.FailAction("Deploy", "SmokeTest", "JobFailed", "bad version", "v2");
        fake.SourceChanged("v2", TimeSpan.Zero);
        time.Advance(TimeSpan.FromMinutes(5));
    }

    [Fact]
    public async Task ListPipelineExecutions_SucceededInStage_ListsOnlyThoseThatSucceededThere()
    {
        var deploy = await fake.ListPipelineExecutionsAsync(Name, "Deploy");
        var source = await fake.ListPipelineExecutionsAsync(Name, "Source");

        Assert.Equal([fake.ExecutionOf("v1")], deploy.Executions.Select(e => e.PipelineExecutionId));
        Assert.Equal([fake.ExecutionOf("v2"), fake.ExecutionOf("v1")], source.Executions.Select(e => e.PipelineExecutionId));
    }

    [Fact]
    public async Task RollbackStage_RunsThatStageOnly_WithTheTargetsRevision_AsARollbackExecution()
    {
        var id = await fake.RollbackStageAsync(Name, "Deploy", fake.ExecutionOf("v1"));
        time.Advance(TimeSpan.FromMinutes(5));

        var summary = (await fake.ListPipelineExecutionsAsync(Name)).Executions[0];
        Assert.Equal((id, "Succeeded", "v1", "ROLLBACK", fake.ExecutionOf("v1"), "RollbackStage"),
            (summary.PipelineExecutionId, summary.Status, summary.SourceRevisions[0].RevisionId, summary.ExecutionType, summary.RollbackTargetExecutionId, summary.TriggerType));
        var state = await fake.GetPipelineStateAsync(Name);
        Assert.Equal(fake.ExecutionOf("v2"), state.Stages[0].LatestExecution!.PipelineExecutionId);
        Assert.Equal(id, state.Stages[1].LatestExecution!.PipelineExecutionId);
    }

    [Theory]
    [InlineData("Deploy", "v2", "UnableToRollbackStageException")]
    [InlineData("Source", "v1", "UnableToRollbackStageException")]
    [InlineData("Test", "v1", "StageNotFoundException")]
    public async Task RollbackStage_ToAnExecutionThatDidNotSucceedInTheStage_OrOfTheSourceOrAnUnknownStage_IsRefused(string stage, string revision, string code)
    {
        var error = await Assert.ThrowsAsync<AmazonCodePipelineException>(() => fake.RollbackStageAsync(Name, stage, fake.ExecutionOf(revision)));

        Assert.Equal(code, error.ErrorCode);
    }

    [Fact]
    public async Task RollbackStage_ToARollbackOrAnUnknownExecution_IsRefused()
    {
        var rollback = await fake.RollbackStageAsync(Name, "Deploy", fake.ExecutionOf("v1"));
        var running = await Assert.ThrowsAsync<AmazonCodePipelineException>(() => fake.RollbackStageAsync(Name, "Deploy", fake.ExecutionOf("v1")));
        time.Advance(TimeSpan.FromMinutes(5));

        var toRollback = await Assert.ThrowsAsync<AmazonCodePipelineException>(() => fake.RollbackStageAsync(Name, "Deploy", rollback));
        var unknown = await Assert.ThrowsAsync<AmazonCodePipelineException>(() => fake.RollbackStageAsync(Name, "Deploy", Guid.NewGuid().ToString()));

        Assert.Equal("UnableToRollbackStageException", running.ErrorCode);
        Assert.Contains("currently running", running.Message, StringComparison.Ordinal);
        Assert.Equal("UnableToRollbackStageException", toRollback.ErrorCode);
        Assert.Equal("PipelineExecutionNotFoundException", unknown.ErrorCode);
    }
}
