namespace PipelineKit.Tests.Integration;

using System.Text.Json.Nodes;
using PipelineKit.Deployment;
using PipelineKit.Naming;
using PipelineKit.Orchestration;
using PipelineKit.Permissions;

/// <summary>
/// An environment of an organizational unit against the emulator's organization (the one it seeds for the sandbox, with two
/// units of this test's own under its root): the foundation targets resolve
/// the unit to its accounts, give them the target roles through the unit's stack set and grant the unit by its path; a
/// re-run changes nothing; an account moved into the unit afterwards gets the roles from the stack set's automatic
/// deployment, with no run of the kit; and the evaluator denies a same-named role outside the unit, which the grant
/// without its path bound (the defect put back) would let in.
/// </summary>
[Collection(MotoReleaseCollection.Name)]
public sealed class OrganizationTargetsMotoTests(MotoFixture moto, Xunit.Abstractions.ITestOutputHelper output)
{
    private const string Name = "it-org";
    private const string ExplicitAccount = "444444444444";

    [Fact]
    public async Task AUnitsAccounts_GetTheRolesThroughTheStackSet_AReRunChangesNothing_AndAnAccountMovedInGetsThemAlone()
    {
        var organization = await EmulatorOrganization.OfAsync(moto.Url);
        var root = (await organization.Call("ListRoots")).GetProperty("Roots")[0].GetProperty("Id").GetString()!;
        var apps = await organization.UnitAsync(root, "apps");
        var other = await organization.UnitAsync(root, "other");
        var first = await organization.AccountAsync("a", root, apps);
        var second = await organization.AccountAsync("b", root, apps);
        var outsider = await organization.AccountAsync("c", root, other);
        using var workspace = new KitWorkspace(moto, Name);
        workspace.Config["organizationId"] = organization.Id;
        workspace.Config["environments"] = new JsonArray(
            new JsonObject { ["name"] = "dev", ["organizationalUnit"] = apps, ["region"] = "us-east-1", ["securityApproval"] = "never" },
            new JsonObject { ["name"] = "prod", ["account"] = ExplicitAccount, ["region"] = "us-east-1", ["approval"] = true });

        var (_, primary) = await workspace.Run(KitTarget.BootstrapPrimary);
        var (_, roles) = await workspace.Run(KitTarget.DeployTargetRoles);
        var (again, rerun) = await workspace.Run(KitTarget.DeployTargetRoles);

        output.WriteLine(workspace.Console.ToString());
        var path = $"{organization.Id}/{root}/{apps}/";
        Assert.Equal(path + "*", primary["primary"].DeployedParameters!["TargetOrganizationPaths"]);
        Assert.Equal(ExplicitAccount, primary["primary"].DeployedParameters!["TargetAccountIds"]);
        Assert.Equal("", primary["primary"].DeployedParameters!["OrganizationId"]);
        Assert.Equal(StackOutcome.Created, roles["roles-unit:" + apps].Outcome);
        Assert.Equal(StackOutcome.Created, roles["roles:" + ExplicitAccount].Outcome);
        Assert.DoesNotContain(roles.Keys, k => k.Contains(first, StringComparison.Ordinal) || k.Contains(outsider, StringComparison.Ordinal));
        Assert.All(rerun.Values, r => Assert.Equal(StackOutcome.Unchanged, r.Outcome));
        Assert.Empty(RunLockCalls.MutatingBesidesTheLock(again.CallLog));
        Assert.Contains($"Organizational unit {apps} (environment dev): 2 active account(s): {first}, {second}", workspace.Console.ToString(), StringComparison.Ordinal);
        Assert.True(await HasRoleAsync(first));
        Assert.True(await HasRoleAsync(second));
        Assert.False(await HasRoleAsync(outsider));

        await organization.Call("MoveAccount", new JsonObject { ["AccountId"] = outsider, ["SourceParentId"] = other, ["DestinationParentId"] = apps });

        Assert.True(await HasRoleAsync(outsider));
        await TheGrantNeedsItsPathBoundAsync(path, $"{organization.Id}/{root}/{other}/");
    }

    /// <summary>The artifact bucket's policy as deployed: the unit's accounts' action role reads, the same role name in the
    /// other unit does not; with the path condition removed (the defect put back), it would.</summary>
    private async Task TheGrantNeedsItsPathBoundAsync(string inUnit, string outside)
    {
        var bucket = KitNames.ArtifactBucket(Name, "123456789012", "us-east-1");
        var text = (await moto.Cli(null, "s3api", "get-bucket-policy", "--bucket", bucket)).GetProperty("Policy").GetString()!;
        AccessDecision Read(string document, string path) => PolicyEvaluator.Evaluate(
            new AccessRequest(AccessPrincipal.Role($"arn:aws:iam::555555555555:role/{Name}-pipeline-action") with { OrganizationPaths = [path] },
                "s3:GetObject", $"arn:aws:s3:::{bucket}/{Name}/Source/x.zip", "123456789012", AccessRequest.NoContext),
            new PrincipalPolicies([PolicyDocument.Parse("identity", """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"}]}""")], null),
            new ResourcePolicy(ResourcePolicyKind.Bucket, PolicyDocument.Parse($"bucket policy of {bucket}", document)));
        var broken = JsonNode.Parse(text)!.AsObject();
        foreach (var statement in broken["Statement"]!.AsArray().Where(s => (string?)s!["Sid"] == "TargetUnitRolesReadArtifacts"))
        {
            statement!["Condition"]!.AsObject().Remove("ForAnyValue:StringLike");
        }

        Assert.True(Read(text, inUnit).Allowed);
        Assert.False(Read(text, outside).Allowed);
        Assert.True(Read(broken.ToJsonString(), outside).Allowed, "the grant without its path bound lets the other unit's role in: the check would catch it");
    }

    private async Task<bool> HasRoleAsync(string account)
    {
        var roles = await moto.Cli(account, "iam", "list-roles");
        return roles.GetProperty("Roles").EnumerateArray().Any(r => r.GetProperty("RoleName").GetString() == $"{Name}-pipeline-action");
    }
}
