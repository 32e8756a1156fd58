namespace PipelineKit.Tests.Integration;

using System.Text.Json.Nodes;
using PipelineKit.Deployment;
using PipelineKit.Naming;
using PipelineKit.Orchestration;
using PipelineKit.Planning;
using PipelineKit.Teardown;

/// <summary>
/// A unit's stack set through the rest of its life against the emulator's organization: a unit removed from pipeline.json
/// is first shown by Plan as a stack set to delete (reading only), then loses its stack set, and so its accounts lose the roles that trust the pipeline, on the next DeployTargetRoles (the other
/// unit keeps its own); Destroy then deletes the remaining unit's stack set, instances first, and the roles with it.
/// </summary>
[Collection(MotoReleaseCollection.Name)]
public sealed class OrganizationUnitRemovalMotoTests(MotoFixture moto, Xunit.Abstractions.ITestOutputHelper output)
{
    private const string Name = "it-org-drop";

    [Fact]
    public async Task AUnitRemovedFromTheFile_LosesItsStackSetAndRoles_OnTheNextRun_AndDestroyRemovesTheOthers()
    {
        var organization = await EmulatorOrganization.OfAsync(moto.Url);
        var root = await organization.RootAsync();
        var kept = await organization.UnitAsync(root, "drop-kept");
        var dropped = await organization.UnitAsync(root, "drop-dropped");
        var keptAccount = await organization.AccountAsync("drop-kept-a", root, kept);
        var droppedAccount = await organization.AccountAsync("drop-dropped-a", root, dropped);
        using var workspace = new KitWorkspace(moto, Name);
        workspace.Config["organizationId"] = organization.Id;
        JsonObject Unit(string name, string unit) => new() { ["name"] = name, ["organizationalUnit"] = unit, ["region"] = "us-east-1", ["securityApproval"] = "never" };
        workspace.Config["environments"] = new JsonArray(Unit("dev", kept), Unit("test", dropped));

        await workspace.Run(KitTarget.BootstrapPrimary);
        var (_, first) = await workspace.Run(KitTarget.DeployTargetRoles);
        Assert.Equal(StackOutcome.Created, first[FoundationPlan.UnitRolesPrefix + dropped].Outcome);
        Assert.Equal(StackOutcome.Unchanged, first[FoundationPlan.DroppedUnitRolesKey].Outcome);
        Assert.True(await HasRoleAsync(droppedAccount));

        workspace.Config["environments"] = new JsonArray(Unit("dev", kept));
        var (planned, plan) = await workspace.Plan();
        var (again, second) = await workspace.Run(KitTarget.DeployTargetRoles);

        output.WriteLine(workspace.Console.ToString());
        var set = KitNames.TargetRolesStackSet(Name, dropped);
        Assert.Equal(StackOutcome.Deleted, second[FoundationPlan.DroppedUnitRolesKey].Outcome);
        Assert.Equal(StackOutcome.Unchanged, second[FoundationPlan.UnitRolesPrefix + kept].Outcome);
        Assert.Contains($"Organizational unit {dropped} is no longer in pipeline.json: deleting stack set {set}", workspace.Console.ToString(), StringComparison.Ordinal);
        Assert.Contains($"Stack set {set} deleted, with its instances in account(s) {droppedAccount}.", workspace.Console.ToString(), StringComparison.Ordinal);
        Assert.Equal(["DeleteStackInstances", "DeleteStackSet"],
            again.CallLog.MutatingCalls.Where(c => c.Service == "CloudFormation").Select(c => c.Operation));
        Assert.False(await HasRoleAsync(droppedAccount));
        Assert.True(await HasRoleAsync(keptAccount));
        var delete = Assert.Single(plan.Stacks, s => s.Status == PlanStatus.Delete);
        Assert.Equal(set, delete.StackName);
        Assert.Equal(PlanStatus.Unchanged, Assert.Single(plan.Stacks, s => s.Key == FoundationPlan.UnitRolesPrefix + kept).Status);
        Assert.DoesNotContain(planned.CallLog.MutatingCalls, c => c.Operation.Contains("StackSet", StringComparison.Ordinal) || c.Operation.Contains("StackInstances", StringComparison.Ordinal));
        Assert.DoesNotContain(set, await ActiveStackSetsAsync());

        var destroyed = workspace.Destroy("yes", "true", "key-deletion-days", "7");

        output.WriteLine(workspace.Console.ToString());
        Assert.Null(destroyed.Error);
        Assert.Equal(DestroyOutcome.Done, destroyed.Outcome);
        Assert.Contains($"stack set {KitNames.TargetRolesStackSet(Name, kept)}", workspace.Console.ToString(), StringComparison.Ordinal);
        Assert.False(await HasRoleAsync(keptAccount));
        Assert.DoesNotContain(KitNames.TargetRolesStackSet(Name, kept), await ActiveStackSetsAsync());
    }

    private async Task<bool> HasRoleAsync(string account)
    {
        var roles = await moto.Cli(account, "iam", "list-roles");
        return roles.GetProperty("Roles").EnumerateArray().Any(r => r.GetProperty("RoleName").GetString() == $"{Name}-pipeline-action");
    }

    /// <summary>The emulator lists deleted stack sets too (it ignores --status), marked DELETED.</summary>
    private async Task<IReadOnlyList<string>> ActiveStackSetsAsync() =>
        [.. (await moto.Cli(null, "cloudformation", "list-stack-sets", "--status", "ACTIVE", "--region", "us-east-1")).GetProperty("Summaries").EnumerateArray()
            .Where(s => s.GetProperty("Status").GetString() == "ACTIVE").Select(s => s.GetProperty("StackSetName").GetString()!)];
}
