namespace PipelineKit.Tests.Fakes;

using PipelineKit.Testing;

using Amazon.Runtime;
using PipelineKit.Aws;
using PipelineKit.Deployment;

/// <summary>Checks the rules of FakeCloudFormation.md, so the deployer's tests stand on a fake that behaves like AWS.</summary>
public class FakeCloudFormationTests
{
    private readonly FakeCloudFormation cfn = new(new VirtualTime());

    private static CreateChangeSetRequest Request(ChangeSetType type, string name = "cs1", string token = "t1", string template = "T",
        string value = "1") =>
        new("s", name, type, template, null, new Dictionary<string, string> { ["P"] = value }, new Dictionary<string, string>(), [], token);

    private async Task<ChangeSetDescription> Ready(string name = "cs1")
    {
        ChangeSetDescription d;
        do d = await cfn.DescribeChangeSetAsync("s", name);
        while (d.Status.IsPending);
        return d;
    }

    private async Task<StackDescription> Settled()
    {
        StackDescription? d;
        do d = await cfn.DescribeStackAsync("s");
        while (d!.Status.IsInProgress);
        return d;
    }

    [Fact]
    public async Task DescribeStack_OfAnUnknownStack_IsNull() => Assert.Null(await cfn.DescribeStackAsync("nope"));

    [Fact]
    public async Task CreateChangeSet_OfTypeCreate_MakesAReviewInProgressStack()
    {
        await cfn.CreateChangeSetAsync(Request(ChangeSetType.Create));

        Assert.Equal(StackStatus.ReviewInProgress, (await cfn.DescribeStackAsync("s"))!.Status);
        Assert.Equal(ChangeSetStatus.CreatePending, (await cfn.DescribeChangeSetAsync("s", "cs1")).Status);
        Assert.Equal(ChangeSetStatus.CreateInProgress, (await cfn.DescribeChangeSetAsync("s", "cs1")).Status);
        Assert.Equal(ChangeSetStatus.CreateComplete, (await cfn.DescribeChangeSetAsync("s", "cs1")).Status);
    }

    [Fact]
    public async Task DeleteChangeSet_WhileItIsBeingCreated_IsRefused_AndOnceSettledRemovesIt()
    {
        await cfn.CreateChangeSetAsync(Request(ChangeSetType.Create));

        var e = await Assert.ThrowsAsync<AmazonServiceException>(() => cfn.DeleteChangeSetAsync("s", "cs1"));
        Assert.Equal("InvalidChangeSetStatus", e.ErrorCode);

        await Ready();
        await cfn.DeleteChangeSetAsync("s", "cs1");
        var again = await Assert.ThrowsAsync<AmazonServiceException>(() => cfn.DeleteChangeSetAsync("s", "cs1"));

        Assert.Equal("InvalidChangeSetStatus", again.ErrorCode);
        Assert.Equal(ChangeSetStatus.DeletePending, Assert.Single((await cfn.ListChangeSetsAsync("s")).Summaries).Status);
        Assert.Equal(ChangeSetStatus.DeleteInProgress, (await cfn.DescribeChangeSetAsync("s", "cs1")).Status);
        Assert.Empty((await cfn.ListChangeSetsAsync("s")).Summaries);
        Assert.Equal("ChangeSetNotFound",
            (await Assert.ThrowsAsync<AmazonServiceException>(() => cfn.DescribeChangeSetAsync("s", "cs1"))).ErrorCode);
    }

    [Fact]
    public async Task CreateChangeSet_OfTypeCreateOnAnExistingStack_IsAValidationErrorSayingItExists()
    {
        cfn.Seed("s", StackStatus.CreateComplete);

        var e = await Assert.ThrowsAsync<AmazonServiceException>(() => cfn.CreateChangeSetAsync(Request(ChangeSetType.Create)));

        Assert.Equal("ValidationError", e.ErrorCode);
        Assert.Equal("Stack [s] already exists and cannot be created again with the changeSet [cs1].", e.Message);
    }

    [Theory]
    [InlineData("Type: AWS::IAM::Role", new string[0], "CAPABILITY_IAM")]
    [InlineData("Type: AWS::IAM::Role\n  RoleName: x", new string[0], "CAPABILITY_NAMED_IAM")]
    [InlineData("Type: AWS::IAM::Role\n  RoleName: x", new[] { "CAPABILITY_IAM" }, "CAPABILITY_NAMED_IAM")]
    public async Task CreateChangeSet_WithIamResourcesAndNoCapabilityForThem_IsInsufficientCapabilities(
        string template, string[] capabilities, string required)
    {
        var request = Request(ChangeSetType.Create, template: template) with { Capabilities = capabilities };

        var e = await Assert.ThrowsAsync<AmazonServiceException>(() => cfn.CreateChangeSetAsync(request));

        Assert.Equal("InsufficientCapabilitiesException", e.ErrorCode);
        Assert.Equal($"Requires capabilities : [{required}]", e.Message);
        Assert.Null(await cfn.DescribeStackAsync("s"));
    }

