namespace PipelineKit.Tests.Organizations;

using PipelineKit.Aws;
using PipelineKit.Configuration;
using PipelineKit.Deployment;
using PipelineKit.Orchestration;
using PipelineKit.Testing;
using PipelineKit.Tests.Configuration;

/// <summary>The target roles of an organizational unit as a service-managed stack set, against the in-memory stack sets:
/// created with automatic deployment and instances in the unit, unchanged on a re-run without one mutating call, updated
/// only for what differs, failures named with the operation and where to read each account's result.</summary>
public sealed class StackSetDeployerTests
{
    private const string Unit = "ou-ab12-cd34ef56";

    private readonly FakeStackSets sets = new();
    private readonly StackSetDeployer deployer = new(new VirtualTime(), PollingPolicy.Default);

    public StackSetDeployerTests() => sets.Organization[Unit] = ["555555555555", "666666666666"];

    private static PipelineConfig Config(IReadOnlyList<string> accounts)
    {
        var json = ConfigJson.Valid();
        json["organizationId"] = "o-a1b2c3d4e5";
        var dev = ConfigJson.Environment(json, 0);
        dev.Remove("account");
        dev["organizationalUnit"] = Unit;
        dev["securityApproval"] = "never";
        return ConfigJson.Parse(json).WithUnitAccounts(
            new Dictionary<string, IReadOnlyList<string>> { [Unit] = accounts },
            new Dictionary<string, string> { [Unit] = $"o-a1b2c3d4e5/r-ab12/{Unit}/" });
    }

    private static StackSetDeployment Desired(PipelineConfig? config = null, string callAs = "SELF") =>
        new FoundationDeployments(config ?? Config(["555555555555", "666666666666"]), _ => "").TargetRoleSet(Unit, callAs);

    [Fact]
    public async Task FirstDeploy_CreatesTheServiceManagedSet_AndItsInstancesInTheUnit_InTheBuildRegion()
    {
        var result = await deployer.DeployAsync(sets, Desired());

        Assert.Equal(StackOutcome.Created, result.Outcome);
        Assert.Equal(["DescribeStackSet as SELF", "CreateStackSet as SELF", "CreateStackInstances as SELF", "DescribeStackSetOperation as SELF"], sets.Calls);
        Assert.Equal(["555555555555/us-east-1", "666666666666/us-east-1"],
            sets.InstancesOf("pipelinekit-hello-target-roles-ou-ab12-cd34ef56").Select(i => $"{i.Account}/{i.Region}"));
        var request = Assert.Single(sets.Requests);
        Assert.Equal("arn:aws:cloudformation:us-east-1:*:stack/hello-dev-app/*", request.Parameters["AppStackArns"]);
        Assert.Equal(["CAPABILITY_NAMED_IAM"], request.Capabilities);
    }

    [Fact]
    public async Task ReRun_WithNothingChanged_MakesNoMutatingCall()
    {
        await deployer.DeployAsync(sets, Desired());
        var before = sets.Calls.Count;

        var result = await deployer.DeployAsync(sets, Desired());

        Assert.Equal(StackOutcome.Unchanged, result.Outcome);
        Assert.Equal(["DescribeStackSet as SELF", "ListStackInstances as SELF"], sets.Calls.Skip(before));
    }

    [Fact]
    public async Task AStackSetOfTheKitsNameNotServiceManaged_IsRefused_AndNothingIsChanged()
    {
        var desired = Desired();
        sets.Add(new StackSetDescription(desired.Request.StackSetName, "ACTIVE", desired.Request.TemplateBody,
            new Dictionary<string, string>(desired.Request.Parameters), new Dictionary<string, string>(desired.Request.Tags), "SELF_MANAGED", null));

        var error = await Assert.ThrowsAsync<DeploymentException>(() => deployer.DeployAsync(sets, desired));

        Assert.Equal(DeploymentErrorCode.ResourceNameTaken, error.Code);
        Assert.Contains("exists with permission model SELF_MANAGED", error.Message, StringComparison.Ordinal);
        Assert.Equal(["DescribeStackSet as SELF"], sets.Calls);
    }

