namespace PipelineKit.Tests.Verification;

using PipelineKit.Aws;
using PipelineKit.Orchestration;
using PipelineKit.Tests.Organizations;
using PipelineKit.Verification;

/// <summary>Verify's check of the units' stack sets, over the in-memory stack sets: as deployed it passes; a missing set,
/// a parameter changed by hand, an account without an instance, an instance not CURRENT and the set of a unit no longer in
/// pipeline.json each fail with what to do.</summary>
public sealed class StackSetChecksTests : IDisposable
{
    private const string Build = "123456789012";
    private readonly ScriptedVerifyContext scripted = new("text/xml");
    private readonly UnitRolesWorld world = new();

    public void Dispose() => scripted.Dispose();

    private Task<IReadOnlyList<CheckFinding>> Check(string[]? reachable = null) =>
        new StackSetChecks(scripted.For(world.Config, emulated: true) with { Plan = world.Plan() })
            .RunAsync(new HashSet<string>(reachable ?? [Build]), default);

    private string Subject => $"{world.UnitSet} (us-east-1)";

    [Fact]
    public async Task AsDeployed_Passes_WithAnInstanceCurrentInEachAccountOfTheUnit()
    {
        await world.RunAsync(KitTarget.DeployTargetRoles);

        var finding = Assert.Single(await Check());

        Assert.Equal(CheckFinding.Pass(VerifyChecks.UnitStackSets, Build,
            $"{Subject} SERVICE_MANAGED, as the kit deploys it, an instance CURRENT in each of the 2 account(s) of {UnitRolesWorld.Unit}"), finding);
    }

    [Fact]
    public async Task AMissingStackSet_Fails_NamingTheTargetThatDeploysIt()
    {
        var finding = Assert.Single(await Check());

        Assert.Equal(CheckFinding.Fail(VerifyChecks.UnitStackSets, Build, Subject, "does not exist; run ./build.sh DeployTargetRoles (or BootstrapAll)"), finding);
    }

    [Fact]
    public async Task AParameterChangedByHand_AnAccountWithoutInstance_AndAnInstanceNotCurrent_EachFail()
    {
        await world.RunAsync(KitTarget.DeployTargetRoles);
        var deployed = (await world.Sets.DescribeStackSetAsync(world.UnitSet, "SELF"))!;
        // Added again as found: a parameter changed by hand, and its instances gone but the one of the unit's first account.
        world.Sets.Add(deployed with { Parameters = new Dictionary<string, string>(deployed.Parameters) { ["PipelineName"] = "other" } });
        world.Sets.AddInstance(world.UnitSet, new StackInstanceSummary("555555555555", "us-east-1", UnitRolesWorld.Unit, "OUTDATED"));

        var reasons = (await Check()).Select(f => (f.Status, f.Reason)).ToArray();

        Assert.Equal(
        [
            (CheckStatus.Fail, "parameter PipelineName differs: deployed \"other\", configured \"hello\""),
            (CheckStatus.Fail, "the instance of account 555555555555 is OUTDATED, not CURRENT; see aws cloudformation list-stack-instances --stack-set-name " +
                $"{world.UnitSet} --call-as SELF, then run ./build.sh DeployTargetRoles"),
            (CheckStatus.Fail, $"account 666666666666 of {UnitRolesWorld.Unit} has no instance in us-east-1, so no target roles; run ./build.sh DeployTargetRoles"),
        ], reasons);
    }

    [Fact]
    public async Task TheStackSetOfAUnitNoLongerInTheFile_Fails_SayingItsAccountsStillTrustThePipeline()
    {
        await world.RunAsync(KitTarget.DeployTargetRoles);
        world.SeedDropped();

        var findings = await Check();

        Assert.Equal(CheckFinding.Fail(VerifyChecks.UnitStackSets, Build, world.DroppedSet,
            $"is the stack set of organizational unit {UnitRolesWorld.DroppedUnit}, which pipeline.json no longer names: its accounts keep target roles " +
            "that trust this pipeline; run ./build.sh DeployTargetRoles, which deletes it"), findings[^1]);
    }

    [Fact]
    public async Task WithoutTheBuildAccount_NothingIsRead()
    {
        var finding = Assert.Single(await Check(reachable: []));

        Assert.Equal(CheckStatus.Skip, finding.Status);
        Assert.Empty(world.Sets.Calls);
    }
}
