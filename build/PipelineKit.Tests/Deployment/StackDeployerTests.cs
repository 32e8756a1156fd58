namespace PipelineKit.Tests.Deployment;

using PipelineKit.Deployment;
using PipelineKit.Reporting;
using PipelineKit.Testing;
using PipelineKit.Aws;

public class StackDeployerTests
{
    private const string Name = "hello-kit-primary";
    private const string Template = "Resources: {}\n";
    private static readonly StackLocation Location = new("123456789012", "us-east-1");
    private static readonly StackRef Ref = new("primary", Name, Location);

    private readonly VirtualTime time = new();
    private readonly RecordingObserver observer = new();
    private readonly FakeCloudFormation cfn;

    public StackDeployerTests() => cfn = new FakeCloudFormation(time);

    private static StackDeployment Desired(string template = Template, string bucketDays = "30", bool protection = true,
        IReadOnlyDictionary<string, string>? tags = null) =>
        new(Name, Location, template, new Dictionary<string, string> { ["Days"] = bucketDays },
            tags ?? new Dictionary<string, string> { ["pipelinekit:pipeline"] = "hello" }, protection, StackDeployment.NamedIam);

    private StackDeployer Deployer(ITemplateStore? store = null) => new(time, PollingPolicy.Default, observer, store);

    private Task<StackResult> Deploy(StackDeployment? desired = null) => Deployer().DeployAsync(cfn, Ref, desired ?? Desired());

    private void SeedAsDesired(StackStatus status, bool protection = true) =>
        cfn.Seed(Name, status, Template, Desired().Parameters, Desired().Tags, new Dictionary<string, string> { ["OutDays"] = "30" }, protection);

    [Fact]
    public async Task Deploy_WhenStackDoesNotExist_CreatesItAndTurnsOnTerminationProtection()
    {
        var result = await Deploy();

        Assert.Equal(StackOutcome.Created, result.Outcome);
        Assert.Equal(StackStatus.CreateComplete, result.Status);
        Assert.Equal("30", result.Outputs["OutDays"]);
        Assert.True(cfn.Peek(Name)!.TerminationProtection);
        Assert.Equal(["CreateChangeSet", "ExecuteChangeSet", "UpdateTerminationProtection"], cfn.MutatingCalls);
        // The run lock's first-bootstrap gate opens on this: the stack's creation is under way for this run.
        Assert.True(Assert.Single(observer.Events.OfType<StackExecuting>()).Creating);
    }

    [Fact]
    public async Task Deploy_TwoStacksWithOneTemplateAtOneInstant_GetDifferentChangeSetNames()
    {
        // AWS scopes change-set names to their stack; an emulator that looks them up across the region must not mix them up.
        var other = new StackRef("other", "hello-kit-other", Location);

        // Each deployer's clock starts at the same instant, so both change sets are created in the same second.
        await new StackDeployer(new VirtualTime(), PollingPolicy.Default, observer).DeployAsync(cfn, Ref, Desired());
        await new StackDeployer(new VirtualTime(), PollingPolicy.Default, observer).DeployAsync(cfn, other, Desired() with { StackName = other.StackName });

        var names = cfn.ChangeSetRequests.Select(r => r.ChangeSetName).ToList();
        Assert.Equal(2, names.Count);
        Assert.NotEqual(names[0], names[1]);
        Assert.All(names, n => Assert.StartsWith(StackDeployer.ChangeSetPrefix, n));
    }

    [Fact]
    public async Task Deploy_WithAServiceRole_RunsTheChangeSetAsThatRole()
    {
        const string role = "arn:aws:iam::123456789012:role/hello-cfn-execution";

        await Deploy(Desired() with { RoleArn = role });

        Assert.Equal(role, cfn.RoleArnOf(Name));
    }