    /// <summary>With a delegated administrator the organization's stack sets share one namespace: another build account's
    /// pipeline of the same name owns a set of this name, and updating it would make its roles trust this build account.</summary>
    [Fact]
    public async Task AStackSetOfTheSameNameForAnotherBuildAccount_IsRefused_AndNothingIsChanged()
    {
        var desired = Desired();
        sets.Add(new StackSetDescription(desired.Request.StackSetName, "ACTIVE", desired.Request.TemplateBody,
            new Dictionary<string, string>(desired.Request.Parameters) { ["BuildAccountId"] = "210987654321" },
            new Dictionary<string, string>(desired.Request.Tags), "SERVICE_MANAGED", StackSetAutoDeployment.Kit));

        var error = await Assert.ThrowsAsync<DeploymentException>(() => deployer.DeployAsync(sets, desired));

        Assert.Equal(DeploymentErrorCode.ResourceNameTaken, error.Code);
        Assert.Contains("in build account 210987654321; this run's build account is 123456789012", error.Message, StringComparison.Ordinal);
        Assert.Equal(["DescribeStackSet as SELF"], sets.Calls);
    }

    [Fact]
    public async Task ATemplateParameterThatChanged_UpdatesTheSet_AndCreatesNoInstance()
    {
        await deployer.DeployAsync(sets, Desired());
        var before = sets.Calls.Count;
        var changed = Config(["555555555555", "666666666666"]) with { CloudFormationExecution = new ExecutionRoleSettings(["arn:aws:iam::aws:policy/ReadOnlyAccess"], null) };

        var result = await deployer.DeployAsync(sets, Desired(changed));

        Assert.Equal(StackOutcome.Updated, result.Outcome);
        Assert.Equal(["DescribeStackSet as SELF", "UpdateStackSet as SELF", "DescribeStackSetOperation as SELF", "ListStackInstances as SELF"], sets.Calls.Skip(before));
    }

    [Fact]
    public async Task AnAccountOfTheUnitWithoutAnInstance_GetsOne_WithoutUpdatingTheSet()
    {
        await deployer.DeployAsync(sets, Desired());
        sets.Organization[Unit] = ["555555555555", "666666666666", "777777777777"];
        var before = sets.Calls.Count;

        var result = await deployer.DeployAsync(sets, Desired(Config(["555555555555", "666666666666", "777777777777"])));

        Assert.Equal(StackOutcome.Updated, result.Outcome);
        Assert.Equal(["DescribeStackSet as SELF", "ListStackInstances as SELF", "CreateStackInstances as SELF", "DescribeStackSetOperation as SELF"], sets.Calls.Skip(before));
        Assert.Contains(sets.InstancesOf("pipelinekit-hello-target-roles-ou-ab12-cd34ef56"), i => i.Account == "777777777777");
    }

    [Fact]
    public async Task FromADelegatedAdministrator_EveryCallIsMadeAsDelegatedAdmin()
    {
        await deployer.DeployAsync(sets, Desired(callAs: "DELEGATED_ADMIN"));

        Assert.All(sets.Calls, c => Assert.EndsWith(" as DELEGATED_ADMIN", c, StringComparison.Ordinal));
    }

    [Fact]
    public async Task AFailedOperation_FailsTheDeployment_NamingItAndWhereEachAccountsResultIs()
    {
        sets.OperationOutcome = ("FAILED", "Account 666666666666 should have 'AWSControlTowerExecution' role");

        var error = await Assert.ThrowsAsync<DeploymentException>(() => deployer.DeployAsync(sets, Desired()));

        Assert.Matches("^pipelinekit-hello-target-roles-ou-ab12-cd34ef56 \\(123456789012/us-east-1\\): CreateStackInstances operation pipelinekit-[0-9a-f]{32} of the stack set ended FAILED: Account 666666666666 should have 'AWSControlTowerExecution' role\\.$", error.Message);
        Assert.StartsWith("See each account's result with aws cloudformation list-stack-set-operation-results --stack-set-name pipelinekit-hello-target-roles-ou-ab12-cd34ef56 --operation-id pipelinekit-", error.NextStep);
    }

    [Fact]
    public void AutomaticDeploymentThatIsOff_IsNotAsDesired()
    {
        var desired = Desired().Request;
        var deployed = new StackSetDescription(desired.StackSetName, "ACTIVE", desired.TemplateBody, desired.Parameters, desired.Tags, "SERVICE_MANAGED", new StackSetAutoDeployment(true, true));

        Assert.False(StackSetDeployer.IsAsDesired(deployed, desired));
        Assert.True(StackSetDeployer.IsAsDesired(deployed with { AutoDeployment = StackSetAutoDeployment.Kit }, desired));
    }
}
