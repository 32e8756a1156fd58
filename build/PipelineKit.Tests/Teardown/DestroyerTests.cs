namespace PipelineKit.Tests.Teardown;

using PipelineKit.Aws;
using PipelineKit.Configuration;
using PipelineKit.Deployment;
using PipelineKit.Messages;
using PipelineKit.Naming;
using PipelineKit.Orchestration;
using PipelineKit.Teardown;
using PipelineKit.Testing;
using PipelineKit.Tests.Configuration;

/// <summary>Destroy's orchestration over the sandbox configuration, bootstrapped into the fake CloudFormation, with the
/// app stacks, buckets and keys a bootstrapped pipeline has; the emulator test covers the same flow end to end.</summary>
public sealed class DestroyerTests
{
    private const string Build = "123456789012";
    private static readonly PipelineConfig Sandbox = SandboxConfigs.Accounts();
    private static readonly Dictionary<string, string> KitTag = new() { [StackDeletion.PipelineTag] = "sandbox" };

    private readonly VirtualTime time = new();
    private readonly FakeCloud cloud;
    private readonly RecordingObserver observer = new();
    private readonly RecordingMessages messages = new();
    private readonly InMemoryBuckets buckets = new();
    private readonly Dictionary<string, InMemoryKeys> keys;
    private readonly List<string[]> stacksLeftWhenBucketsOpened = [];
    private IReadOnlyList<StackNode> foundation = [];

    public DestroyerTests()
    {
        cloud = new FakeCloud(time);
        keys = Sandbox.Regions.ToDictionary(r => r, _ => new InMemoryKeys(time));
    }

    private static string ArtifactKey(string region) => $"arn:aws:kms:{region}:{Build}:key/{region}-key";

    private static string NotificationsKey => $"arn:aws:kms:us-east-1:{Build}:key/us-east-1-notifications-key";

    /// <summary>BootstrapAll into the fake, then what the fake CloudFormation does not model: the app stacks the pipeline
    /// deployed, the retained buckets with their versions, and the keys with their aliases.</summary>
    private async Task Bootstrapped()
    {
        var known = new Dictionary<string, StackResult>();
        foundation = new FoundationPlan(Sandbox, cloud.CloudFormationAt, new StackDeployer(time, PollingPolicy.Default, observer), _ => "Resources: {}")
            .For(KitTarget.BootstrapAll, known);
        var results = await new DagRunner(4, time, observer).RunAsync(foundation, known);
        Assert.All(results, r => Assert.True(r.Result.Succeeded, r.Result.Error));

        foreach (var e in Sandbox.Environments)
        {
            cloud.At(new StackLocation(e.Account, e.Region)).Seed(KitNames.AppStack(Sandbox.Name, e.Name), StackStatus.CreateComplete, tags: KitTag);
        }

        foreach (var region in Sandbox.Regions) buckets.Add(KitNames.ArtifactBucket(Sandbox, region), objects: 2, versionsEach: 2, deleteMarkers: 1);
        buckets.Add(KitNames.SourceBucket(Sandbox), objects: 1, versionsEach: 1, deleteMarkers: 0);
        foreach (var region in Sandbox.Regions)
        {
            keys[region].Add(ArtifactKey(region), TeardownSurvey.ArtifactKeyDescription(Sandbox.Name, region), KitNames.ArtifactKeyAlias(Sandbox.Name));
        }

        keys["us-east-1"].Add(NotificationsKey, "Encrypts the pipeline's notifications.", KitNames.NotificationsKeyAlias(Sandbox.Name));
    }

    private Task<DestroyOutcome> Destroy(bool yes, bool keepData = false, int keyDeletionDays = 7)
    {
        Task<IBucketStore> SurveyBuckets(string region, CancellationToken ct) => Task.FromResult<IBucketStore>(buckets);
        Task<IBucketStore> EmptyBuckets(string region, CancellationToken ct)
        {
            lock (stacksLeftWhenBucketsOpened) stacksLeftWhenBucketsOpened.Add(StacksLeft());
            return Task.FromResult<IBucketStore>(buckets);
        }

        Task<IKeyStore> KeysAt(string region, CancellationToken ct) => Task.FromResult<IKeyStore>(keys[region]);

        var destroyer = new Destroyer(Sandbox, new TeardownSurvey(Sandbox, cloud.CloudFormationAt, SurveyBuckets, KeysAt),
            cloud.CloudFormationAt, EmptyBuckets, KeysAt, new StackDeletion(time, PollingPolicy.Default, observer),
            new DagRunner(4, time, observer), messages);
        return destroyer.RunAsync(foundation, new DestroySettings(yes, keepData, keyDeletionDays), default);
    }

