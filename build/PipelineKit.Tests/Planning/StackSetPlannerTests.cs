namespace PipelineKit.Tests.Planning;

using PipelineKit.Deployment;
using PipelineKit.Orchestration;
using PipelineKit.Planning;
using PipelineKit.Tests.Organizations;

/// <summary>Plan with an organizational unit: one row per unit stack set, create, unchanged, or update when an active
/// account of the unit has no instance, naming the accounts; a row that would delete the stack set of a unit no longer in
/// pipeline.json, its roles flagged; and not one mutating stack set call.</summary>
public sealed class StackSetPlannerTests
{
    private static readonly string Accounts = $"accounts of {UnitRolesWorld.Unit}: 555555555555, 666666666666";

    private static Task<PlanReport> Plan(UnitRolesWorld world) =>
        new PlanRun(world.Plan(), null, new StackDeployer(world.Time, PollingPolicy.Default, world.Observer), 4, world.Time, world.Observer).RunAsync("hello");

    private static StackPlan Row(PlanReport report, string key) => Assert.Single(report.Stacks, s => s.Key == key);

    [Fact]
    public async Task BeforeTheFirstDeploy_TheUnitsStackSetWouldBeCreated_WithAnInstanceInEachAccount()
    {
        var world = new UnitRolesWorld();

        var report = await Plan(world);

        var row = Row(report, FoundationPlan.UnitRolesPrefix + UnitRolesWorld.Unit);
        Assert.Equal(PlanStatus.Create, row.Status);
        Assert.Equal(world.UnitSet, row.StackName);
        Assert.Equal($"stack set with an instance in each of the {Accounts}", row.Note);
        Assert.Contains(row.Resources, r => r is { Action: "Add", LogicalId: "PipelineActionRole", Security: true });
        Assert.Empty(world.MutatingSetCalls);
        Assert.DoesNotContain(report.Stacks, s => s.Key.StartsWith(FoundationPlan.DroppedUnitRolesKey, StringComparison.Ordinal));
    }

    [Fact]
    public async Task AfterTheDeploy_ItIsUnchanged_AndAnAccountThatJoinedTheUnit_MakesItAnUpdateNamingTheAccount()
    {
        var deployed = new UnitRolesWorld();
        await deployed.RunAsync(KitTarget.DeployTargetRoles);
        Assert.Equal(PlanStatus.Unchanged, Row(await Plan(deployed), FoundationPlan.UnitRolesPrefix + UnitRolesWorld.Unit).Status);

        // The unit's third account joined after the stack set was deployed, and has no instance yet.
        var grown = new UnitRolesWorld(["555555555555", "666666666666", "888888888888"]);
        grown.Sets.Organization[UnitRolesWorld.Unit] = ["555555555555", "666666666666"];
        await grown.RunAsync(KitTarget.DeployTargetRoles);
        var mutating = grown.MutatingSetCalls.Count;

        var row = Row(await Plan(grown), FoundationPlan.UnitRolesPrefix + UnitRolesWorld.Unit);

        Assert.Equal(PlanStatus.Update, row.Status);
        Assert.Equal($"accounts of {UnitRolesWorld.Unit}: 555555555555, 666666666666, 888888888888; instances would be created for 888888888888", row.Note);
        Assert.Equal(mutating, grown.MutatingSetCalls.Count);
    }

    [Fact]
    public async Task TheStackSetOfAUnitNoLongerInTheFile_WouldBeDeleted_WithItsRolesFlagged()
    {
        var world = new UnitRolesWorld();
        await world.RunAsync(KitTarget.DeployTargetRoles);
        world.SeedDropped();

        var report = await Plan(world);

        var row = Row(report, $"{FoundationPlan.DroppedUnitRolesKey}:{UnitRolesWorld.DroppedUnit}");
        Assert.Equal(PlanStatus.Delete, row.Status);
        Assert.Equal(world.DroppedSet, row.StackName);
        Assert.Equal($"organizational unit {UnitRolesWorld.DroppedUnit} is no longer in pipeline.json: its instances (accounts {UnitRolesWorld.DroppedAccount}) " +
            "and the stack set would be deleted, and the target roles with them", row.Note);
        Assert.All(row.Resources, r => Assert.Equal("Remove", r.Action));
        Assert.True(row.HasSecurityChanges);
        Assert.True(report.ChangesPending);
        Assert.Contains($"  {world.DroppedSet,-34} {row.Location,-24} delete: 0 to add, 0 to modify, {row.Resources.Count} to remove, security-relevant", report.ToText(), StringComparison.Ordinal);
        Assert.Single(world.Sets.InstancesOf(world.DroppedSet));
    }
}
