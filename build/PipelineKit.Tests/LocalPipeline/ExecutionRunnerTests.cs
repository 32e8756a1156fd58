namespace PipelineKit.Tests.LocalPipeline;

using PipelineKit.Aws;
using PipelineKit.LocalPipeline;
using PipelineKit.Pipeline;

/// <summary>The engine of a local run, followed by the kit's PipelineFollower: order, waves, approvals, failures.</summary>
public sealed class ExecutionRunnerTests
{
    private static readonly (string, string, string) Dev = ("dev", "222222222222", "us-east-1");
    private static readonly (string, string, string) Test = ("test", "333333333333", "us-west-2");
    private static readonly (string, string, string) Prod = ("prod", "444444444444", "eu-west-1");

    [Fact]
    public async Task AWavePipeline_RunsTheWaveInParallel_AndStagesInOrder()
    {
        var definition = LocalRunFixtures.Pipeline(("Deploy-wave1", [Dev, Test], false), ("Deploy-wave2", [Prod], false));
        var bothStarted = new TaskCompletionSource();
        var started = 0;
        using var run = new LocalRunUnderTest(definition, behaviour: async (action, _) =>
        {
            if (action.Action.Stage == "Deploy-wave1" && action.Action.RunOrder == 1)
            {
                // Both creates of the wave must be in flight at once: one waits here for the other.
                if (Interlocked.Increment(ref started) == 2) bothStarted.SetResult();
                await bothStarted.Task.WaitAsync(TimeSpan.FromSeconds(10));
            }

            return ActionOutcome.Done("ok");
        });

        var result = await run.RunAsync();

        Assert.Equal(PipelineExecutionStatus.Succeeded, result.Status);
        Assert.Equal(2, run.Executor.MostAtOnce);
        var order = run.Executor.Ran.ToList();
        Assert.Equal("Source Source", order[0]);
        Assert.Equal("Build BuildAndTest", order[1]);
        Assert.True(order.IndexOf("Deploy-wave1 dev-ExecuteChangeSet") > order.IndexOf("Deploy-wave1 test-CreateChangeSet"),
            "an execute ran before every create of its wave had finished: " + string.Join(", ", order));
        Assert.Equal("Deploy-wave2 ExecuteChangeSet", order[^1]);
        var lines = run.Output.ToString();
        Assert.Contains("Deploy-wave1 Succeeded", lines, StringComparison.Ordinal);
        Assert.True(lines.IndexOf("Deploy-wave1 Succeeded", StringComparison.Ordinal) < lines.IndexOf("Deploy-wave2 Succeeded", StringComparison.Ordinal), lines);
    }

