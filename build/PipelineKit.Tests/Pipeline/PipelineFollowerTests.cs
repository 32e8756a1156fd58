namespace PipelineKit.Tests.Pipeline;

using PipelineKit.Aws;
using PipelineKit.Deployment;
using PipelineKit.Pipeline;
using PipelineKit.Testing;

/// <summary>The follower against the fake pipeline in virtual time. moto implements none of the CodePipeline reads the
/// follower needs, and the sandbox's CloudFormation does not create the pipeline, so the fake is the only pipeline here.</summary>
public sealed class PipelineFollowerTests
{
    private const string Name = "hello-pipeline";
    private const string Console = "https://us-east-1.console.aws.amazon.com/codesuite/codepipeline/pipelines/hello-pipeline";

    private readonly VirtualTime time = new();
    private readonly StringWriter progress = new();
    private readonly FakeCodePipeline fake;
    private readonly PipelineFollower follower;

    public PipelineFollowerTests()
    {
        fake = new FakeCodePipeline(time, Name,
            new FakeStage("Source", "Source"),
            new FakeStage("Build", "BuildAndTest"),
            new FakeStage("Deploy-dev", "CreateChangeSet", "ExecuteChangeSet"),
            new FakeStage("Deploy-prod", "CreateChangeSet", "Approve", "ExecuteChangeSet"));
        follower = new PipelineFollower(fake, Name, "us-east-1", time, PollingPolicy.Default, progress);
    }