    [Theory]
    [InlineData("CAPABILITY_IAM")]
    [InlineData("CAPABILITY_NAMED_IAM")]
    public async Task CreateChangeSet_WithIamResourcesAndTheCapability_IsAccepted(string capability)
    {
        var request = Request(ChangeSetType.Create, template: "Type: AWS::IAM::Role") with { Capabilities = [capability] };

        await cfn.CreateChangeSetAsync(request);

        Assert.Equal(ChangeSetStatus.CreateComplete, (await Ready()).Status);
    }

    [Fact]
    public async Task CreateChangeSet_WithATemplateBodyOverTheInlineLimit_IsAValidationError()
    {
        var atLimit = new string('#', StackDeployer.MaxInlineTemplateBytes);
        await cfn.CreateChangeSetAsync(Request(ChangeSetType.Create, template: atLimit));

        var e = await Assert.ThrowsAsync<AmazonServiceException>(
            () => cfn.CreateChangeSetAsync(Request(ChangeSetType.Create, name: "cs2", token: "t2", template: atLimit + "#")));

        Assert.Equal("ValidationError", e.ErrorCode);
        Assert.Contains("Member must have length less than or equal to 51200", e.Message);
    }

    [Fact]
    public async Task ListChangeSets_PagesWithANextToken()
    {
        cfn.ChangeSetPageSize = 1;
        await cfn.CreateChangeSetAsync(Request(ChangeSetType.Create));
        await cfn.CreateChangeSetAsync(Request(ChangeSetType.Create, name: "cs2", token: "t2"));

        var first = await cfn.ListChangeSetsAsync("s");
        var second = await cfn.ListChangeSetsAsync("s", first.NextToken);

        Assert.Equal(["cs1"], first.Summaries.Select(c => c.ChangeSetName));
        Assert.Equal(["cs2"], second.Summaries.Select(c => c.ChangeSetName));
        Assert.Null(second.NextToken);
    }

    [Fact]
    public async Task CreateChangeSet_OfTypeUpdateOnAnUnknownStack_IsAValidationError()
    {
        var e = await Assert.ThrowsAsync<AmazonServiceException>(() => cfn.CreateChangeSetAsync(Request(ChangeSetType.Update)));

        Assert.Equal("ValidationError", e.ErrorCode);
        Assert.Equal("Stack [s] does not exist", e.Message);
    }

    [Fact]
    public async Task CreateChangeSet_OnARolledBackStack_CannotUpdate()
    {
        cfn.Seed("s", StackStatus.RollbackComplete);

        var e = await Assert.ThrowsAsync<AmazonServiceException>(() => cfn.CreateChangeSetAsync(Request(ChangeSetType.Update)));

        Assert.EndsWith("is in ROLLBACK_COMPLETE state and can not be updated.", e.Message);
    }

    [Fact]
    public async Task CreateChangeSet_WithTheSameClientToken_IsIdempotent_AndAnotherTokenIsRejected()
    {
        var first = await cfn.CreateChangeSetAsync(Request(ChangeSetType.Create));

        var again = await cfn.CreateChangeSetAsync(Request(ChangeSetType.Create));
        var e = await Assert.ThrowsAsync<AmazonServiceException>(() => cfn.CreateChangeSetAsync(Request(ChangeSetType.Create, token: "t2")));

        Assert.Equal(first, again);
        Assert.Equal("AlreadyExistsException", e.ErrorCode);
    }

    [Theory]
    [InlineData(false, FakeCloudFormation.NoChangesReason)]
    [InlineData(true, FakeCloudFormation.NoUpdatesReason)]
    public async Task ChangeSet_WithoutDifferences_FailsWithTheNoChangesReason(bool noUpdates, string reason)
    {
        cfn.Seed("s", StackStatus.UpdateComplete, "T", new Dictionary<string, string> { ["P"] = "1" });
        cfn.UseNoUpdatesReason = noUpdates;
        await cfn.CreateChangeSetAsync(Request(ChangeSetType.Update));

        var d = await Ready();

        Assert.Equal(ChangeSetStatus.Failed, d.Status);
        Assert.Equal(reason, d.StatusReason);
    }

