namespace PipelineKit.Tests.Deployment;

using System.Text.RegularExpressions;
using PipelineKit.Aws;
using PipelineKit.Deployment;
using PipelineKit.Testing;

/// <summary>A run converges from every state an interrupted or concurrent run leaves, keeps the user told while it waits,
/// and reads CloudFormation as AWS documents it (the fake follows AWS there: FakeCloudFormation.md).</summary>
public class StackDeployerConvergenceTests
{
    private const string Name = "hello-kit-primary";
    private const string Template = "Resources: {}\n";
    private static readonly StackLocation Location = new("123456789012", "us-east-1");
    private static readonly StackRef Ref = new("primary", Name, Location);

    private readonly VirtualTime time = new();
    private readonly RecordingObserver observer = new();
    private readonly FakeCloudFormation cfn;

    public StackDeployerConvergenceTests() => cfn = new FakeCloudFormation(time);

    private static StackDeployment Desired(string days = "30", string template = Template, IReadOnlyList<string>? capabilities = null) =>
        new(Name, Location, template, new Dictionary<string, string> { ["Days"] = days },
            new Dictionary<string, string> { ["pipelinekit:pipeline"] = "hello" }, true, capabilities ?? StackDeployment.NamedIam);

    private Task<StackResult> Deploy(StackDeployment? desired = null) =>
        new StackDeployer(time, PollingPolicy.Default, observer).DeployAsync(cfn, Ref, desired ?? Desired());

    /// <summary>Another run of the kit, with its own observer, on the same stack.</summary>
    private Task<StackResult> OtherRun(StackDeployment desired) =>
        new StackDeployer(time, PollingPolicy.Default, new RecordingObserver()).DeployAsync(cfn, Ref, desired);

    private async Task<IReadOnlyList<ChangeSetSummary>> ChangeSets() => (await cfn.ListChangeSetsAsync(Name)).Summaries;

    /// <summary>A run stopped after CreateChangeSet: its change set was described <paramref name="describes"/> times before the stop.</summary>
    private async Task InterruptedRunLeaves(ChangeSetType type, int describes, string name = "pipelinekit-20260101-000000-interrupted")
    {
        await cfn.CreateChangeSetAsync(new CreateChangeSetRequest(Name, name, type, Template, null, Desired().Parameters, Desired().Tags,
            StackDeployment.NamedIam, "interrupted-token"));
        for (var i = 0; i < describes; i++) await cfn.DescribeChangeSetAsync(Name, name);
    }

    [Theory]
    [InlineData(0, "CREATE_PENDING")]
    [InlineData(2, "CREATE_IN_PROGRESS")]
    [InlineData(3, "CREATE_COMPLETE")]
    public async Task Deploy_AfterARunStoppedBeforeExecutingANewStacksChangeSet_CreatesTheStack(int describes, string leftIn)
    {
        // AWS starts an execution asynchronously: the first read after ExecuteChangeSet may still say REVIEW_IN_PROGRESS.
        cfn.ExecutionStartsAfterDescribes = 1;
        await InterruptedRunLeaves(ChangeSetType.Create, describes);
        Assert.Equal(leftIn, Assert.Single(await ChangeSets()).Status.Value);

        var result = await Deploy();

        Assert.Equal(StackOutcome.Created, result.Outcome);
        Assert.Equal(StackStatus.CreateComplete, cfn.Peek(Name)!.Status);
        // CloudFormation removed the leftover when the new change set was executed; only the executed one is listed.
        var executed = Assert.Single(await ChangeSets());
        Assert.Equal("EXECUTE_COMPLETE", executed.ExecutionStatus);
        Assert.Single(cfn.MutatingCalls, c => c == "ExecuteChangeSet");
    }