    private string[] StacksLeft() =>
        [.. TeardownGraph.Reverse(foundation, Sandbox).Where(s => cloud.At(s.Ref.Location).Peek(s.Ref.StackName) is not null).Select(s => s.Key)];

    private string Text(MessageKind kind) => Assert.Single(messages.Messages, m => m.Kind == kind).Text;

    private IEnumerable<string> KeyCalls => keys.Values.SelectMany(k => k.Calls);

    private static string Lines(params string[] lines) => string.Join(Environment.NewLine, lines);

    [Fact]
    public async Task Destroy_WithoutYes_ListsEveryStackBucketAndKey_AndTouchesNothing()
    {
        await Bootstrapped();
        var mutatingBefore = cloud.MutatingCalls.Count;

        var outcome = await Destroy(yes: false);

        Assert.Equal(DestroyOutcome.NotConfirmed, outcome);
        Assert.Equal(Lines(
            "Destroy: pipeline sandbox. Found:",
            "  stacks (app stacks first, then the pipeline, the target roles and the source account's stack, the build account's stacks):",
            "    sandbox-dev-app                              222222222222  us-east-1    CREATE_COMPLETE",
            "    sandbox-test-app                             333333333333  us-west-2    CREATE_COMPLETE",
            "    sandbox-test-eu-app                          333333333333  eu-west-1    CREATE_COMPLETE",
            "    sandbox-prod-app                             444444444444  eu-west-1    CREATE_COMPLETE",
            "    sandbox-pipeline                             123456789012  us-east-1    CREATE_COMPLETE, termination protection on",
            "    pipelinekit-sandbox-source                   555555555555  us-east-1    CREATE_COMPLETE, termination protection on",
            "    pipelinekit-sandbox-target-roles             444444444444  us-east-1    CREATE_COMPLETE, termination protection on",
            "    pipelinekit-sandbox-target-roles             333333333333  us-east-1    CREATE_COMPLETE, termination protection on",
            "    pipelinekit-sandbox-target-roles             222222222222  us-east-1    CREATE_COMPLETE, termination protection on",
            "    pipelinekit-sandbox-regional                 123456789012  eu-west-1    CREATE_COMPLETE, termination protection on",
            "    pipelinekit-sandbox-regional                 123456789012  us-west-2    CREATE_COMPLETE, termination protection on",
            "    pipelinekit-sandbox-primary                  123456789012  us-east-1    CREATE_COMPLETE, termination protection on",
            "  buckets (every version and delete marker deleted, then the bucket):",
            "    sandbox-artifacts-123456789012-us-east-1     123456789012  us-east-1",
            "    sandbox-artifacts-123456789012-us-west-2     123456789012  us-west-2",
            "    sandbox-artifacts-123456789012-eu-west-1     123456789012  eu-west-1",
            "    sandbox-source-123456789012-us-east-1        123456789012  us-east-1",
            "  KMS keys:",
            "    arn:aws:kms:us-east-1:123456789012:key/us-east-1-key  artifacts: retained by the template: after its stack, alias/sandbox-artifacts freed and deletion scheduled (7-day window)",
            "    arn:aws:kms:us-east-1:123456789012:key/us-east-1-notifications-key  notifications: CloudFormation schedules its deletion with the stack (the template does not retain it)",
            "    arn:aws:kms:us-west-2:123456789012:key/us-west-2-key  artifacts: retained by the template: after its stack, alias/sandbox-artifacts freed and deletion scheduled (7-day window)",
            "    arn:aws:kms:eu-west-1:123456789012:key/eu-west-1-key  artifacts: retained by the template: after its stack, alias/sandbox-artifacts freed and deletion scheduled (7-day window)"),
            Text(MessageCodes.DestroyPlan));
        Assert.Equal("Destroy deletes nothing without --yes. Nothing was deleted. Re-run with --yes to delete everything listed above.",
            Text(MessageCodes.DestroyNotConfirmed));
        Assert.Equal(mutatingBefore, cloud.MutatingCalls.Count);
        Assert.Empty(cloud.Deletions);
        Assert.DoesNotContain(buckets.Calls, c => c is "DeleteObjects" or "DeleteBucket");
        Assert.Empty(KeyCalls);
    }

