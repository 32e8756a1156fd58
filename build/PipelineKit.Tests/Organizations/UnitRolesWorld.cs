namespace PipelineKit.Tests.Organizations;

using PipelineKit.Aws;
using PipelineKit.Configuration;
using PipelineKit.Deployment;
using PipelineKit.Orchestration;
using PipelineKit.Testing;
using PipelineKit.Tests.Configuration;

/// <summary>A pipeline whose dev environment is an organizational unit (two accounts), beside two account environments,
/// over the fake CloudFormation and the in-memory stack sets; and a second unit, no longer in pipeline.json, whose stack set
/// the kit deployed earlier (<see cref="SeedDropped"/>).</summary>
internal sealed class UnitRolesWorld
{
    public const string Unit = "ou-ab12-cd34ef56";
    public const string DroppedUnit = "ou-ab12-99999999";
    public const string DroppedAccount = "777777777777";
    public static readonly string[] UnitAccounts = ["555555555555", "666666666666"];

    public UnitRolesWorld(IReadOnlyList<string>? accounts = null)
    {
        Cloud = new FakeCloud(Time);
        Sets.Organization[Unit] = accounts ?? UnitAccounts;
        Sets.Organization[DroppedUnit] = [DroppedAccount];
        var json = ConfigJson.Valid();
        json["organizationId"] = "o-a1b2c3d4e5";
        var dev = ConfigJson.Environment(json, 0);
        dev.Remove("account");
        dev["organizationalUnit"] = Unit;
        dev["securityApproval"] = "never";
        Config = ConfigJson.Parse(json).WithUnitAccounts(
            new Dictionary<string, IReadOnlyList<string>> { [Unit] = accounts ?? UnitAccounts },
            new Dictionary<string, string> { [Unit] = $"o-a1b2c3d4e5/r-ab12/{Unit}/" });
    }

    public VirtualTime Time { get; } = new();

    public FakeCloud Cloud { get; }

    public FakeStackSets Sets { get; } = new();

    public RecordingMessages Messages { get; } = new();

    public RecordingObserver Observer { get; } = new();

    public PipelineConfig Config { get; }

    public string UnitSet => $"pipelinekit-hello-target-roles-{Unit}";

    public string DroppedSet => $"pipelinekit-hello-target-roles-{DroppedUnit}";

    /// <summary>Called whenever the graph takes the stack set client.</summary>
    public Action? OnSetClient { get; set; }

    public UnitRoleSets UnitRoles(IStackSetDeployer? deployer = null) => new(_ =>
    {
        OnSetClient?.Invoke();
        return Task.FromResult<ICloudFormationStackSets>(Sets);
    }, "SELF", deployer ?? new StackSetDeployer(Time, PollingPolicy.Default, Messages));

    public FoundationPlan Plan(IStackSetDeployer? deployer = null) =>
        new(Config, Cloud.CloudFormationAt, new StackDeployer(Time, PollingPolicy.Default, Observer), _ => "Resources: {}") { UnitRoles = UnitRoles(deployer) };

    public async Task<Dictionary<string, StackResult>> RunAsync(KitTarget target, FoundationPlan? plan = null)
    {
        var known = new Dictionary<string, StackResult>();
        var results = await new DagRunner(4, Time, Observer).RunAsync((plan ?? Plan()).For(target, known), known);
        return results.ToDictionary(r => r.Ref.Key, r => r.Result);
    }

    /// <summary>The dropped unit's stack set as the kit deployed it while the unit was in pipeline.json (tagged for
    /// <paramref name="pipeline"/>), with the instance of the unit's account.</summary>
    public void SeedDropped(string pipeline = "hello", string permissionModel = "SERVICE_MANAGED", string? buildAccount = null)
    {
        var request = new FoundationDeployments(Config, _ => "").TargetRoleSet(Unit, "SELF").Request;
        var parameters = new Dictionary<string, string>(request.Parameters);
        if (buildAccount is not null) parameters["BuildAccountId"] = buildAccount;
        Sets.Add(new StackSetDescription(DroppedSet, "ACTIVE", request.TemplateBody, parameters,
            new Dictionary<string, string>(request.Tags) { ["pipelinekit:pipeline"] = pipeline }, permissionModel, StackSetAutoDeployment.Kit));
        Sets.AddInstance(DroppedSet, new StackInstanceSummary(DroppedAccount, "us-east-1", DroppedUnit, "CURRENT"));
    }

    public IReadOnlyList<string> MutatingSetCalls =>
        [.. Sets.Calls.Where(c => !c.StartsWith("Describe", StringComparison.Ordinal) && !c.StartsWith("List", StringComparison.Ordinal))];
}
