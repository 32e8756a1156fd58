namespace PipelineKit.Tests.Pipeline;

using PipelineKit.Deployment;
using PipelineKit.Pipeline;
using PipelineKit.Testing;

/// <summary>The follower against the fake pipeline when its run is beyond the first page of runs, or ends Stopped or
/// Cancelled (API reference, PipelineExecution.status).</summary>
public sealed class PipelineFollowerEndingTests
{
    private const string Name = "hello-pipeline";
    private const string Console = "https://us-east-1.console.aws.amazon.com/codesuite/codepipeline/pipelines/hello-pipeline";

    private readonly VirtualTime time = new();
    private readonly StringWriter progress = new();
    private readonly FakeCodePipeline fake;
    private readonly PipelineFollower follower;

    public PipelineFollowerEndingTests()
    {
        fake = new FakeCodePipeline(time, Name,
            new FakeStage("Source", "Source"),
            new FakeStage("Build", "BuildAndTest"),
            new FakeStage("Deploy-dev", "CreateChangeSet", "ExecuteChangeSet"));
        follower = new PipelineFollower(fake, Name, "us-east-1", time, PollingPolicy.Default, progress);
    }

    private string[] Lines => progress.ToString().Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries);

    [Fact]
    public async Task FollowRevision_WhenMoreThanAPageOfNewerRunsStartedAfterIt_FindsItsRunOnALaterPage()
    {
        fake.SourceChanged("v1", TimeSpan.FromSeconds(1));
        for (var i = 1; i <= 120; i++)
        {
            fake.SourceChanged($"other-{i}", TimeSpan.FromSeconds(1) + TimeSpan.FromMilliseconds(4 * i));
        }

        var run = await follower.FollowRevisionAsync("v1", CancellationToken.None);

        Assert.Equal((fake.ExecutionOf("v1"), false), (run.PipelineExecutionId, run.StartedByKit));
        Assert.DoesNotContain("StartPipelineExecution", fake.Calls);
    }

    [Fact]
    public async Task FollowNextRun_WithMoreThanAPageOfOlderRuns_TakesOnlyARunThatStartedAfterwards()
    {
        for (var i = 1; i <= 150; i++)
        {
            fake.SourceChanged($"old-{i}", TimeSpan.FromSeconds(i));
        }

        time.Advance(TimeSpan.FromMinutes(3));
        fake.SourceChanged("new", TimeSpan.FromMinutes(5));

        var run = await follower.FollowNextRunAsync(CancellationToken.None);

        Assert.Equal(fake.ExecutionOf("new"), run.PipelineExecutionId);
    }

    [Fact]
    public async Task FollowRevision_WhenThePipelineIsUpdatedDuringTheRun_SaysCodePipelineCancelledItForTheUpdate()
    {
        fake.SourceChanged("v1", TimeSpan.FromSeconds(40));
        fake.UpdateDefinition("v1", after: TimeSpan.FromSeconds(45));

        var error = await Assert.ThrowsAsync<PipelineRunFailedException>(() => follower.FollowRevisionAsync("v1", CancellationToken.None));

        var id = fake.ExecutionOf("v1");
        Assert.Equal(("PipelineRunCancelled", id, "Build"), (error.Code, error.PipelineExecutionId, error.Stage));
        Assert.Equal(
            $"Pipeline hello-pipeline: execution {id} Cancelled at stage Build: the pipeline's definition was updated while it ran, and " +
            "CodePipeline cancels a run then (an update of the pipeline stack by CreatePipeline or BootstrapAll, an edit in the console, " +
            "or a change of execution mode). Next: wait until the pipeline's update is done " +
            $"({Console}/view?region=us-east-1), then run ./build.sh DeploySampleApp again.",
            error.Message);
        Assert.Equal("  Build Cancelled", Lines[^1]);
    }

    [Fact]
    public async Task FollowRevision_WhenSomeoneStopsTheRun_SaysStoppingOnce_ThenStoppedWithTheReason()
    {
        fake.SourceChanged("v1", TimeSpan.FromSeconds(40));
        fake.Stop("v1", after: TimeSpan.FromSeconds(45), "wrong branch", stoppingFor: TimeSpan.FromMinutes(1));

        var error = await Assert.ThrowsAsync<PipelineRunFailedException>(() => follower.FollowRevisionAsync("v1", CancellationToken.None));

        var id = fake.ExecutionOf("v1");
        Assert.Equal(("PipelineRunStopped", "Build"), (error.Code, error.Stage));
        Assert.Equal(
            $"Pipeline hello-pipeline: execution {id} Stopped at stage Build: someone stopped it (StopPipelineExecution or the console; " +
            "reason: \"wrong branch\"). Next: if the stop was not meant to cancel this delivery, run ./build.sh DeploySampleApp again " +
            $"to start a new run ({Console}/executions/{id}/timeline?region=us-east-1).",
            error.Message);
        Assert.Single(Lines, line => line == $"Pipeline hello-pipeline: execution {id} is Stopping: someone asked to stop it " +
            "(StopPipelineExecution or the console); its actions in progress finish or are abandoned. Waiting for it to stop...");
        Assert.Equal(["  Build InProgress", "  Build Stopping", "  Build Stopped"], Lines.Where(l => l.StartsWith("  Build", StringComparison.Ordinal)));
    }
}