    [Fact]
    public async Task Destroy_WhenAStackHasTheKitsNameButNotThePipelinesTag_RefusesAndNamesIt_AndDeletesNothing()
    {
        await Bootstrapped();
        var roles = new StackLocation("333333333333", "us-east-1");
        cloud.At(roles).Seed("pipelinekit-sandbox-target-roles", StackStatus.CreateComplete,
            tags: new Dictionary<string, string> { [StackDeletion.PipelineTag] = "other" });

        var outcome = await Destroy(yes: true);

        Assert.Equal(DestroyOutcome.Refused, outcome);
        Assert.Equal(
            $"Destroy refuses: pipelinekit-sandbox-target-roles ({roles}) has the kit's name but not the tag pipelinekit:pipeline=sandbox; " +
            "it was not made by this pipeline. Nothing was deleted.",
            Text(MessageCodes.DestroyRefused));
        Assert.Empty(cloud.Deletions);
        Assert.Empty(buckets.Calls);
        Assert.Empty(KeyCalls);
    }

    [Fact]
    public async Task Destroy_WithYes_DeletesAppStacksThenPipelineThenTargetRolesAndSourceStackThenBuildStacks_ThenBucketsAndKeys()
    {
        await Bootstrapped();

        var outcome = await Destroy(yes: true);

        Assert.Equal(DestroyOutcome.Done, outcome);
        var order = cloud.Deletions.Select(d => d.StackName == "pipelinekit-sandbox-target-roles" ? "roles" : d.StackName).ToList();
        Assert.Equal(12, order.Count);
        Assert.Equal(["sandbox-dev-app", "sandbox-prod-app", "sandbox-test-app", "sandbox-test-eu-app"], order[..4].Order(StringComparer.Ordinal));
        Assert.Equal("sandbox-pipeline", order[4]);
        // The source account's stack (the sandbox's CodeCommit source) beside the target roles: after the pipeline, before the
        // primary stack whose bucket and key it names.
        Assert.Equal(["pipelinekit-sandbox-source", "roles", "roles", "roles"], order[5..9].Order(StringComparer.Ordinal));
        Assert.Equal(["pipelinekit-sandbox-primary", "pipelinekit-sandbox-regional", "pipelinekit-sandbox-regional"], order[9..].Order(StringComparer.Ordinal));
        Assert.Empty(StacksLeft());

        Assert.NotEmpty(stacksLeftWhenBucketsOpened);
        Assert.All(stacksLeftWhenBucketsOpened, Assert.Empty);
        Assert.All(Sandbox.Regions, r => Assert.False(buckets.Exists(KitNames.ArtifactBucket(Sandbox, r))));
        Assert.False(buckets.Exists(KitNames.SourceBucket(Sandbox)));

        foreach (var region in Sandbox.Regions)
        {
            Assert.Equal([$"DeleteAlias alias/sandbox-artifacts", $"ScheduleKeyDeletion {ArtifactKey(region)} 7"], keys[region].Calls);
            Assert.Equal("PendingDeletion", keys[region].Key(ArtifactKey(region))!.State);
        }

        Assert.Equal("Enabled", keys["us-east-1"].Key(NotificationsKey)!.State);
        var summary = Text(MessageCodes.DestroySummary).Split(Environment.NewLine);
        Assert.Contains("  bucket  sandbox-source-123456789012-us-east-1        123456789012  us-east-1    emptied (1 object version or delete marker) and deleted", summary);
        Assert.Contains("  bucket  sandbox-artifacts-123456789012-us-west-2     123456789012  us-west-2    emptied (5 object versions and delete markers) and deleted", summary);
        Assert.Contains(summary, l => l.StartsWith("  key     arn:aws:kms:eu-west-1:123456789012:key/eu-west-1-key PendingDeletion until ", StringComparison.Ordinal) &&
            l.EndsWith(" UTC: deletion scheduled (7 days); alias/sandbox-artifacts is free", StringComparison.Ordinal));
        Assert.Equal(
            "Retained: nothing. Keys stay pending deletion for their window (cancel with aws kms cancel-key-deletion); " +
            "their aliases are free, so BootstrapAll can create everything again now.",
            summary[^1]);
    }