    [Fact]
    public async Task ExecuteChangeSet_TakesTheStackThroughInProgressToCompleteWithOutputs()
    {
        await cfn.CreateChangeSetAsync(Request(ChangeSetType.Create));
        await Ready();

        await cfn.ExecuteChangeSetAsync("s", "cs1", "x");

        Assert.Equal(StackStatus.CreateInProgress, (await cfn.DescribeStackAsync("s"))!.Status);
        var done = await Settled();
        Assert.Equal(StackStatus.CreateComplete, done.Status);
        Assert.Equal("1", done.Outputs["OutP"]);
        Assert.Null(done.StatusReason);
    }

    [Fact]
    public async Task ExecuteChangeSet_KeepsTheExecutedChangeSetListedAsExecuted_AndRemovesTheOthers()
    {
        await cfn.CreateChangeSetAsync(Request(ChangeSetType.Create));
        await cfn.CreateChangeSetAsync(Request(ChangeSetType.Create, name: "cs2", token: "t2"));
        await Ready();

        await cfn.ExecuteChangeSetAsync("s", "cs1", "x");
        var running = Assert.Single((await cfn.ListChangeSetsAsync("s")).Summaries);
        await Settled();
        var executed = Assert.Single((await cfn.ListChangeSetsAsync("s")).Summaries);

        Assert.Equal(("cs1", "EXECUTE_IN_PROGRESS"), (running.ChangeSetName, running.ExecutionStatus));
        Assert.Equal(("cs1", "EXECUTE_COMPLETE", ChangeSetStatus.CreateComplete), (executed.ChangeSetName, executed.ExecutionStatus, executed.Status));
    }

    [Fact]
    public async Task ExecuteChangeSet_AgainWithItsToken_IsARetry_AndWithAnotherIsInvalidChangeSetStatus()
    {
        await cfn.CreateChangeSetAsync(Request(ChangeSetType.Create));
        await Ready();
        await cfn.ExecuteChangeSetAsync("s", "cs1", "x");

        await cfn.ExecuteChangeSetAsync("s", "cs1", "x");
        var e = await Assert.ThrowsAsync<AmazonServiceException>(() => cfn.ExecuteChangeSetAsync("s", "cs1", "other-run"));

        Assert.Equal("InvalidChangeSetStatus", e.ErrorCode);
        Assert.Equal(StackStatus.CreateComplete, (await Settled()).Status);
    }

    [Fact]
    public async Task ExecuteChangeSet_WithAStartDelay_LeavesTheStackInReviewForThoseDescribes()
    {
        cfn.ExecutionStartsAfterDescribes = 2;
        await cfn.CreateChangeSetAsync(Request(ChangeSetType.Create));
        await Ready();

        await cfn.ExecuteChangeSetAsync("s", "cs1", "x");

        Assert.Equal(StackStatus.ReviewInProgress, (await cfn.DescribeStackAsync("s"))!.Status);
        Assert.Equal(StackStatus.ReviewInProgress, (await cfn.DescribeStackAsync("s"))!.Status);
        var started = (await cfn.DescribeStackAsync("s"))!;
        Assert.Equal((StackStatus.CreateInProgress, "User Initiated"), (started.Status, started.StatusReason));
        Assert.Equal(StackStatus.CreateComplete, (await Settled()).Status);
    }

    [Fact]
    public async Task BeforeNext_RunsTheOtherRunOnceBeforeThatCall()
    {
        var ran = 0;
        cfn.BeforeNext("DescribeStacks", () => { ran++; cfn.Seed("s", StackStatus.CreateComplete); return Task.CompletedTask; });

        var first = await cfn.DescribeStackAsync("s");
        await cfn.DescribeStackAsync("s");

        Assert.Equal(StackStatus.CreateComplete, first!.Status);
        Assert.Equal(1, ran);
    }

    [Fact]
    public async Task ExecuteChangeSet_ThatIsNotReady_IsInvalidChangeSetStatus()
    {
        await cfn.CreateChangeSetAsync(Request(ChangeSetType.Create));

        var e = await Assert.ThrowsAsync<AmazonServiceException>(() => cfn.ExecuteChangeSetAsync("s", "cs1", "x"));

        Assert.Equal("InvalidChangeSetStatus", e.ErrorCode);
    }

    [Fact]
    public async Task FailedResource_OnCreate_RollsBackWithAFailureAndACollateralEvent()
    {
        cfn.FailResource("Bucket", "exists");
        await cfn.CreateChangeSetAsync(Request(ChangeSetType.Create));
        await Ready();
        await cfn.ExecuteChangeSetAsync("s", "cs1", "x");

        var done = await Settled();
        var events = (await cfn.DescribeStackEventsAsync("s")).Events;

        Assert.Equal(StackStatus.RollbackComplete, done.Status);
        Assert.Equal("The following resource(s) failed to create: [Bucket].", done.StatusReason);
        Assert.Equal("EXECUTE_FAILED", Assert.Single((await cfn.ListChangeSetsAsync("s")).Summaries).ExecutionStatus);
        Assert.Contains(events, e => e.LogicalResourceId == "Bucket" && e.ResourceStatus == "CREATE_FAILED" && e.ResourceStatusReason == "exists");
        Assert.Contains(events, e => e.ResourceStatusReason == "Resource creation cancelled");
    }