    [Fact]
    public async Task Deploy_WhenTemplateParametersTagsAndProtectionAreAsDeployed_MakesNoMutatingCall()
    {
        SeedAsDesired(StackStatus.UpdateComplete);

        var result = await Deploy();

        Assert.Equal(StackOutcome.Unchanged, result.Outcome);
        Assert.Empty(cfn.MutatingCalls);
        Assert.Equal(["DescribeStacks", "GetTemplate"], cfn.Calls);
        Assert.Equal("30", result.Outputs["OutDays"]);
    }

    [Fact]
    public async Task Deploy_WhenOnlyTerminationProtectionDiffers_SetsItWithoutAChangeSet()
    {
        SeedAsDesired(StackStatus.CreateComplete, protection: false);

        var result = await Deploy();

        Assert.Equal(StackOutcome.Unchanged, result.Outcome);
        Assert.Equal(["UpdateTerminationProtection"], cfn.MutatingCalls);
        Assert.True(cfn.Peek(Name)!.TerminationProtection);
    }

    [Fact]
    public async Task Deploy_WhenAParameterChanged_UpdatesThroughAChangeSet()
    {
        SeedAsDesired(StackStatus.CreateComplete);

        var result = await Deploy(Desired(bucketDays: "90"));

        Assert.Equal(StackOutcome.Updated, result.Outcome);
        Assert.Equal("90", cfn.Peek(Name)!.Parameters["Days"]);
        Assert.Equal(["CreateChangeSet", "ExecuteChangeSet"], cfn.MutatingCalls);
        Assert.Contains("differs from the deployed stack: parameter Days", observer.Progress);
        Assert.False(Assert.Single(observer.Events.OfType<StackExecuting>()).Creating);
    }