    [Fact]
    public async Task Deploy_WhenAStackIsInReviewWithoutAnyChangeSet_CreatesIt()
    {
        cfn.ExecutionStartsAfterDescribes = 1;
        cfn.Seed(Name, StackStatus.ReviewInProgress, "");

        var result = await Deploy();

        Assert.Equal(StackOutcome.Created, result.Outcome);
    }

    [Fact]
    public async Task Deploy_WhenTheStackReadsReviewInProgressForAWhileAfterExecution_KeepsWaitingAsAwsWaitersDo()
    {
        cfn.ExecutionStartsAfterDescribes = 4;

        var result = await Deploy();

        Assert.Equal(StackOutcome.Created, result.Outcome);
        Assert.Equal(StackStatus.CreateComplete, result.Status);
    }

    [Fact]
    public async Task Deploy_WhenAnExecutedChangeSetNeverStarts_GivesUpAfterTheChangeSetDeadline()
    {
        cfn.ExecutionStartsAfterDescribes = int.MaxValue;
        var start = time.GetUtcNow();

        var error = await Assert.ThrowsAsync<DeploymentException>(() => Deploy());

        Assert.Equal(DeploymentErrorCode.Timeout, error.Code);
        Assert.Equal("the change set was executed, but the stack is still in REVIEW_IN_PROGRESS after 10m 00s", error.Reason);
        Assert.InRange(time.GetUtcNow() - start, PollingPolicy.Default.ChangeSetDeadline, PollingPolicy.Default.StackDeadline);
    }

    [Fact]
    public async Task Deploy_OfAnExistingStackWithALeftoverKitChangeSet_RemovesItAndUpdates()
    {
        cfn.Seed(Name, StackStatus.UpdateComplete, Template, Desired().Parameters, Desired().Tags, terminationProtection: true);
        await InterruptedRunLeaves(ChangeSetType.Update, describes: 3);

        var result = await Deploy(Desired(days: "60"));

        Assert.Equal(StackOutcome.Updated, result.Outcome);
        Assert.Contains("removing stale change set pipelinekit-20260101-000000-interrupted", observer.Progress);
    }

    [Fact]
    public async Task Deploy_ReadsEveryPageOfChangeSets_WhenRemovingStaleOnes()
    {
        cfn.Seed(Name, StackStatus.UpdateComplete, Template, Desired().Parameters, Desired().Tags, terminationProtection: true);
        cfn.ChangeSetPageSize = 1;
        foreach (var n in new[] { "a", "b", "c" }) await InterruptedRunLeaves(ChangeSetType.Update, describes: 3, name: "pipelinekit-" + n);

        await Deploy(Desired(days: "60"));

        Assert.Equal(["pipelinekit-a", "pipelinekit-b", "pipelinekit-c"],
            observer.Progress.Where(p => p.StartsWith("removing stale change set ", StringComparison.Ordinal)).Select(p => p.Split(' ')[^1]));
    }

