namespace PipelineKit.Tests.Organizations;

using System.Text.Json.Nodes;
using PipelineKit.Accounts;
using PipelineKit.Configuration;
using PipelineKit.Messages;
using PipelineKit.Testing;
using PipelineKit.Tests.Configuration;

/// <summary>An environment of an organizational unit, resolved against an in-memory organization: the unit's active
/// accounts and its child units', the rest said and skipped, and every way it cannot be resolved stopped with the fix.</summary>
public sealed class OrganizationalUnitsTests
{
    private const string Unit = "ou-ab12-cd34ef56";
    private const string Child = "ou-ab12-99999999";

    private readonly RecordingMessages messages = new();

    private static PipelineConfig Config(string organizationId = "o-a1b2c3d4e5")
    {
        var json = ConfigJson.Valid();
        json["organizationId"] = organizationId;
        var dev = ConfigJson.Environment(json, 0);
        dev.Remove("account");
        dev["organizationalUnit"] = Unit;
        dev["securityApproval"] = "never";
        return ConfigJson.Parse(json);
    }

    private Task<ResolvedUnits> Resolve(FakeOrganizations organization, PipelineConfig? config = null) =>
        new OrganizationalUnits(organization, messages).ResolveAsync(config ?? Config(), CancellationToken.None);

    [Fact]
    public async Task Resolve_TakesTheUnitsActiveAccounts_AndItsChildUnits_AndSkipsASuspendedOneSayingSo()
    {
        var organization = new FakeOrganizations()
            .AddUnit(Unit).AddUnit(Child, Unit)
            .AddAccount("555555555555", Unit)
            .AddAccount("666666666666", Child)
            .AddAccount("777777777777", Unit, "SUSPENDED", "old-team")
            .AddAccount("888888888888", "r-ab12");

        var resolved = await Resolve(organization);

        Assert.Equal(["555555555555", "666666666666"], resolved.Accounts[Unit]);
        Assert.Equal(["dev/555555555555", "dev/666666666666", "test/333333333333", "prod/444444444444"],
            resolved.Config.Environments.Select(e => $"{e.Name}/{e.Account}"));
        Assert.Equal("SELF", resolved.CallAs);
        Assert.Equal("o-a1b2c3d4e5/r-ab12/ou-ab12-cd34ef56/", resolved.Config.OrganizationalUnitPaths[Unit]);
        Assert.Equal(
        [
            "Organizational unit ou-ab12-cd34ef56: account 777777777777 (old-team) is SUSPENDED; nothing is deployed to it.",
            "Organizational unit ou-ab12-cd34ef56 (environment dev): 2 active account(s): 555555555555, 666666666666",
        ], messages.Messages.Select(m => m.Text));
        Assert.Equal(MessageCodes.OrganizationalAccountSkipped.Code, messages.Messages[0].Code);
    }

    [Fact]
    public async Task Resolve_FromADelegatedAdministrator_CallsStackSetsAsDelegatedAdmin()
    {
        var organization = new FakeOrganizations(managementAccountId: "999999999999").AddUnit(Unit).AddAccount("555555555555", Unit);

        Assert.Equal("DELEGATED_ADMIN", (await Resolve(organization)).CallAs);
    }

    [Fact]
    public async Task Resolve_AnEmptyUnit_IsAClearError()
    {
        var organization = new FakeOrganizations().AddUnit(Unit).AddUnit(Child, Unit).AddAccount("777777777777", Child, "PENDING_CLOSURE");

        var error = await Assert.ThrowsAsync<AccountAccessException>(() => Resolve(organization));

        Assert.Equal(AccountAccessError.OrganizationalUnitUnresolved, error.Error);
        Assert.Equal("Organizational unit ou-ab12-cd34ef56 (environment dev) has no active account, its child units included; move an account into it, or name another unit.", error.Message);
    }

    [Fact]
    public async Task Resolve_AUnitThatDoesNotExist_NamesIt()
    {
        var error = await Assert.ThrowsAsync<AccountAccessException>(() => Resolve(new FakeOrganizations()));

        Assert.Equal("Organizational unit ou-ab12-cd34ef56 does not exist in organization o-a1b2c3d4e5 (environment dev); correct the environment's organizationalUnit.", error.Message);
    }

