namespace PipelineKit.Tests.Pipeline;

using PipelineKit.Aws;
using PipelineKit.Configuration;
using PipelineKit.Deployment;
using PipelineKit.Messages;
using PipelineKit.Pipeline;
using PipelineKit.Reporting;
using PipelineKit.Testing;
using PipelineKit.Tests.Configuration;
using Xunit.Abstractions;

/// <summary>Rollback --environment NAME through the pipeline, against the fake CodePipeline in virtual time: RollbackStage
/// on the environment's deploy stage, to the last execution before the current one that succeeded in it, followed to its end.</summary>
public sealed class StageRollbackRunTests
{
    private const string Name = "hello-pipeline";

    private readonly VirtualTime time = new();
    private readonly StringWriter progress = new();
    private readonly RecordingMessages messages = new();
    private readonly PipelineConfig config = ConfigJson.Parse(ConfigJson.Valid());
    private readonly ITestOutputHelper output;
    private readonly FakeCodePipeline fake;

    public StageRollbackRunTests(ITestOutputHelper output)
    {
        this.output = output;
        fake = new FakeCodePipeline(time, Name,
            new FakeStage("Source", "Source"),
            new FakeStage("Build", "BuildAndTest"),
            new FakeStage("Deploy-dev", "CreateChangeSet", "ExecuteChangeSet", "SmokeTest"),
            new FakeStage("Deploy-test", "CreateChangeSet", "ExecuteChangeSet", "SmokeTest"),
            new FakeStage("Deploy-prod", "CreateChangeSet", "ExecuteChangeSet", "SmokeTest"));
    }

    private StageRollback Rollback() =>
        new(config, fake, Name, new PipelineFollower(fake, Name, "us-east-1", time, PollingPolicy.Default, progress), messages);

    /// <summary>Version A deployed everywhere; version B deployed to dev, then its smoke test failed in test.</summary>
    private (string A, string B) ABadInTest()
    {
        fake.SourceChanged("vA", TimeSpan.Zero);
        time.Advance(TimeSpan.FromMinutes(30));
        fake.FailAction("Deploy-test", "SmokeTest", "JobFailed", "GET /hello answered version vA, expected vB", "vB");
        fake.SourceChanged("vB", TimeSpan.Zero);
        time.Advance(TimeSpan.FromMinutes(30));
        return (fake.ExecutionOf("vA"), fake.ExecutionOf("vB"));
    }

    [Fact]
    public async Task Rollback_AfterASmokeTestFailedInTest_PutsTestBackOnTheOldVersion_AndLeavesDevOnTheNewOne()
    {
        var (a, b) = ABadInTest();

        var result = await Rollback().RunAsync("test", CancellationToken.None);
        output.WriteLine(string.Join(Environment.NewLine, messages.Messages.Select(m => m.Text)));
        output.WriteLine(progress.ToString());

        Assert.Equal(("Deploy-test", a, "vA"), (result.StageName, result.TargetExecutionId, result.TargetRevision));
        Assert.Equal(PipelineExecutionStatus.Succeeded, result.Run.Status);
        var state = (await fake.GetPipelineStateAsync(Name)).Stages.ToDictionary(s => s.StageName, s => s.LatestExecution);
        Assert.Equal(new StageExecution(b, PipelineExecutionStatus.Succeeded), state["Deploy-dev"]);
        Assert.Equal(new StageExecution(result.Run.PipelineExecutionId, PipelineExecutionStatus.Succeeded), state["Deploy-test"]);
        Assert.Equal(new StageExecution(a, PipelineExecutionStatus.Succeeded), state["Deploy-prod"]);
        var rollback = (await fake.ListPipelineExecutionsAsync(Name)).Executions[0];
        Assert.Equal((result.Run.PipelineExecutionId, "vA", "ROLLBACK", a),
            (rollback.PipelineExecutionId, rollback.SourceRevisions.Single().RevisionId, rollback.ExecutionType, rollback.RollbackTargetExecutionId));
        Assert.Equal(
            $"Rollback of test: stage Deploy-test of pipeline {Name} goes back to execution {a} (source version vA), the last one that " +
            $"succeeded in it before {b}.",
            messages.Messages.Single(m => m.Code == MessageCodes.RollbackStarting.Code).Text);
        Assert.Contains($"Pipeline {Name}: following execution {result.Run.PipelineExecutionId}", progress.ToString(), StringComparison.Ordinal);
        Assert.Contains("  Deploy-test Succeeded", progress.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Rollback_Twice_TheSecondFindsNothingBeforeTheVersionRolledBackTo()
    {
        ABadInTest();
        await Rollback().RunAsync("test", CancellationToken.None);

        var error = await Assert.ThrowsAsync<KitRunFailedException>(() => Rollback().RunAsync("test", CancellationToken.None));

        Assert.Equal("NothingToRollBack", error.Code);
        Assert.StartsWith("Rollback of test: nothing to roll back to in stage Deploy-test: no execution before its current one", error.Message, StringComparison.Ordinal);
        Assert.Equal("deploy a fixed version instead (./build.sh DeploySampleApp), or check the stage's history in the console", error.NextStep);
    }

    [Fact]
    public async Task Rollback_WhenTheStageSucceededOnlyOnce_SaysThereIsNothingToRollBackTo_AndRollsNothingBack()
    {
        fake.SourceChanged("vA", TimeSpan.Zero);
        time.Advance(TimeSpan.FromMinutes(30));

        var error = await Assert.ThrowsAsync<KitRunFailedException>(() => Rollback().RunAsync("dev", CancellationToken.None));

        Assert.Equal("NothingToRollBack", error.Code);
        Assert.DoesNotContain("RollbackStage", fake.Calls);
    }

    [Fact]
    public async Task Rollback_OfAStageThatNeverRan_SaysSo()
    {
        var error = await Assert.ThrowsAsync<KitRunFailedException>(() => Rollback().RunAsync("prod", CancellationToken.None));

        Assert.Equal("Rollback of prod: nothing to roll back to in stage Deploy-prod: the stage has never run.", error.Message);
    }

    [Fact]
    public async Task Rollback_OfAnUnknownEnvironment_NamesTheOnesThereAre_BeforeAnyCall()
    {
        var error = await Assert.ThrowsAsync<ConfigurationException>(() => Rollback().RunAsync("staging", CancellationToken.None));

        Assert.Contains("--environment: \"staging\" is not an environment of pipeline.json (dev, test, prod)", error.Message, StringComparison.Ordinal);
        Assert.Empty(fake.Calls);
    }
}
