namespace PipelineKit.Tests.Organizations;

using PipelineKit.Aws;
using PipelineKit.Deployment;
using PipelineKit.Messages;
using PipelineKit.Naming;
using PipelineKit.Orchestration;

/// <summary>A unit removed from pipeline.json: the next run that deploys the target roles finds the unit's stack set (the
/// kit's name for this pipeline, its tag) and deletes its instances, then the set, so that the unit's accounts keep no
/// roles that trust the pipeline; a set of the kit's name that is not the pipeline's is left alone; a failure names the set
/// and how to resume.</summary>
public sealed class StackSetRemovalTests
{
    private readonly UnitRolesWorld world = new();

    private string Text(MessageKind kind) => Assert.Single(world.Messages.Messages, m => m.Kind == kind).Text;

    [Fact]
    public async Task DeployTargetRoles_WithTheStackSetOfAUnitNoLongerInTheFile_DeletesItsInstancesThenTheSet_AndSaysSo()
    {
        world.SeedDropped();

        var results = await world.RunAsync(KitTarget.DeployTargetRoles);

        Assert.Equal(StackOutcome.Deleted, results[FoundationPlan.DroppedUnitRolesKey].Outcome);
        Assert.Equal(StackOutcome.Created, results[FoundationPlan.UnitRolesPrefix + UnitRolesWorld.Unit].Outcome);
        Assert.Null(await world.Sets.DescribeStackSetAsync(world.DroppedSet, "SELF"));
        Assert.Empty(world.Sets.InstancesOf(world.DroppedSet));
        Assert.NotNull(await world.Sets.DescribeStackSetAsync(world.UnitSet, "SELF"));
        var deletions = world.MutatingSetCalls.Where(c => c.StartsWith("Delete", StringComparison.Ordinal));
        Assert.Equal(["DeleteStackInstances as SELF", "DeleteStackSet as SELF"], deletions);
        Assert.Equal(
            $"Organizational unit {UnitRolesWorld.DroppedUnit} is no longer in pipeline.json: deleting stack set {world.DroppedSet} (its instances first), " +
            "so that the unit's accounts no longer hold target roles that trust this pipeline.",
            Text(MessageCodes.StackSetOfDroppedUnitDeleting));
        Assert.Equal($"Stack set {world.DroppedSet} deleted, with its instances in account(s) {UnitRolesWorld.DroppedAccount}.",
            Text(MessageCodes.StackSetOfDroppedUnitDeleted));
    }

    [Fact]
    public async Task ReRun_WithNoUnitDropped_ListsTheStackSetsOnce_AndChangesNothing()
    {
        await world.RunAsync(KitTarget.DeployTargetRoles);
        var before = world.Sets.Calls.Count;

        var results = await world.RunAsync(KitTarget.DeployTargetRoles);

        Assert.Equal(StackOutcome.Unchanged, results[FoundationPlan.DroppedUnitRolesKey].Outcome);
        Assert.Equal(["DescribeStackSet as SELF", "ListStackInstances as SELF", "ListStackSets as SELF"], world.Sets.Calls.Skip(before).Order(StringComparer.Ordinal));
        Assert.Empty(world.Messages.Messages);
    }

    [Fact]
    public async Task AStackSetOfTheKitsNameThatIsNotThePipelines_IsLeftAlone_AndSaidSo()
    {
        world.SeedDropped(pipeline: "other");

        var results = await world.RunAsync(KitTarget.DeployTargetRoles);

        Assert.Equal(StackOutcome.Unchanged, results[FoundationPlan.DroppedUnitRolesKey].Outcome);
        Assert.Single(world.Sets.InstancesOf(world.DroppedSet));
        Assert.DoesNotContain(world.MutatingSetCalls, c => c.StartsWith("Delete", StringComparison.Ordinal));
        Assert.Equal(
            $"Stack set {world.DroppedSet} has the name of this pipeline's stack set for organizational unit {UnitRolesWorld.DroppedUnit}, which pipeline.json " +
            "does not name, but it is not the kit's (permission model SERVICE_MANAGED, tag pipelinekit:pipeline \"other\", roles trusting build account 123456789012): the kit leaves it alone.",
            Text(MessageCodes.StackSetNotKits));
    }