    [Fact]
    public async Task Resolve_InAnotherOrganization_StopsBeforeListingAnything()
    {
        var organization = new FakeOrganizations(id: "o-zzzzzzzzzz").AddUnit(Unit).AddAccount("555555555555", Unit);

        var error = await Assert.ThrowsAsync<AccountAccessException>(() => Resolve(organization));

        Assert.Equal("The build account 123456789012 is in organization o-zzzzzzzzzz, but pipeline.json's organizationId is o-a1b2c3d4e5; correct organizationId, or run the kit from an account of o-a1b2c3d4e5.", error.Message);
        Assert.Equal(["DescribeOrganization"], organization.Calls);
    }

    [Fact]
    public async Task Resolve_WhenOrganizationsRefusesTheBuildAccount_SaysWhichAccountsMayList()
    {
        var organization = new FakeOrganizations { DenyAccess = true };

        var error = await Assert.ThrowsAsync<AccountAccessException>(() => Resolve(organization));

        Assert.StartsWith("Organizations refused organizations:DescribeOrganization to the build account 123456789012 (", error.Message);
        Assert.EndsWith("Only the organization's management account, or an account registered as a delegated administrator, may list it: run the kit there, with organizations:DescribeOrganization, ListParents, ListAccountsForParent and ListOrganizationalUnitsForParent allowed.", error.Message);
        Assert.Equal("AccessDeniedException", error.AwsErrorCode);
    }

    [Fact]
    public async Task Resolve_AUnitHoldingTheBuildAccount_IsRefused()
    {
        var organization = new FakeOrganizations().AddUnit(Unit).AddAccount("123456789012", Unit);

        var error = await Assert.ThrowsAsync<AccountAccessException>(() => Resolve(organization));

        Assert.StartsWith("Organizational unit ou-ab12-cd34ef56 holds the build account 123456789012;", error.Message);
    }

    [Fact]
    public async Task Resolve_AUnitHoldingTheManagementAccount_IsRefused_ForAStackSetNeverDeploysThere()
    {
        var organization = new FakeOrganizations(managementAccountId: "999999999999").AddUnit(Unit)
            .AddAccount("555555555555", Unit).AddAccount("999999999999", Unit);

        var error = await Assert.ThrowsAsync<AccountAccessException>(() => Resolve(organization));

        Assert.StartsWith("Organizational unit ou-ab12-cd34ef56 holds the organization's management account 999999999999,", error.Message);
    }

    [Fact]
    public async Task Resolve_ANestedUnit_SpellsItsPathFromTheRoot()
    {
        var json = ConfigJson.Valid();
        json["organizationId"] = "o-a1b2c3d4e5";
        var dev = ConfigJson.Environment(json, 0);
        dev.Remove("account");
        dev["organizationalUnit"] = Child;
        dev["securityApproval"] = "never";
        var organization = new FakeOrganizations().AddUnit(Unit).AddUnit(Child, Unit).AddAccount("555555555555", Child);

        var resolved = await Resolve(organization, ConfigJson.Parse(json));

        Assert.Equal("o-a1b2c3d4e5/r-ab12/ou-ab12-cd34ef56/ou-ab12-99999999/", resolved.Config.OrganizationalUnitPaths[Child]);
    }

    [Fact]
    public async Task Resolve_AnAccountOfTheUnitThatAnotherEnvironmentNames_IsRefused()
    {
        var organization = new FakeOrganizations().AddUnit(Unit).AddAccount("555555555555", Unit).AddAccount("444444444444", Unit);

        var error = await Assert.ThrowsAsync<AccountAccessException>(() => Resolve(organization));

        Assert.Equal("Account 444444444444 of organizational unit ou-ab12-cd34ef56 (environment dev) is also the account of environment prod: it would get the target roles twice; name it in one way only (a unit below another named unit counts as inside it).", error.Message);
    }
}