    [Fact]
    public async Task FailedResource_OnUpdate_KeepsThePreviousParameters()
    {
        cfn.Seed("s", StackStatus.UpdateComplete, "T", new Dictionary<string, string> { ["P"] = "1" });
        cfn.FailResource("Bucket", "denied");
        await cfn.CreateChangeSetAsync(Request(ChangeSetType.Update, value: "2"));
        await Ready();
        await cfn.ExecuteChangeSetAsync("s", "cs1", "x");

        var done = await Settled();

        Assert.Equal(StackStatus.UpdateRollbackComplete, done.Status);
        Assert.Equal("The following resource(s) failed to update: [Bucket].", done.StatusReason);
        Assert.Equal("1", done.Parameters["P"]);
    }

    [Fact]
    public async Task DeleteStack_ThatFails_SaysWhichResourcesInTheStatusReason()
    {
        cfn.Seed("s", StackStatus.CreateComplete);
        cfn.DeleteFails = true;

        await cfn.DeleteStackAsync("s", "d");
        var deleting = await cfn.DescribeStackAsync("s");

        Assert.Equal("User Initiated", deleting!.StatusReason);
        Assert.Equal(("The following resource(s) failed to delete: [Bucket].", StackStatus.DeleteFailed),
            ((await Settled()).StatusReason, (await cfn.DescribeStackAsync("s"))!.Status));
    }

    [Fact]
    public async Task DeleteStack_WhileProtected_IsRefused_OtherwiseTheStackGoes()
    {
        cfn.Seed("s", StackStatus.CreateComplete, terminationProtection: true);

        var e = await Assert.ThrowsAsync<AmazonServiceException>(() => cfn.DeleteStackAsync("s", "d"));
        await cfn.UpdateTerminationProtectionAsync("s", false);
        await cfn.DeleteStackAsync("s", "d");

        Assert.Equal("Stack [s] cannot be deleted while TerminationProtection is enabled", e.Message);
        Assert.Equal(StackStatus.DeleteInProgress, (await cfn.DescribeStackAsync("s"))!.Status);
        Assert.Null(await cfn.DescribeStackAsync("s"));
    }

    [Fact]
    public async Task FakeCloud_ListsTheDeletionsItStarted_AcrossAccountsAndRegions_InOrder()
    {
        var cloud = new FakeCloud(new VirtualTime());
        var west = new StackLocation("222222222222", "us-west-2");
        var east = new StackLocation("123456789012", "us-east-1");
        cloud.At(west).Seed("app", StackStatus.CreateComplete);
        cloud.At(east).Seed("protected", StackStatus.CreateComplete, terminationProtection: true);
        cloud.At(east).Seed("primary", StackStatus.CreateComplete);

        await cloud.At(west).DeleteStackAsync("app", "d1");
        await Assert.ThrowsAsync<AmazonServiceException>(() => cloud.At(east).DeleteStackAsync("protected", "d2"));
        await cloud.At(east).DeleteStackAsync("never-existed", "d3");
        await cloud.At(east).DeleteStackAsync("primary", "d4");

        Assert.Equal([(west, "app"), (east, "primary")], cloud.Deletions);
    }

    [Fact]
    public async Task DescribeStackEvents_PagesNewestFirst()
    {
        cfn.EventPageSize = 1;
        cfn.Seed("s", StackStatus.CreateComplete);
        await cfn.UpdateTerminationProtectionAsync("s", false);
        await cfn.DeleteStackAsync("s", "d");

        var first = await cfn.DescribeStackEventsAsync("s");
        var second = await cfn.DescribeStackEventsAsync("s", first.NextToken);

        Assert.Equal("DELETE_IN_PROGRESS", first.Events[0].ResourceStatus);
        Assert.Equal("CREATE_COMPLETE", second.Events[0].ResourceStatus);
        Assert.Null(second.NextToken);
    }

    [Fact]
    public async Task Throttle_FailsTheNextCallsOfThatOperationOnly()
    {
        cfn.Throttle("DescribeStacks", 1);

        var e = await Assert.ThrowsAsync<AmazonServiceException>(() => cfn.DescribeStackAsync("s"));

        Assert.Equal("Throttling", e.ErrorCode);
        Assert.Null(await cfn.DescribeStackAsync("s"));
        Assert.Equal(["DescribeStacks", "DescribeStacks"], cfn.Calls);
        Assert.Empty(cfn.MutatingCalls);
    }
}