    [Fact]
    public async Task ARejectedApproval_FailsItsStage_AndNothingAfterItRuns()
    {
        var definition = LocalRunFixtures.Pipeline(("Deploy-dev", [Dev], false), ("Deploy-prod", [Prod], true));
        using var run = new LocalRunUnderTest(definition, new Rejecting("smoke test failed in dev"));

        var failure = await Assert.ThrowsAsync<PipelineRunFailedException>(run.RunAsync);

        Assert.Equal("PipelineRunFailed", failure.Code);
        Assert.Equal("Deploy-prod", failure.Stage);
        Assert.Contains("smoke test failed in dev", failure.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("Deploy-prod ExecuteChangeSet", run.Executor.Ran);
        Assert.Contains("Deploy-dev ExecuteChangeSet", run.Executor.Ran);
    }

    [Fact]
    public async Task AFailingBuild_FailsTheRunAtBuild_WithItsReason_AndDeploysNothing()
    {
        var definition = LocalRunFixtures.Pipeline(("Deploy-dev", [Dev], false));
        using var run = new LocalRunUnderTest(definition, behaviour: (action, _) => action.Action.Stage == "Build"
            ? throw new ActionFailedException("JobFailed", "build phase failed: command `./build.sh PublishSampleApp` exited with 1")
            : Task.FromResult(ActionOutcome.Done("ok")));

        var failure = await Assert.ThrowsAsync<PipelineRunFailedException>(run.RunAsync);

        Assert.Equal("Build", failure.Stage);
        Assert.Equal("BuildAndTest", failure.Action);
        Assert.Contains("JobFailed", failure.Message, StringComparison.Ordinal);
        Assert.Contains("./build.sh PublishSampleApp", failure.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(run.Executor.Ran, a => a.StartsWith("Deploy", StringComparison.Ordinal));
        Assert.Contains("Build Failed: BuildAndTest: JobFailed", run.Output.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AFailingDeployAction_LetsItsNeighboursFinish_ThenStopsBeforeTheNextRunOrderAndStage()
    {
        var definition = LocalRunFixtures.Pipeline(("Deploy-wave1", [Dev, Test], false), ("Deploy-wave2", [Prod], false));
        using var run = new LocalRunUnderTest(definition, behaviour: async (action, _) =>
        {
            if (action.Action.Name == "dev-CreateChangeSet") throw new ActionFailedException("ValidationError", "Template format error: Unresolved resource dependencies [Missing]");
            if (action.Action.Name == "test-CreateChangeSet") await Task.Delay(200);
            return ActionOutcome.Done("ok");
        });

        var failure = await Assert.ThrowsAsync<PipelineRunFailedException>(run.RunAsync);

        Assert.Equal("Deploy-wave1", failure.Stage);
        Assert.Contains("Unresolved resource dependencies", failure.Message, StringComparison.Ordinal);
        Assert.Contains("Deploy-wave1 test-CreateChangeSet", run.Executor.Ran);
        Assert.DoesNotContain(run.Executor.Ran, a => a.Contains("ExecuteChangeSet", StringComparison.Ordinal));
        var state = await run.Pipeline.GetPipelineStateAsync("demo-pipeline");
        var wave = state.Stages.Single(s => s.StageName == "Deploy-wave1");
        Assert.Equal("Succeeded", wave.Actions.Single(a => a.ActionName == "test-CreateChangeSet").LatestExecution!.Status);
        Assert.Null(state.Stages.Single(s => s.StageName == "Deploy-wave2").LatestExecution);
    }

    [Fact]
    public async Task AnArtifactFromAnotherRegion_IsCopiedToTheActionsRegion_OncePerRegion()
    {
        var definition = LocalRunFixtures.Pipeline(("Deploy-wave1", [("a", "333333333333", "eu-west-1"), ("b", "444444444444", "eu-west-1")], false));
        using var run = new LocalRunUnderTest(definition, behaviour: (action, _) =>
        {
            if (action.Action.Name.EndsWith("CreateChangeSet", StringComparison.Ordinal))
            {
                Assert.All(action.Inputs, input => Assert.Equal("eu-west-1", input.Region));
            }

            return Task.FromResult(ActionOutcome.Done("ok"));
        });

        await run.RunAsync();

        Assert.Single(run.Store.Puts, p => p is ("eu-west-1", "BuildOutput"));
    }

    [Fact]
    public async Task OutputVariables_ReachALaterActionsConfiguration_AndAnUnknownOneFailsThatAction()
    {
        var source = LocalRunFixtures.Action("Source", "Source", ActionType.S3Source, outputs: ["Source"], ns: "SourceVariables");
        var build = LocalRunFixtures.Action("Build", "Build", ActionType.CodeBuild, inputs: ["Source"],
            configuration: new() { ["ProjectName"] = "p", ["EnvironmentVariables"] = "#{SourceVariables.VersionId} #{codepipeline.PipelineExecutionId}" });
        var broken = LocalRunFixtures.Action("Later", "Broken", ActionType.CodeBuild, inputs: ["Source"],
            configuration: new() { ["ProjectName"] = "#{Nowhere.Thing}" });
        var definition = LocalRunFixtures.Pipeline() with
        {
            Stages = [new("Source", [source]), new("Build", [build]), new("Later", [broken])],
        };
        string? seen = null;
        using var run = new LocalRunUnderTest(definition, behaviour: (action, _) =>
        {
            if (action.Action.Name == "Build") seen = action.Configuration["EnvironmentVariables"];
            return Task.FromResult(action.Action.Name == "Source"
                ? ActionOutcome.Done("ok") with { Variables = new Dictionary<string, string> { ["VersionId"] = "v42" } }
                : ActionOutcome.Done("ok"));
        });

        var failure = await Assert.ThrowsAsync<PipelineRunFailedException>(run.RunAsync);

        Assert.StartsWith("v42 ", seen, StringComparison.Ordinal);
        Assert.Equal(failure.PipelineExecutionId, seen!["v42 ".Length..]);
        Assert.Equal("Later", failure.Stage);
        Assert.Contains("#{Nowhere.Thing}", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnActionOnTheSourceArtifact_GetsTheSourcesRevision_AndOneOnABuildsOutputDoesNot()
    {
        var definition = LocalRunFixtures.Pipeline(("Deploy-dev", [Dev], false));
        var revisions = new System.Collections.Concurrent.ConcurrentDictionary<string, string?>();
        using var run = new LocalRunUnderTest(definition, behaviour: (action, _) =>
        {
            revisions[action.Action.Name] = action.SourceRevision;
            return Task.FromResult(ActionOutcome.Done("ok"));
        });

        await run.RunAsync();

        // CodeBuild's CODEBUILD_RESOLVED_SOURCE_VERSION: "for CodePipeline, the source revision provided by CodePipeline".
        Assert.Equal("v1", revisions["Source"]);
        Assert.Equal("v1", revisions["BuildAndTest"]);
        Assert.Null(revisions["CreateChangeSet"]);
    }

    [Fact]
    public async Task TheSecurityGate_ApprovesTheApprovalBesideIt_ThroughPutApprovalResult_BeforeTheRunsApprover()
    {
        var check = LocalRunFixtures.Action("Deploy-dev", "SecurityCheck-dev", ActionType.CodeBuild, 2, inputs: ["Source"]);
        var approval = LocalRunFixtures.Action("Deploy-dev", "SecurityApproval-dev", ActionType.ManualApproval, 2);
        var definition = LocalRunFixtures.Pipeline(("Deploy-dev", [Dev], false));
        var deploy = definition.Stages[2];
        definition = definition with { Stages = [.. definition.Stages.Take(2), deploy with { Actions = [.. deploy.Actions, check, approval] }] };
        using var run = new LocalRunUnderTest(definition, new NoApprover(), async (action, self) =>
        {
            if (action.Action.Name != "SecurityCheck-dev") return ActionOutcome.Done("ok");
            // What SecurityCheck does: read the approval's token from the pipeline's state, then answer it.
            for (var i = 0; i < 100; i++)
            {
                var state = await self.Pipeline.GetPipelineStateAsync("demo-pipeline");
                var waiting = state.Stages.Single(s => s.StageName == "Deploy-dev").Actions.Single(a => a.ActionName == "SecurityApproval-dev").LatestExecution;
                if (waiting?.Token is { } token)
                {
                    await self.Pipeline.PutApprovalResultAsync("demo-pipeline", "Deploy-dev", "SecurityApproval-dev", token, true, "nothing widens");
                    return ActionOutcome.Done("approved");
                }

                await Task.Delay(20);
            }

            throw new ActionFailedException("JobFailed", "no approval waited");
        });

        var result = await run.RunAsync();

        Assert.Equal(PipelineExecutionStatus.Succeeded, result.Status);
        var after = await run.Pipeline.GetPipelineStateAsync("demo-pipeline");
        var summary = after.Stages.Single(s => s.StageName == "Deploy-dev").Actions.Single(a => a.ActionName == "SecurityApproval-dev").LatestExecution!.Summary;
        Assert.Equal("nothing widens", summary);
        await Assert.ThrowsAsync<Amazon.Runtime.AmazonServiceException>(() =>
            run.Pipeline.PutApprovalResultAsync("demo-pipeline", "Deploy-dev", "SecurityApproval-dev", "stale-token", true, "late"));
    }

    [Fact]
    public async Task AnApprovalNoOneCanAnswer_FailsWithWhatToDo_InsteadOfWaitingForDays()
    {
        var definition = LocalRunFixtures.Pipeline(("Deploy-prod", [Prod], true));
        using var run = new LocalRunUnderTest(definition, new NoApprover());

        var failure = await Assert.ThrowsAsync<PipelineRunFailedException>(run.RunAsync);

        Assert.Equal("Deploy-prod", failure.Stage);
        Assert.Contains("--auto-approve", failure.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("approve", true, "")]
    [InlineData("  Approve ship it ", true, "ship it")]
    [InlineData("reject smoke test failed", false, "smoke test failed")]
    public void TerminalAnswers_AreRead(string line, bool approved, string summary)
    {
        var decision = TerminalApprover.Parse(line);

        Assert.NotNull(decision);
        Assert.Equal(approved, decision.Approved);
        Assert.Equal(summary, decision.Summary);
    }

    [Theory]
    [InlineData("reject")]
    [InlineData("maybe")]
    [InlineData("")]
    public void ARejectionWithoutAComment_OrAnythingElse_IsAskedAgain(string line) => Assert.Null(TerminalApprover.Parse(line));

    private sealed class Rejecting(string comment) : IApprovalDecider
    {
        public Task<ApprovalDecision> DecideAsync(ApprovalRequest request, Task neighboursDone, CancellationToken ct) =>
            Task.FromResult(new ApprovalDecision(false, comment, "the terminal"));
    }
}
