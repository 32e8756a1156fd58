namespace PipelineKit.Tests.Pipeline;

using PipelineKit.Aws;
using PipelineKit.Deployment;
using PipelineKit.Messages;
using PipelineKit.Pipeline;
using PipelineKit.Testing;

/// <summary>The follower over <see cref="RetryingCodePipeline"/> and the fake pipeline when CodePipeline answers the
/// errors its API reference names as passing: a busy pipeline, a run not readable yet.</summary>
public sealed class PipelineFollowerRetryTests
{
    private const string Name = "hello-pipeline";
    private const string Console = "https://us-east-1.console.aws.amazon.com/codesuite/codepipeline/pipelines/hello-pipeline";

    private readonly VirtualTime time = new();
    private readonly StringWriter progress = new();
    private readonly RecordingMessages messages = new();
    private readonly FakeCodePipeline fake;
    private readonly PipelineFollower follower;

    public PipelineFollowerRetryTests()
    {
        fake = new FakeCodePipeline(time, Name,
            new FakeStage("Source", "Source"),
            new FakeStage("Build", "BuildAndTest"),
            new FakeStage("Deploy-dev", "CreateChangeSet", "ExecuteChangeSet"));
        follower = new PipelineFollower(new RetryingCodePipeline(fake, time, messages), Name, "us-east-1", time, PollingPolicy.Default, progress);
    }

    private string[] Lines => progress.ToString().Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries);

    private string[] Retries => messages.Messages.Where(m => m.Code == MessageCodes.PipelineRetrying.Code).Select(m => m.Text).ToArray();

    [Fact]
    public async Task FollowRevision_WhenTheStartConflictsWithAnUpdate_RetriesWithTheSameToken_AndStartsOneRun()
    {
        fake.SourceChanged("v1", detectedAfter: null);
        fake.FailNext("StartPipelineExecution", "ConflictException", times: 2);

        var run = await follower.FollowRevisionAsync("v1", CancellationToken.None);

        Assert.Equal([run.PipelineExecutionId], fake.ExecutionIds);
        Assert.Equal((true, "Succeeded"), (run.StartedByKit, run.Status));
        Assert.Equal(Enumerable.Repeat(PipelineFollower.StartToken("v1"), 3), fake.StartRequestTokens);
        Assert.Equal(
        [
            "Pipeline hello-pipeline: StartPipelineExecution answered ConflictException (the pipeline is busy, e.g. being updated); " +
            "trying again in 2s (try 2, for up to 10m 0s).",
            "Pipeline hello-pipeline: StartPipelineExecution answered ConflictException (the pipeline is busy, e.g. being updated); " +
            "trying again in 4s (try 3, for up to 10m 0s).",
        ], Retries);
    }

    [Fact]
    public async Task FollowRevision_AtTheLimitOfRunsInProgress_RetriesTheStart()
    {
        fake.SourceChanged("v1", detectedAfter: null);
        fake.FailNext("StartPipelineExecution", "ConcurrentPipelineExecutionsLimitExceededException");

        var run = await follower.FollowRevisionAsync("v1", CancellationToken.None);

        Assert.Equal([run.PipelineExecutionId], fake.ExecutionIds);
        Assert.Contains("(the pipeline has as many runs in progress as it allows)", Assert.Single(Retries));
    }

    [Fact]
    public async Task FollowRevision_WhenTheStartedRunIsNotReadableYet_RetriesUntilItIs()
    {
        fake.StartedRunReadLag = TimeSpan.FromSeconds(5);
        fake.SourceChanged("v1", detectedAfter: null);

        var run = await follower.FollowRevisionAsync("v1", CancellationToken.None);

        Assert.Equal("Succeeded", run.Status);
        Assert.Equal(2, Retries.Length);
        Assert.StartsWith("Pipeline hello-pipeline: GetPipelineExecution answered PipelineExecutionNotFoundException " +
            "(a run that just started may not be readable yet); trying again in 2s", Retries[0]);
    }

    [Fact]
    public async Task FollowRevision_WhenThePipelineStaysBusy_GivesUpAfterTenMinutes_NamingTheNextStep()
    {
        fake.SourceChanged("v1", detectedAfter: null);
        fake.FailNext("StartPipelineExecution", "ConflictException", times: 1000);
        var started = time.GetUtcNow();

        var error = await Assert.ThrowsAsync<PipelineRunFailedException>(() => follower.FollowRevisionAsync("v1", CancellationToken.None));

        Assert.Equal(("PipelineBusy", "ConflictException"), (error.Code, error.ErrorCode));
        Assert.EndsWith($"Next: wait until the pipeline's update or its runs in progress are done ({Console}/view?region=us-east-1), " +
            "then run ./build.sh DeploySampleApp again.", error.Message);
        Assert.Empty(fake.ExecutionIds);
        // The grace period's last poll may end a few seconds past it; the retries then last at most 10 minutes.
        Assert.InRange(time.GetUtcNow() - started - FollowSettings.Default.StartGracePeriod, TimeSpan.FromMinutes(9), TimeSpan.FromMinutes(10.5));
    }

    [Fact]
    public async Task Retrying_LeavesOtherErrorsAlone()
    {
        fake.FailNext("StartPipelineExecution", "ValidationException");
        var pipeline = new RetryingCodePipeline(fake, time, messages);

        var error = await Assert.ThrowsAsync<AmazonCodePipelineException>(() => pipeline.StartPipelineExecutionAsync(Name, "t"));

        Assert.Equal("ValidationException", error.ErrorCode);
        Assert.Empty(Retries);
    }
}