    [Fact]
    public async Task Deploy_AfterAnUpdate_LeavesTheExecutedChangeSetAlone()
    {
        // AWS keeps the executed change set listed (EXECUTE_COMPLETE); it is history, not a leftover.
        await Deploy();
        var before = cfn.MutatingCalls.Count;

        await Deploy(Desired(days: "60"));

        Assert.DoesNotContain("DeleteChangeSet", cfn.MutatingCalls.Skip(before));
        Assert.DoesNotContain(observer.Progress, p => p.StartsWith("removing stale change set", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Deploy_LeavesAKitChangeSetThatIsBeingDeletedAlone()
    {
        cfn.Seed(Name, StackStatus.UpdateComplete, Template, Desired().Parameters, Desired().Tags, terminationProtection: true);
        await InterruptedRunLeaves(ChangeSetType.Update, describes: 3);
        await cfn.DeleteChangeSetAsync(Name, "pipelinekit-20260101-000000-interrupted");
        var before = cfn.MutatingCalls.Count;

        var result = await Deploy(Desired(days: "60"));

        Assert.Equal(StackOutcome.Updated, result.Outcome);
        Assert.Equal(["CreateChangeSet", "ExecuteChangeSet"], cfn.MutatingCalls.Skip(before));
    }

    [Fact]
    public async Task Deploy_WhenAnotherRunCreatesTheStackFirst_ReadsItAgainAndFindsItDeployed()
    {
        cfn.BeforeNext("CreateChangeSet", () =>
        {
            // A few seconds apart: the other run's change set has another name (the same request would be the same change set).
            time.Advance(TimeSpan.FromSeconds(5));
            return OtherRun(Desired());
        });

        var result = await Deploy();

        Assert.Equal(StackOutcome.Unchanged, result.Outcome);
        Assert.Contains("the stack changed while the change set was being created (ValidationError); reading the stack again", observer.Progress);
    }

    [Fact]
    public async Task Deploy_WhenAnotherRunHasJustExecutedItsCreate_WaitsForItAndFindsTheStackDeployed()
    {
        cfn.BeforeNext("CreateChangeSet", async () =>
        {
            await cfn.CreateChangeSetAsync(new CreateChangeSetRequest(Name, "pipelinekit-other", ChangeSetType.Create, Template, null,
                Desired().Parameters, Desired().Tags, StackDeployment.NamedIam, "other-token"));
            while ((await cfn.DescribeChangeSetAsync(Name, "pipelinekit-other")).Status.IsPending) { }
            await cfn.ExecuteChangeSetAsync(Name, "pipelinekit-other", "other-exec");
        });

        var result = await Deploy();

        Assert.Equal(StackOutcome.Unchanged, result.Outcome);
        Assert.Equal(StackStatus.CreateComplete, result.Status);
    }

    [Fact]
    public async Task Deploy_WhenAnotherRunExecutesItsOwnChangeSetFirst_StartsOverAndDeploysOnTopOfIt()
    {
        // The other run removes this run's change set as stale and executes its own; CloudFormation deletes the rest.
        cfn.BeforeNext("ExecuteChangeSet", () => OtherRun(Desired(days: "60")));

        var result = await Deploy();

        Assert.Equal(StackOutcome.Updated, result.Outcome);
        Assert.Equal("30", cfn.Peek(Name)!.Parameters["Days"]);
        Assert.Contains("another operation executed or removed the change set first (ChangeSetNotFound); reading the stack again", observer.Progress);
    }

    [Fact]
    public async Task Deploy_WhenSomeoneElseExecutesThisRunsChangeSet_WaitsForItAndReportsTheStackAsDeployed()
    {
        cfn.BeforeNext("ExecuteChangeSet", () => cfn.ExecuteChangeSetAsync(Name, cfn.ChangeSetRequests[^1].ChangeSetName, "someone-else"));

        var result = await Deploy();

        Assert.Equal(StackOutcome.Unchanged, result.Outcome);
        Assert.Equal(StackStatus.CreateComplete, result.Status);
        Assert.Contains(observer.Progress, p => p.Contains("(InvalidChangeSetStatus); reading the stack again", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Deploy_WhenAnUpdateStartsOnTheStackBeforeItsChangeSet_WaitsForThatUpdateAndDeploys()
    {
        cfn.Seed(Name, StackStatus.UpdateComplete, Template, Desired().Parameters, Desired().Tags, terminationProtection: true);
        cfn.BeforeNext("CreateChangeSet", () =>
        {
            cfn.Seed(Name, StackStatus.UpdateInProgress, Template, Desired(days: "7").Parameters, Desired().Tags, terminationProtection: true,
                settlesTo: StackStatus.UpdateComplete);
            return Task.CompletedTask;
        });

        var result = await Deploy(Desired(days: "60"));

        Assert.Equal(StackOutcome.Updated, result.Outcome);
        Assert.Equal("60", cfn.Peek(Name)!.Parameters["Days"]);
    }

    [Fact]
    public async Task Deploy_WhenTheStackKeepsChangingUnderIt_GivesUpAfterThreeAttemptsWithTheAwsError()
    {
        cfn.Seed(Name, StackStatus.UpdateComplete, Template, Desired().Parameters, Desired().Tags, terminationProtection: true);
        var interruptions = 0;
        void KeepBusy() => cfn.BeforeNext("CreateChangeSet", () =>
        {
            interruptions++;
            cfn.Seed(Name, StackStatus.UpdateInProgress, Template, Desired(days: "7").Parameters, Desired().Tags, settlesTo: StackStatus.UpdateComplete);
            KeepBusy();
            return Task.CompletedTask;
        });
        KeepBusy();

        var error = await Assert.ThrowsAsync<DeploymentException>(() => Deploy(Desired(days: "60")));

        Assert.Equal(DeploymentErrorCode.AwsError, error.Code);
        Assert.Equal("ValidationError", error.AwsErrorCode);
        Assert.Equal(ConcurrentChangeAttempts, interruptions);
    }

    private const int ConcurrentChangeAttempts = 3;

    [Fact]
    public async Task Deploy_WhileAnotherOperationRuns_ShowsAWaitingLineWithStatusAndTimeEveryMinute()
    {
        cfn.DescribesUntilSettled = 40;
        cfn.Seed(Name, StackStatus.UpdateInProgress, Template, Desired().Parameters, Desired().Tags, terminationProtection: true,
            settlesTo: StackStatus.UpdateComplete);

        await Deploy(Desired(days: "60"));

        var lines = observer.Events.OfType<StackProgress>()
            .Where(p => p.Message.StartsWith("waiting for the operation in progress to finish", StringComparison.Ordinal)).ToList();
        Assert.Equal("waiting for the operation in progress to finish (0s so far)", lines[0].Message);
        Assert.Contains(lines, l => Regex.IsMatch(l.Message, @"^waiting for the operation in progress to finish \(1m \d\ds so far\)$"));
        Assert.True(lines.Count >= 5, $"{lines.Count} waiting lines over {lines[^1].Time - lines[0].Time}");
        Assert.All(lines, l => Assert.Equal(StackStatus.UpdateInProgress, l.Status));
        Assert.All(lines.Zip(lines.Skip(1)), pair =>
            Assert.InRange(pair.Second.Time - pair.First.Time, TimeSpan.Zero, PollingPolicy.Default.ReportEvery + PollingPolicy.Default.Max));
    }

    [Fact]
    public async Task Deploy_WhileDeletingARolledBackStack_ShowsAWaitingLine()
    {
        cfn.DescribesUntilSettled = 30;
        cfn.Seed(Name, StackStatus.RollbackComplete, Template);

        await Deploy();

        Assert.Contains(observer.Events.OfType<StackProgress>(),
            p => Regex.IsMatch(p.Message, @"^waiting for the stack to be deleted \(1m \d\ds so far\)$") && p.Status == StackStatus.DeleteInProgress);
    }

    [Fact]
    public async Task Deploy_WhenMoreEventsArriveThanPagesUsedToBeRead_NamesTheEarliestFailureAndStreamsEveryEventOnce()
    {
        cfn.EventPageSize = 1;
        var resources = Enumerable.Range(1, 12).Select(n => $"Resource{n:00}").ToList();
        foreach (var r in resources) cfn.FailResource(r, $"{r} failed");

        var error = await Assert.ThrowsAsync<DeploymentException>(() => Deploy());

        Assert.Equal(
            "the change set ended in ROLLBACK_COMPLETE; first failure: Resource01 (AWS::S3::Bucket) CREATE_FAILED: Resource01 failed", error.Reason);
        var streamed = observer.Events.OfType<StackResourceEvent>().Select(e => e.Event).ToList();
        Assert.Equal(streamed.Select(e => e.EventId).Distinct().Count(), streamed.Count);
        Assert.All(resources, r => Assert.Contains(streamed, e => e.LogicalResourceId == r && e.ResourceStatus == "CREATE_IN_PROGRESS"));
    }

    [Fact]
    public async Task Deploy_WhenIamResourcesLackTheirCapability_FailsWithTheAwsCodeAndSaysItIsAKitBug()
    {
        var error = await Assert.ThrowsAsync<DeploymentException>(() =>
            Deploy(Desired(template: "Resources:\n  Role:\n    Type: AWS::IAM::Role\n    Properties:\n      RoleName: hello\n", capabilities: [])));

        Assert.Equal("InsufficientCapabilitiesException", error.AwsErrorCode);
        Assert.Equal("The template needs a capability the kit did not grant; report this as a kit bug.", error.NextStep);
    }

    [Fact]
    public async Task Deploy_WithATemplateExactlyAtTheInlineLimit_PassesItInline()
    {
        var atLimit = Template + new string('#', StackDeployer.MaxInlineTemplateBytes - Template.Length);

        var result = await Deploy(Desired(template: atLimit));

        Assert.Equal(StackOutcome.Created, result.Outcome);
        Assert.Equal(atLimit, cfn.ChangeSetRequests.Single().TemplateBody);
    }

    [Fact]
    public async Task Deploy_WhenDeletingARolledBackStackFails_QuotesCloudFormationsReason()
    {
        cfn.Seed(Name, StackStatus.RollbackComplete, Template);
        cfn.DeleteFails = true;

        var error = await Assert.ThrowsAsync<DeploymentException>(() => Deploy());

        Assert.Equal("deleting the stack left in ROLLBACK_COMPLETE ended in DELETE_FAILED (The following resource(s) failed to delete: [Bucket].)",
            error.Reason);
    }

    private StackDeployment NeedingOutDays => Desired() with { RequiredOutputs = ["OutDays"] };

    private void SeedAsDesiredWithoutOutputs() =>
        cfn.Seed(Name, StackStatus.UpdateComplete, Template, Desired().Parameters, Desired().Tags, new Dictionary<string, string>(),
            terminationProtection: true);

    [Fact]
    public async Task Deploy_WhenAStackAsDesiredLacksARequiredOutput_DeploysItAgain()
    {
        SeedAsDesiredWithoutOutputs();
        cfn.ChangesFor = (_, _) => [new ResourceChange("Modify", "Outputs", null, "Outputs", "False")];

        var result = await Deploy(NeedingOutDays);

        Assert.Equal(StackOutcome.Updated, result.Outcome);
        Assert.Equal("30", result.Outputs["OutDays"]);
        Assert.Contains("the stack lacks the output(s) OutDays; deploying it again", observer.Progress);
    }

    [Fact]
    public async Task Deploy_WhenCloudFormationFindsNothingToChangeAndAnOutputIsMissing_FailsNamingTheOutputAndWhatToCheck()
    {
        SeedAsDesiredWithoutOutputs();

        var error = await Assert.ThrowsAsync<DeploymentException>(() => Deploy(NeedingOutDays));

        Assert.Equal(DeploymentErrorCode.NeedsOperator, error.Code);
        Assert.Equal("the stack has no output OutDays, which the kit reads from it, and CloudFormation found nothing to change in it, " +
                     "so updating cannot add it.", error.Reason);
        Assert.StartsWith($"Check the Outputs of the deployed template (aws cloudformation get-template --stack-name {Name} --region us-east-1",
            error.NextStep);
    }

    [Fact]
    public async Task Deploy_WhenTheDeploymentStillLeavesARequiredOutputOut_FailsNamingIt()
    {
        cfn.OutputsFor = _ => new Dictionary<string, string>();

        var error = await Assert.ThrowsAsync<DeploymentException>(() => Deploy(NeedingOutDays));

        Assert.Equal("the stack has no output OutDays, which the kit reads from it, after the deployment.", error.Reason);
    }
}