    /// <summary>With a delegated administrator every stack set of the organization is listed: another build account's
    /// pipeline of the same name has sets of the same names, tagged alike.</summary>
    [Fact]
    public async Task ASameNamedStackSetOfAnotherBuildAccountsPipeline_IsLeftAlone()
    {
        world.SeedDropped(buildAccount: "210987654321");

        var results = await world.RunAsync(KitTarget.DeployTargetRoles);

        Assert.Equal(StackOutcome.Unchanged, results[FoundationPlan.DroppedUnitRolesKey].Outcome);
        Assert.Single(world.Sets.InstancesOf(world.DroppedSet));
        Assert.DoesNotContain(world.MutatingSetCalls, c => c.StartsWith("Delete", StringComparison.Ordinal));
        Assert.Contains("roles trusting build account 210987654321): the kit leaves it alone.", Text(MessageCodes.StackSetNotKits), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AFailedInstanceDeletion_FailsTheNode_NamingTheSetAndHowToResume_AndKeepsTheSet()
    {
        await world.RunAsync(KitTarget.DeployTargetRoles);
        world.SeedDropped();
        world.Sets.OperationOutcome = ("FAILED", "Account 777777777777: role in use");

        var results = await world.RunAsync(KitTarget.DeployTargetRoles);

        var failed = results[FoundationPlan.DroppedUnitRolesKey];
        Assert.Equal(StackOutcome.Failed, failed.Outcome);
        Assert.Matches("^DeleteStackInstances operation pipelinekit-[0-9a-f]{32} of the stack set ended FAILED: Account 777777777777: role in use\\.$", failed.Error);
        Assert.EndsWith("fix the account it names, then re-run DeployTargetRoles.", failed.NextStep, StringComparison.Ordinal);
        Assert.Contains($"--stack-set-name {world.DroppedSet} ", failed.NextStep, StringComparison.Ordinal);
        Assert.DoesNotContain("DeleteStackSet as SELF", world.Sets.Calls);
        Assert.NotNull(await world.Sets.DescribeStackSetAsync(world.DroppedSet, "SELF"));
    }

    [Fact]
    public async Task AnInstanceLeftOutsideTheUnit_StopsTheSetsDeletion_NamingTheAccountAndTheCommandToFinish()
    {
        world.SeedDropped();
        // An account that left the unit while its instance was retained: deleting the unit's instances does not reach it.
        world.Sets.AddInstance(world.DroppedSet, new StackInstanceSummary("888888888888", "us-east-1", "ou-ab12-elsewhere", "CURRENT"));

        var failed = (await world.RunAsync(KitTarget.DeployTargetRoles))[FoundationPlan.DroppedUnitRolesKey];

        Assert.Equal(StackOutcome.Failed, failed.Outcome);
        Assert.Equal($"the stack set still has instances after their deletion in {UnitRolesWorld.DroppedUnit}: 888888888888/us-east-1 " +
            "(an account moved out of the unit keeps its instance only when retained).", failed.Error);
        Assert.Equal($"Delete them with aws cloudformation delete-stack-instances --stack-set-name {world.DroppedSet} --deployment-targets " +
            "OrganizationalUnitIds=<their unit> --regions us-east-1 --no-retain-stacks --call-as SELF, then re-run DeployTargetRoles.", failed.NextStep);
        Assert.NotNull(await world.Sets.DescribeStackSetAsync(world.DroppedSet, "SELF"));
    }

    [Theory]
    [InlineData("pipelinekit-hello-target-roles-ou-ab12-cd34ef56", "ou-ab12-cd34ef56")]
    [InlineData("pipelinekit-hello-dev-target-roles-ou-ab12-cd34ef56", null)]
    [InlineData("pipelinekit-hello-target-roles-ou-ab12-cd34ef56-copy", null)]
    [InlineData("pipelinekit-hello-target-roles", null)]
    public void OnlyThisPipelinesUnitStackSetNames_NameAUnit(string stackSetName, string? unit) =>
        Assert.Equal(unit, KitNames.UnitOfTargetRolesStackSet("hello", stackSetName));
}
