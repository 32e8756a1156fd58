namespace PipelineKit.Tests.Teardown;

using PipelineKit.Deployment;
using PipelineKit.Messages;
using PipelineKit.Orchestration;
using PipelineKit.Teardown;
using PipelineKit.Tests.Organizations;

/// <summary>Destroy with organizational units: every stack set of the pipeline's units (those of units no longer in
/// pipeline.json too) is listed before anything is deleted, then deleted, instances first, after the pipeline and before
/// the build account's stacks; a set of the kit's name that is not the pipeline's stops Destroy before it deletes anything.</summary>
public sealed class StackSetTeardownTests
{
    private readonly UnitRolesWorld world = new();
    private readonly InMemoryBuckets buckets = new();
    private readonly InMemoryKeys keys;
    private IReadOnlyList<StackNode> foundation = [];

    public StackSetTeardownTests() => keys = new InMemoryKeys(world.Time);

    private async Task Bootstrapped()
    {
        var results = await world.RunAsync(KitTarget.BootstrapAll);
        Assert.All(results.Values, r => Assert.True(r.Succeeded, r.Error));
        foundation = world.Plan().For(KitTarget.BootstrapAll, new Dictionary<string, StackResult>());
    }

    private Task<DestroyOutcome> Destroy(bool yes)
    {
        Task<IBucketStore> Buckets(string region, CancellationToken ct) => Task.FromResult<IBucketStore>(buckets);
        Task<IKeyStore> Keys(string region, CancellationToken ct) => Task.FromResult<IKeyStore>(keys);
        var unitRoles = world.UnitRoles();
        var destroyer = new Destroyer(world.Config, new TeardownSurvey(world.Config, world.Cloud.CloudFormationAt, Buckets, Keys, unitRoles),
            world.Cloud.CloudFormationAt, Buckets, Keys, new StackDeletion(world.Time, PollingPolicy.Default, world.Observer),
            new DagRunner(4, world.Time, world.Observer), world.Messages, unitRoles, new StackSetDeletion(world.Time, PollingPolicy.Default));
        return destroyer.RunAsync(foundation, new DestroySettings(yes, KeepData: false, KeyDeletionDays: 7), default);
    }

    private string Text(MessageKind kind) => Assert.Single(world.Messages.Messages, m => m.Kind == kind).Text;

    [Fact]
    public async Task Destroy_WithoutYes_ListsEveryStackSetOfTheUnits_TheDroppedUnitsToo_AndDeletesNothing()
    {
        await Bootstrapped();
        world.SeedDropped();

        var outcome = await Destroy(yes: false);

        Assert.Equal(DestroyOutcome.NotConfirmed, outcome);
        var plan = Text(MessageCodes.DestroyPlan).Split(Environment.NewLine);
        Assert.Contains("  stack sets of organizational units (after the app stacks and the pipeline: each unit's instances, and the roles in its accounts, then the set):", plan);
        Assert.Contains($"    {world.UnitSet,-44} 123456789012  ACTIVE, organizational unit {UnitRolesWorld.Unit}", plan);
        Assert.Contains($"    {world.DroppedSet,-44} 123456789012  ACTIVE, organizational unit {UnitRolesWorld.DroppedUnit}", plan);
        Assert.DoesNotContain(world.MutatingSetCalls, c => c.StartsWith("Delete", StringComparison.Ordinal));
        Assert.Empty(world.Cloud.Deletions);
    }

    [Fact]
    public async Task Destroy_WithYes_DeletesEachSetsInstancesThenTheSet_AfterThePipeline_BeforeTheBuildAccountsStacks()
    {
        await Bootstrapped();
        world.SeedDropped();
        var deletedWhenSetsWent = new List<string[]>();
        world.OnSetClient = () => { lock (deletedWhenSetsWent) deletedWhenSetsWent.Add([.. world.Cloud.Deletions.Select(d => d.StackName)]); };

        var outcome = await Destroy(yes: true);

        Assert.Equal(DestroyOutcome.Done, outcome);
        Assert.Null(await world.Sets.DescribeStackSetAsync(world.UnitSet, "SELF"));
        Assert.Null(await world.Sets.DescribeStackSetAsync(world.DroppedSet, "SELF"));
        Assert.Equal(["DeleteStackInstances as SELF", "DeleteStackInstances as SELF", "DeleteStackSet as SELF", "DeleteStackSet as SELF"],
            world.MutatingSetCalls.Where(c => c.StartsWith("Delete", StringComparison.Ordinal)).Order(StringComparer.Ordinal));
        // The survey takes the client first, before any deletion; each set's deletion then takes it once.
        Assert.Equal(3, deletedWhenSetsWent.Count);
        Assert.All(deletedWhenSetsWent.Skip(1), deleted =>
        {
            Assert.Contains("hello-pipeline", deleted);
            Assert.DoesNotContain("pipelinekit-hello-primary", deleted);
        });
        Assert.Contains("pipelinekit-hello-primary", world.Cloud.Deletions.Select(d => d.StackName));
        var summary = Text(MessageCodes.DestroySummary).Split(Environment.NewLine);
        Assert.Contains($"  stack set {world.UnitSet,-42} 123456789012  us-east-1    deleted, with its instances in 555555555555, 666666666666", summary);
        Assert.Contains($"  stack set {world.DroppedSet,-42} 123456789012  us-east-1    deleted, with its instances in {UnitRolesWorld.DroppedAccount}", summary);
    }

    [Fact]
    public async Task Destroy_WhenAStackSetHasTheKitsNameButIsNotThePipelines_RefusesAndNamesIt_AndDeletesNothing()
    {
        await Bootstrapped();
        world.SeedDropped(pipeline: "other");

        var outcome = await Destroy(yes: true);

        Assert.Equal(DestroyOutcome.Refused, outcome);
        Assert.Equal(
            $"Destroy refuses: stack set {world.DroppedSet} has the kit's name but is not the kit's (service-managed, with the tag pipelinekit:pipeline=hello, its roles trusting this build account); " +
            "it was not made by this pipeline. Nothing was deleted.",
            Text(MessageCodes.DestroyRefused));
        Assert.Empty(world.Cloud.Deletions);
        Assert.DoesNotContain(world.MutatingSetCalls, c => c.StartsWith("Delete", StringComparison.Ordinal));
    }
}