    private string[] Lines => progress.ToString().Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries);

    [Fact]
    public async Task FollowRevision_WhenThePollPicksItUp_ReportsEachStageOnceUntilSucceeded()
    {
        fake.SourceChanged("v0", TimeSpan.Zero);
        fake.SourceChanged("v1", TimeSpan.FromSeconds(90));

        var run = await follower.FollowRevisionAsync("v1", CancellationToken.None);

        var id = fake.ExecutionOf("v1");
        Assert.Equal((id, "Succeeded", false), (run.PipelineExecutionId, run.Status, run.StartedByKit));
        Assert.Equal(
        [
            "Pipeline hello-pipeline: waiting for the run of source version v1 (the S3 source polls for changes; this can take a minute or two)...",
            $"Pipeline hello-pipeline: following execution {id}: {Console}/executions/{id}/timeline?region=us-east-1",
            "  Source InProgress",
            "  Source Succeeded",
            "  Build InProgress",
            "  Build Succeeded",
            "  Deploy-dev InProgress",
            "  Deploy-dev Succeeded",
            "  Deploy-prod InProgress",
            "  Deploy-prod Succeeded",
        ], Lines[..^1]);
        Assert.StartsWith($"Pipeline hello-pipeline: execution {id} Succeeded in ", Lines[^1]);
        Assert.DoesNotContain("StartPipelineExecution", fake.Calls);
    }

    [Fact]
    public async Task FollowRevision_WhenTheBuildFails_ThrowsNamingStageActionErrorAndNextStep()
    {
        fake.FailAction("Build", "BuildAndTest", "JobFailed", "Error while executing command: ./build.sh Package. Reason: exit status 1");
        fake.SourceChanged("v1", TimeSpan.FromSeconds(40));

        var error = await Assert.ThrowsAsync<PipelineRunFailedException>(() => follower.FollowRevisionAsync("v1", CancellationToken.None));

        var id = fake.ExecutionOf("v1");
        Assert.Equal(("PipelineRunFailed", id, "Build", "BuildAndTest", "JobFailed"),
            (error.Code, error.PipelineExecutionId, error.Stage, error.Action, error.ErrorCode));
        Assert.Equal(
            $"Pipeline hello-pipeline: execution {id} Failed in stage Build, action BuildAndTest: JobFailed: Error while executing command: " +
            "./build.sh Package. Reason: exit status 1. Next: read the details at https://console.example/BuildAndTest, fix the cause, commit, " +
            "and run ./build.sh DeploySampleApp again (or, for a passing problem, Retry the stage in the console: " +
            $"{Console}/executions/{id}/timeline?region=us-east-1).",
            error.Message);
        Assert.Equal("  Build Failed: BuildAndTest: JobFailed: Error while executing command: ./build.sh Package. Reason: exit status 1", Lines[^1]);
        Assert.DoesNotContain("  Deploy-dev InProgress", Lines);
    }

    [Fact]
    public async Task FollowRevision_WhenAnApprovalWaits_SaysWhereToApproveOnce_ThenFollowsToTheEnd()
    {
        fake.ApproveAfter("Deploy-prod", "Approve", TimeSpan.FromHours(1));
        fake.SourceChanged("v1", TimeSpan.FromSeconds(40));

        var run = await follower.FollowRevisionAsync("v1", CancellationToken.None);

        Assert.Equal("Succeeded", run.Status);
        Assert.Single(Lines, line => line.Contains("approval waiting", StringComparison.Ordinal));
        Assert.Contains($"  Deploy-prod Approve: approval waiting: approve in the console {Console}/view?region=us-east-1", Lines);
        var approval = Array.IndexOf(Lines, $"  Deploy-prod Approve: approval waiting: approve in the console {Console}/view?region=us-east-1");
        Assert.Equal("  Deploy-prod InProgress", Lines[approval - 1]);
        Assert.Equal("  Deploy-prod Succeeded", Lines[approval + 1]);
        Assert.True(run.Took >= TimeSpan.FromHours(1));
    }

    [Fact]
    public async Task FollowRevision_WhenNoRunAppears_StartsOneAfterTheGracePeriod_AndFollowsIt()
    {
        fake.SourceChanged("v1", detectedAfter: null);
        var started = time.GetUtcNow();

        var run = await follower.FollowRevisionAsync("v1", CancellationToken.None);

        Assert.Equal((fake.ExecutionIds.Single(), "Succeeded", true), (run.PipelineExecutionId, run.Status, run.StartedByKit));
        Assert.Contains($"Pipeline hello-pipeline: no run picked up version v1 within 3m 0s; started execution {run.PipelineExecutionId}.", Lines);
        Assert.Single(fake.Calls, call => call == "StartPipelineExecution");
        Assert.True(time.GetUtcNow() - started >= FollowSettings.Default.StartGracePeriod);
    }

    [Fact]
    public async Task FollowRevision_WhenANewerRunSupersedesIt_ThrowsNamingTheNewerRun()
    {
        fake.SourceChanged("v1", TimeSpan.FromSeconds(10));
        fake.SourceChanged("v2", TimeSpan.FromSeconds(50));
        fake.Supersede("v1", "Deploy-dev");

        var error = await Assert.ThrowsAsync<PipelineRunFailedException>(() => follower.FollowRevisionAsync("v1", CancellationToken.None));

        var (v1, v2) = (fake.ExecutionOf("v1"), fake.ExecutionOf("v2"));
        Assert.Equal(("PipelineRunSuperseded", v1, "Build"), (error.Code, error.PipelineExecutionId, error.Stage));
        Assert.Equal(
            $"Pipeline hello-pipeline: execution {v1} Superseded after stage Build: a newer run ({v2}) took its place (a later upload or push). " +
            $"Next: follow the newer run in the console, {Console}/view?region=us-east-1, or run ./build.sh DeploySampleApp again to ship this repository's state.",
            error.Message);
    }

    [Fact]
    public async Task FollowRevision_WhenThePipelineDoesNotExist_SaysToCreateIt()
    {
        var other = new PipelineFollower(fake, "missing-pipeline", "us-east-1", time, PollingPolicy.Default, progress);

        var error = await Assert.ThrowsAsync<PipelineRunFailedException>(() => other.FollowRevisionAsync("v1", CancellationToken.None));

        Assert.Equal("PipelineNotFound", error.Code);
        Assert.EndsWith("Next: run ./build.sh CreatePipeline, then DeploySampleApp.", error.Message);
    }

    [Fact]
    public async Task FollowNextRun_FollowsTheFirstRunThatWasNotThereBefore()
    {
        fake.SourceChanged("commit-a", TimeSpan.Zero);
        fake.SourceChanged("commit-b", TimeSpan.FromMinutes(5));

        var run = await follower.FollowNextRunAsync(CancellationToken.None);

        Assert.Equal(fake.ExecutionOf("commit-b"), run.PipelineExecutionId);
    }

    [Theory]
    [InlineData("3Lh2o8.2X1sQaKdBOh3uKQvNbQ1V3Yzc", "pipelinekit-3Lh2o8-2X1sQaKdBOh3uKQvNbQ1V3Yzc")]
    [InlineData("a_b~c", "pipelinekit-a-b-c")]
    public void StartToken_IsValidForStartPipelineExecution_AndStablePerRevision(string revision, string token) =>
        Assert.Equal(token, PipelineFollower.StartToken(revision));
}
