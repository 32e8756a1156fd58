namespace PipelineKit.Tests.Configuration;

using System.Text.Json.Nodes;
using PipelineKit.Configuration;

/// <summary><c>environments[].organizationalUnit</c>: read, validated and refused before any AWS call, beside account
/// environments; expanded to one environment per account once the unit is resolved.</summary>
public sealed class OrganizationalUnitConfigTests
{
    private const string Unit = "ou-ab12-cd34ef56";

    private static JsonObject WithUnit()
    {
        var json = ConfigJson.Valid();
        json["organizationId"] = "o-a1b2c3d4e5";
        var dev = ConfigJson.Environment(json, 0);
        dev.Remove("account");
        dev["organizationalUnit"] = Unit;
        dev["securityApproval"] = "never";
        return json;
    }

    [Fact]
    public void Parse_AnEnvironmentOfAUnit_BesideAccountEnvironments_HasNoAccountUntilResolved()
    {
        var config = ConfigJson.Parse(WithUnit());

        var dev = config.Environments[0];
        Assert.Equal(Unit, dev.OrganizationalUnit);
        Assert.Equal("", dev.Account);
        Assert.True(config.HasOrganizationalUnits);
        Assert.False(config.IsResolved);
        Assert.Equal([Unit], config.OrganizationalUnits);
        Assert.Equal(["333333333333", "444444444444"], config.TargetAccounts.Select(a => a.AccountId));
    }

    [Fact]
    public void WithUnitAccounts_ReplacesTheUnitsEnvironment_ByOnePerAccount_InPlace()
    {
        var config = ConfigJson.Parse(WithUnit());

        var resolved = config.WithUnitAccounts(new Dictionary<string, IReadOnlyList<string>> { [Unit] = ["555555555555", "666666666666"] });

        Assert.True(resolved.IsResolved);
        Assert.Equal(["dev/555555555555", "dev/666666666666", "test/333333333333", "prod/444444444444"],
            resolved.Environments.Select(e => $"{e.Name}/{e.Account}"));
        Assert.All(resolved.Environments.Take(2), e => Assert.Equal(Unit, e.OrganizationalUnit));
        Assert.Equal(["555555555555", "666666666666", "333333333333", "444444444444"], resolved.TargetAccounts.Select(a => a.AccountId));
    }

    [Fact]
    public void Parse_WhenBothAccountAndUnitAreSet_SaysKeepOne()
    {
        var json = WithUnit();
        ConfigJson.Environment(json, 0)["account"] = "222222222222";

        Assert.Equal(
            $"pipeline.json: environments[0].organizationalUnit: \"{Unit}\" and \"account\" are both set; an environment deploys to one account or to the accounts of one organizational unit: keep one of them",
            ConfigJson.ErrorsOf(json));
    }

    [Fact]
    public void Parse_WhenNeitherAccountNorUnitIsSet_NamesBoth()
    {
        var json = WithUnit();
        ConfigJson.Environment(json, 0).Remove("organizationalUnit");

        Assert.Equal(
            "pipeline.json: environments[0].account: is required (the 12-digit AWS account id, in quotes), or instead \"organizationalUnit\" (an organizational unit id, ou-...) to deploy to every account of the unit",
            ConfigJson.ErrorsOf(json));
    }

    [Theory]
    [InlineData("ou-ab12")]
    [InlineData("OU-AB12-CD34EF56")]
    [InlineData("r-ab12")]
    public void Parse_WhenTheUnitIdIsMalformed_ShowsTheShape(string unit)
    {
        var json = WithUnit();
        ConfigJson.Environment(json, 0)["organizationalUnit"] = unit;

        Assert.Equal(
            $"pipeline.json: environments[0].organizationalUnit: \"{unit}\" is not an organizational unit id (ou- followed by 4 to 32 lower-case letters or digits, a hyphen and 8 to 32 more, e.g. ou-ab12-cd34ef56)",
            ConfigJson.ErrorsOf(json));
    }

    [Fact]
    public void Parse_AUnitWithoutOrganizationId_IsRefused()
    {
        var json = WithUnit();
        json.Remove("organizationId");

        Assert.Equal(
            $"pipeline.json: environments[0].organizationalUnit: needs \"organizationId\" at the top level (the o-... id of the organization {Unit} belongs to): the build account's grants name the unit by its path in the organization",
            ConfigJson.ErrorsOf(json));
    }

    [Theory]
    [InlineData("profile", "dev")]
    [InlineData("roleArn", "arn:aws:iam::222222222222:role/deploy")]
    public void Parse_AUnitWithAProfileOrRole_IsRefused(string field, string value)
    {
        var json = WithUnit();
        ConfigJson.Environment(json, 0)[field] = value;

        Assert.Equal(
            $"pipeline.json: environments[0].{field}: \"{value}\" cannot apply to organizational unit {Unit}, whose accounts are found when the kit runs; the kit reaches each of them as arn:aws:iam::ACCOUNT:role/<assumeRoleName>: leave {field} out",
            ConfigJson.ErrorsOf(json, ConfigJson.Profiles("dev")));
    }

    [Fact]
    public void Parse_AUnitsEnvironment_HasNoSecurityCheck_SaidInTheConfig_AndLeavingItOutOrAskingForOneIsRefused()
    {
        Assert.Equal(SecurityApproval.Never, ConfigJson.Parse(WithUnit()).Environments[0].SecurityApproval);
        var asking = WithUnit();
        ConfigJson.Environment(asking, 0)["securityApproval"] = "always";
        var silent = WithUnit();
        ConfigJson.Environment(silent, 0).Remove("securityApproval");

        var expected = $"pipeline.json: environments[0].securityApproval: the security gate checks one account's change set and does not cover organizational unit {Unit} yet, so its accounts deploy without it: say \"securityApproval\": \"never\" to accept that, or give its accounts environments of their own";
        Assert.Equal(expected, ConfigJson.ErrorsOf(asking));
        Assert.Equal(expected, ConfigJson.ErrorsOf(silent));
    }

    [Fact]
    public void Parse_AUnitWithSelfUpdate_IsRefused_SayingWhatToRunInstead()
    {
        var json = WithUnit();
        json["selfUpdate"] = true;

        Assert.Equal(
            $"pipeline.json: selfUpdate: does not cover organizational units yet (environments[0] (\"dev\") names {Unit}): the pipeline's update role may not list the organization; leave selfUpdate out and run CreatePipeline from the build account when accounts join or leave the unit",
            ConfigJson.ErrorsOf(json));
    }
}