    [Fact]
    public async Task Deploy_WhenTheTemplateChanged_SaysFromWhichLine()
    {
        SeedAsDesired(StackStatus.CreateComplete);
        var desired = Desired();

        await Deploy(desired with { TemplateBody = desired.TemplateBody + "\n# one more line" });

        Assert.Contains(observer.Progress, p => p.StartsWith("differs from the deployed stack: template, from line ", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Deploy_WhenTagsChanged_Updates()
    {
        SeedAsDesired(StackStatus.CreateComplete);

        var result = await Deploy(Desired(tags: new Dictionary<string, string> { ["pipelinekit:pipeline"] = "hello", ["team"] = "a" }));

        Assert.Equal(StackOutcome.Updated, result.Outcome);
        Assert.Equal("a", cfn.Peek(Name)!.Tags["team"]);
        Assert.Contains("differs from the deployed stack: tags", observer.Progress);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Deploy_WhenChangeSetHasNoChanges_DeletesItAndReportsUnchanged(bool noUpdatesWording)
    {
        // AWS returns JSON templates re-serialized, so the text comparison sees a difference CloudFormation does not.
        SeedAsDesired(StackStatus.UpdateComplete);
        cfn.GetTemplateTransform = t => t + "# reformatted\n";
        cfn.UseNoUpdatesReason = noUpdatesWording;

        var result = await Deploy();

        Assert.Equal(StackOutcome.Unchanged, result.Outcome);
        Assert.Equal(["CreateChangeSet", "DeleteChangeSet"], cfn.MutatingCalls);
        Assert.Contains("no changes", observer.Progress);
    }

    [Fact]
    public async Task Deploy_WhenChangeSetHasNoChanges_StillTurnsTerminationProtectionBackOn()
    {
        // Someone turned protection off in the console; the kit's template differs from the deployed one only in form.
        SeedAsDesired(StackStatus.UpdateComplete, protection: false);
        cfn.GetTemplateTransform = t => t + "# reformatted\n";

        var result = await Deploy();

        Assert.Equal(StackOutcome.Unchanged, result.Outcome);
        Assert.True(cfn.Peek(Name)!.TerminationProtection);
        Assert.Equal(["CreateChangeSet", "DeleteChangeSet", "UpdateTerminationProtection"], cfn.MutatingCalls);
    }

    [Fact]
    public async Task Deploy_WhenAnUpdateRuns_TurnsTerminationProtectionOffWhereItIsNotWanted()
    {
        SeedAsDesired(StackStatus.UpdateComplete, protection: true);

        var result = await Deploy(Desired(template: "Resources: { Changed: {} }\n", protection: false));

        Assert.Equal(StackOutcome.Updated, result.Outcome);
        Assert.False(cfn.Peek(Name)!.TerminationProtection);
        Assert.Contains("turning termination protection off", observer.Progress);
    }

    [Fact]
    public async Task Deploy_WhenAnEmptyUpdateIsRefusedOutright_ReportsUnchanged()
    {
        SeedAsDesired(StackStatus.UpdateComplete);
        cfn.GetTemplateTransform = t => t + "# reformatted\n";
        cfn.RefuseEmptyUpdates = true;

        var result = await Deploy();

        Assert.Equal(StackOutcome.Unchanged, result.Outcome);
        Assert.Equal(["CreateChangeSet"], cfn.MutatingCalls);
    }

    [Fact]
    public async Task Deploy_WhenStackIsRollbackComplete_DeletesAndRecreates()
    {
        cfn.Seed(Name, StackStatus.RollbackComplete, Template);

        var result = await Deploy();

        Assert.Equal(StackOutcome.Recreated, result.Outcome);
        Assert.Equal(StackStatus.CreateComplete, result.Status);
        Assert.Contains("deleting the stack left in ROLLBACK_COMPLETE to create it again", observer.Progress);
        Assert.Equal(["DeleteStack", "CreateChangeSet", "ExecuteChangeSet", "UpdateTerminationProtection"], cfn.MutatingCalls);
    }

    [Fact]
    public async Task Deploy_WhenRolledBackStackIsProtected_TurnsProtectionOffBeforeDeleting()
    {
        cfn.Seed(Name, StackStatus.RollbackComplete, Template, terminationProtection: true);

        var result = await Deploy();

        Assert.Equal(StackOutcome.Recreated, result.Outcome);
        Assert.Equal(["UpdateTerminationProtection", "DeleteStack"], cfn.MutatingCalls.Take(2));
    }

    [Fact]
    public async Task Deploy_WhenDeletingRolledBackStackFails_SaysSoAndHowToFinish()
    {
        cfn.Seed(Name, StackStatus.RollbackComplete, Template);
        cfn.DeleteFails = true;

        var error = await Assert.ThrowsAsync<DeploymentException>(() => Deploy());

        Assert.Equal(DeploymentErrorCode.DeleteFailed, error.Code);
        Assert.StartsWith("Delete it by hand: aws cloudformation delete-stack --stack-name hello-kit-primary --region us-east-1", error.NextStep);
    }

    [Fact]
    public async Task Deploy_WhenStackIsReviewInProgress_ExecutesACreateChangeSetAndRemovesStaleOnes()
    {
        cfn.Seed(Name, StackStatus.ReviewInProgress, "");
        await cfn.CreateChangeSetAsync(new PipelineKit.Aws.CreateChangeSetRequest(Name, "pipelinekit-old", PipelineKit.Aws.ChangeSetType.Create,
            Template, null, new Dictionary<string, string>(), new Dictionary<string, string>(), [], "old-token"));
        while ((await cfn.DescribeChangeSetAsync(Name, "pipelinekit-old")).Status.IsPending) { }

        var result = await Deploy();

        Assert.Equal(StackOutcome.Created, result.Outcome);
        Assert.Contains("removing stale change set pipelinekit-old", observer.Progress);
    }

    [Fact]
    public async Task Deploy_LeavesAKitChangeSetThatIsStillBeingCreated_ForALaterRun()
    {
        // A run interrupted a moment ago: its change set is still CREATE_IN_PROGRESS, which DeleteChangeSet refuses.
        SeedAsDesired(StackStatus.UpdateComplete);
        await cfn.CreateChangeSetAsync(new PipelineKit.Aws.CreateChangeSetRequest(Name, "pipelinekit-interrupted", PipelineKit.Aws.ChangeSetType.Update,
            "Resources: { Changed: {} }\n", null, Desired().Parameters, Desired().Tags, [], "interrupted-token"));

        var result = await Deploy(Desired(template: "Resources: { Changed: {} }\n"));

        Assert.Equal(StackOutcome.Updated, result.Outcome);
        Assert.DoesNotContain("DeleteChangeSet", cfn.MutatingCalls);
    }

    [Fact]
    public async Task Deploy_OneStackTwiceInOneSecondWithOtherParameters_UsesTwoChangeSetNames()
    {
        // primary, then policy:primary narrowing its grants: same stack, same template, other parameters, same second.
        await Deploy();
        await new StackDeployer(new VirtualTime(), PollingPolicy.Default, observer).DeployAsync(cfn, Ref, Desired(bucketDays: "60"));

        var names = cfn.ChangeSetRequests.Select(r => r.ChangeSetName).ToList();
        Assert.Equal(2, names.Count);
        Assert.NotEqual(names[0], names[1]);
        Assert.NotEqual(cfn.ChangeSetRequests[0].ClientToken, cfn.ChangeSetRequests[1].ClientToken);
        Assert.Equal("60", cfn.Peek(Name)!.Parameters["Days"]);
    }

    [Fact]
    public async Task Deploy_LeavesChangeSetsItDidNotCreateAlone()
    {
        SeedAsDesired(StackStatus.UpdateComplete);
        await cfn.CreateChangeSetAsync(new PipelineKit.Aws.CreateChangeSetRequest(Name, "someone-elses", PipelineKit.Aws.ChangeSetType.Update,
            "other", null, new Dictionary<string, string>(), new Dictionary<string, string>(), [], "their-token"));

        await Deploy(Desired(bucketDays: "7"));

        Assert.DoesNotContain(observer.Progress, p => p.Contains("someone-elses"));
    }

    [Fact]
    public async Task Deploy_WhenStackIsUpdateRollbackFailed_RefusesWithTheContinueRollbackCommand()
    {
        cfn.Seed(Name, StackStatus.UpdateRollbackFailed, Template);

        var error = await Assert.ThrowsAsync<DeploymentException>(() => Deploy());

        Assert.Equal(DeploymentErrorCode.NeedsOperator, error.Code);
        Assert.Equal("hello-kit-primary (123456789012/us-east-1): the stack is in UPDATE_ROLLBACK_FAILED; the kit will not change it.", error.Message);
        Assert.Equal(
            "Continue the rollback: aws cloudformation continue-update-rollback --stack-name hello-kit-primary --region us-east-1 " +
            "(with credentials for account 123456789012); add --resources-to-skip for resources that cannot roll back. Then re-run.",
            error.NextStep);
        Assert.Empty(cfn.MutatingCalls);
    }

    [Fact]
    public async Task Deploy_WhenAnotherOperationIsInProgress_WaitsForItThenDeploys()
    {
        cfn.Seed(Name, StackStatus.UpdateInProgress, Template, Desired().Parameters, Desired().Tags, terminationProtection: true,
            settlesTo: StackStatus.UpdateComplete);

        var result = await Deploy(Desired(bucketDays: "60"));

        Assert.Equal(StackOutcome.Updated, result.Outcome);
        Assert.Contains(observer.Events.OfType<StackProgress>(),
            p => p.Message == "waiting for the operation in progress to finish (0s so far)" && p.Status == StackStatus.UpdateInProgress);
    }

    [Fact]
    public async Task Deploy_WhenTheStackNeverSettles_GivesUpAtTheDeadline()
    {
        cfn.Seed(Name, StackStatus.UpdateInProgress, Template);
        var start = time.GetUtcNow();

        var error = await Assert.ThrowsAsync<DeploymentException>(() => Deploy());

        Assert.Equal(DeploymentErrorCode.Timeout, error.Code);
        var waited = time.GetUtcNow() - start;
        Assert.InRange(waited, PollingPolicy.Default.StackDeadline, PollingPolicy.Default.StackDeadline + PollingPolicy.Default.Max);
    }

    [Fact]
    public async Task Deploy_WhenAResourceFailsOnCreate_NamesTheFirstFailingResourceAndItsReason()
    {
        cfn.FailResource("ArtifactBucket", "hello-artifacts already exists");

        var error = await Assert.ThrowsAsync<DeploymentException>(() => Deploy());

        Assert.Equal(DeploymentErrorCode.StackFailed, error.Code);
        Assert.Equal(StackStatus.RollbackComplete, error.Status);
        Assert.Equal("the change set ended in ROLLBACK_COMPLETE; first failure: ArtifactBucket (AWS::S3::Bucket) CREATE_FAILED: hello-artifacts already exists",
            error.Reason);
        // A name taken by a resource the stack does not retain: running again would fail the same way.
        Assert.StartsWith("ArtifactBucket (AWS::S3::Bucket) is created under a fixed name that exists outside the stack, and the kit does not import it; " +
            "running again fails the same way.", error.NextStep);
    }

    [Fact]
    public async Task Deploy_AfterAFailedCreate_ReRunRecreatesTheStack()
    {
        cfn.FailResource("ArtifactBucket", "boom");
        await Assert.ThrowsAsync<DeploymentException>(() => Deploy());

        var result = await Deploy();

        Assert.Equal(StackOutcome.Recreated, result.Outcome);
    }

    [Fact]
    public async Task Deploy_WhenAResourceFailsOnUpdate_ReportsTheRollbackAndThatTheStackIsBack()
    {
        SeedAsDesired(StackStatus.UpdateComplete);
        cfn.FailResource("ArtifactBucket", "Access Denied");

        var error = await Assert.ThrowsAsync<DeploymentException>(() => Deploy(Desired(bucketDays: "5")));

        Assert.Equal(StackStatus.UpdateRollbackComplete, error.Status);
        Assert.Contains("ArtifactBucket (AWS::S3::Bucket) UPDATE_FAILED: Access Denied", error.Reason);
        Assert.Equal("The stack is back at its previous state. Fix the cause above and re-run.", error.NextStep);
        Assert.Equal("30", cfn.Peek(Name)!.Parameters["Days"]);
    }

    [Fact]
    public async Task Deploy_WhenTheRollbackFails_SaysHowToContinueIt()
    {
        SeedAsDesired(StackStatus.UpdateComplete);
        cfn.FailResource("ArtifactBucket", "Access Denied");
        cfn.RollbackFails = true;

        var error = await Assert.ThrowsAsync<DeploymentException>(() => Deploy(Desired(bucketDays: "5")));

        Assert.Equal(StackStatus.UpdateRollbackFailed, error.Status);
        Assert.StartsWith("Continue the rollback: aws cloudformation continue-update-rollback", error.NextStep);
    }

    [Fact]
    public async Task Deploy_WhenCloudFormationRejectsTheChangeSet_ReportsItsReasonAndDeletesIt()
    {
        SeedAsDesired(StackStatus.UpdateComplete);
        cfn.RejectChangeSetsWith = "Parameter 'Days' must be a number";

        var error = await Assert.ThrowsAsync<DeploymentException>(() => Deploy(Desired(bucketDays: "x")));

        Assert.Equal(DeploymentErrorCode.ChangeSetFailed, error.Code);
        Assert.Equal("CloudFormation rejected the change set: Parameter 'Days' must be a number", error.Reason);
        Assert.Contains("DeleteChangeSet", cfn.MutatingCalls);
    }

    [Fact]
    public async Task Deploy_ReportsEachStackStatusOnceWhileTheChangeSetRuns()
    {
        cfn.DescribesUntilSettled = 5;

        await Deploy();

        Assert.Equal([StackStatus.CreateInProgress, StackStatus.CreateComplete],
            observer.Events.OfType<StackProgress>().Where(p => p.Message.StartsWith("change set running", StringComparison.Ordinal))
                .Select(p => p.Status!.Value));
    }

    [Fact]
    public async Task Deploy_StreamsEveryNewEventOnceInTheOrderCloudFormationRecordedThem()
    {
        SeedAsDesired(StackStatus.UpdateComplete);
        cfn.EventPageSize = 2;

        await Deploy(Desired(bucketDays: "1"));

        var streamed = observer.Events.OfType<StackResourceEvent>().Select(e => e.Event).ToList();
        Assert.Equal(streamed.Select(e => e.EventId).Distinct().Count(), streamed.Count);
        Assert.Equal(["UPDATE_IN_PROGRESS", "UPDATE_IN_PROGRESS", "UPDATE_COMPLETE", "UPDATE_COMPLETE"],
            streamed.Select(e => e.ResourceStatus));
        Assert.Equal(streamed.OrderBy(e => int.Parse(e.EventId[3..])).Select(e => e.EventId), streamed.Select(e => e.EventId));
    }

    [Fact]
    public async Task Deploy_WhenThrottledWhileWaiting_KeepsWaiting()
    {
        foreach (var read in new[] { "DescribeStacks", "GetTemplate", "ListChangeSets", "DescribeChangeSet", "DescribeStackEvents" })
        {
            cfn.Throttle(read, 2);
        }

        SeedAsDesired(StackStatus.UpdateComplete);

        var result = await Deploy(Desired(bucketDays: "45"));

        Assert.Equal(StackOutcome.Updated, result.Outcome);
    }

    [Fact]
    public async Task Deploy_WhenThrottledOnAMutatingCall_FailsWithTheAwsCodeAndAResumeHint()
    {
        cfn.Throttle("CreateChangeSet", 1);

        var error = await Assert.ThrowsAsync<DeploymentException>(() => Deploy());

        Assert.Equal(DeploymentErrorCode.AwsError, error.Code);
        Assert.Equal("Throttling", error.AwsErrorCode);
        Assert.StartsWith("Re-run; the kit resumes", error.NextStep);
    }

    [Fact]
    public async Task Deploy_WhenTemplateIsOverTheInlineLimit_PassesItByUrl()
    {
        var store = new RecordingTemplateStore();
        var big = "Resources: {}\n" + new string('#', StackDeployer.MaxInlineTemplateBytes);

        var result = await Deployer(store).DeployAsync(cfn, Ref, Desired(template: big));

        Assert.Equal(StackOutcome.Created, result.Outcome);
        Assert.Equal(1, store.Uploads);
    }

    [Fact]
    public async Task Deploy_WhenTemplateIsOverTheInlineLimitAndNoStoreExists_SaysWhatToDeployFirst()
    {
        var big = new string('#', StackDeployer.MaxInlineTemplateBytes + 1);

        var error = await Assert.ThrowsAsync<DeploymentException>(() => Deploy(Desired(template: big)));

        Assert.Equal(DeploymentErrorCode.TemplateTooLarge, error.Code);
        Assert.Empty(cfn.MutatingCalls);
    }

    [Fact]
    public async Task Preview_CreatesDescribesAndDeletesTheChangeSetWithoutExecuting()
    {
        SeedAsDesired(StackStatus.UpdateComplete);

        var preview = await Deployer().PreviewAsync(cfn, Ref, Desired(bucketDays: "3"));

        Assert.NotNull(preview);
        Assert.Contains(preview.Changes, c => c.LogicalResourceId == "Parameter:Days");
        Assert.Equal(["CreateChangeSet", "DeleteChangeSet"], cfn.MutatingCalls);
        Assert.Equal("30", cfn.Peek(Name)!.Parameters["Days"]);
    }

    // Every documented starting status: what the deployer does with a stack found in it.
    public static TheoryData<string, string?, string> StartingStatuses => new()
    {
        // status, settles to (in progress), expected outcome or error code
        { "CREATE_IN_PROGRESS", "CREATE_COMPLETE", "Updated" },
        { "CREATE_FAILED", null, "Recreated" },
        { "CREATE_COMPLETE", null, "Updated" },
        { "ROLLBACK_IN_PROGRESS", "ROLLBACK_COMPLETE", "Recreated" },
        { "ROLLBACK_FAILED", null, "NeedsOperator" },
        { "ROLLBACK_COMPLETE", null, "Recreated" },
        { "DELETE_IN_PROGRESS", "DELETE_COMPLETE", "Created" },
        { "DELETE_FAILED", null, "NeedsOperator" },
        { "DELETE_COMPLETE", null, "Created" },
        { "UPDATE_IN_PROGRESS", "UPDATE_COMPLETE", "Updated" },
        { "UPDATE_COMPLETE_CLEANUP_IN_PROGRESS", "UPDATE_COMPLETE", "Updated" },
        { "UPDATE_COMPLETE", null, "Updated" },
        { "UPDATE_FAILED", null, "Updated" },
        { "UPDATE_ROLLBACK_IN_PROGRESS", "UPDATE_ROLLBACK_COMPLETE", "Updated" },
        { "UPDATE_ROLLBACK_FAILED", null, "NeedsOperator" },
        { "UPDATE_ROLLBACK_COMPLETE_CLEANUP_IN_PROGRESS", "UPDATE_ROLLBACK_COMPLETE", "Updated" },
        { "UPDATE_ROLLBACK_COMPLETE", null, "Updated" },
        { "REVIEW_IN_PROGRESS", null, "Created" },
        { "IMPORT_IN_PROGRESS", "IMPORT_COMPLETE", "Updated" },
        { "IMPORT_COMPLETE", null, "Updated" },
        { "IMPORT_ROLLBACK_IN_PROGRESS", "IMPORT_ROLLBACK_COMPLETE", "Updated" },
        { "IMPORT_ROLLBACK_FAILED", null, "NeedsOperator" },
        { "IMPORT_ROLLBACK_COMPLETE", null, "Updated" },
    };

    [Fact]
    public void StartingStatuses_CoverEveryDocumentedStatus() =>
        Assert.Equal(StackStatus.All.Select(s => s.Value).Order(), StartingStatuses.Select(r => (string)r[0]).Order());

    [Theory]
    [MemberData(nameof(StartingStatuses))]
    public async Task Deploy_FromEveryStartingStatus_CreatesUpdatesRecreatesOrRefuses(string status, string? settlesTo, string expected)
    {
        cfn.Seed(Name, new StackStatus(status), "old template", settlesTo: settlesTo is null ? null : new StackStatus(settlesTo));

        if (Enum.TryParse<StackOutcome>(expected, out var outcome))
        {
            var result = await Deploy();
            Assert.Equal(outcome, result.Outcome);
            Assert.Equal(Template, await cfn.GetTemplateBodyAsync(Name));
        }
        else
        {
            var error = await Assert.ThrowsAsync<DeploymentException>(() => Deploy());
            Assert.Equal(Enum.Parse<DeploymentErrorCode>(expected), error.Code);
            Assert.DoesNotContain("CreateChangeSet", cfn.MutatingCalls);
        }
    }

    private sealed class RecordingTemplateStore : ITemplateStore
    {
        public int Uploads { get; private set; }

        public Task<string> UploadAsync(StackDeployment deployment, CancellationToken ct = default)
        {
            Uploads++;
            return Task.FromResult("https://bucket.s3.amazonaws.com/templates/" + deployment.StackName);
        }
    }
}