    [Fact]
    public async Task Destroy_WithKeepData_DeletesTheStacks_KeepsBucketsAndKeys_AndSaysBootstrapAllWaitsForTheBuckets()
    {
        await Bootstrapped();

        var outcome = await Destroy(yes: true, keepData: true);

        Assert.Equal(DestroyOutcome.Done, outcome);
        Assert.Equal(12, cloud.Deletions.Count);
        Assert.Empty(StacksLeft());
        Assert.Empty(stacksLeftWhenBucketsOpened);
        Assert.DoesNotContain(buckets.Calls, c => c is "DeleteObjects" or "DeleteBucket");
        Assert.All(Sandbox.Regions, r => Assert.True(buckets.Exists(KitNames.ArtifactBucket(Sandbox, r))));
        Assert.Empty(KeyCalls);
        Assert.All(Sandbox.Regions, r => Assert.Equal("Enabled", keys[r].Key(ArtifactKey(r))!.State));
        var summary = Text(MessageCodes.DestroySummary).Split(Environment.NewLine);
        Assert.Contains("  key     arn:aws:kms:us-west-2:123456789012:key/us-west-2-key Enabled: kept (--keep-data)", summary);
        Assert.Equal(
            "Retained (--keep-data): sandbox-artifacts-123456789012-us-east-1, sandbox-artifacts-123456789012-us-west-2, " +
            "sandbox-artifacts-123456789012-eu-west-1, sandbox-source-123456789012-us-east-1 and the artifact keys " +
            "(their aliases were deleted with the stacks). BootstrapAll cannot create the stacks again while these bucket names exist: " +
            "copy what you need, then run Destroy --yes without --keep-data (or delete the buckets yourself).",
            summary[^1]);
    }

    [Fact]
    public async Task Destroy_WhenAStackDeleteFails_IsFailed_AndLeavesBucketsAndKeysUntouched()
    {
        await Bootstrapped();
        cloud.At(new StackLocation("444444444444", "eu-west-1")).DeleteFails = true;

        var outcome = await Destroy(yes: true);

        Assert.Equal(DestroyOutcome.Failed, outcome);
        Assert.DoesNotContain(cloud.Deletions, d => d.StackName == "sandbox-pipeline");
        Assert.Contains("pipeline", StacksLeft());
        Assert.Empty(stacksLeftWhenBucketsOpened);
        Assert.DoesNotContain(buckets.Calls, c => c is "DeleteObjects" or "DeleteBucket");
        Assert.Empty(KeyCalls);
        var summary = Text(MessageCodes.DestroySummary).Split(Environment.NewLine);
        Assert.Contains(summary, l => l.StartsWith("  stack   sandbox-prod-app                             444444444444  eu-west-1    failed: ", StringComparison.Ordinal));
        Assert.Equal(
            "Buckets and keys are untouched while a stack that uses them remains. Fix what the failures above say and re-run Destroy --yes.",
            summary[^1]);
    }

    [Fact]
    public async Task Destroy_WhenAKeyCannotBeScheduled_IsFailed_AndDoesNotSayNothingIsRetained()
    {
        await Bootstrapped();

        // KMS refuses a pending window under 7 days; the fake key store refuses it the same way.
        var outcome = await Destroy(yes: true, keyDeletionDays: 3);

        Assert.Equal(DestroyOutcome.Failed, outcome);
        var last = Text(MessageCodes.DestroySummary).Split(Environment.NewLine)[^1];
        Assert.StartsWith($"Not finished: {ArtifactKey("us-east-1")}", last, StringComparison.Ordinal);
        Assert.EndsWith("(see above). Fix what each line says and re-run Destroy --yes; it resumes.", last, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Destroy_RunAgainAfterItCompleted_FindsNothingLeft_AndDoesNothing()
    {
        await Bootstrapped();
        Assert.Equal(DestroyOutcome.Done, await Destroy(yes: true));
        var (deletions, bucketCalls, keyCalls) = (cloud.Deletions.Count, buckets.Calls.Count, KeyCalls.Count());

        var outcome = await Destroy(yes: true);

        Assert.Equal(DestroyOutcome.NothingLeft, outcome);
        Assert.Equal(
            "Destroy: nothing of pipeline sandbox is left: no stack, no bucket, no key that is not pending deletion.",
            Text(MessageCodes.DestroyNothingLeft));
        Assert.Equal((deletions, bucketCalls, keyCalls), (cloud.Deletions.Count, buckets.Calls.Count, KeyCalls.Count()));
    }
}
