namespace PipelineKit.Tests.Orchestration;

using System.Text;
using PipelineKit.Configuration;
using PipelineKit.Orchestration;
using PipelineKit.Tests.Configuration;

/// <summary>The build account's grants to the target accounts stay within AWS's limits (parameter value 4,096 bytes, bucket
/// policy 20 KB, key policy 32 KB) for 300 accounts, and a configuration beyond them is refused before any AWS call.</summary>
public sealed class GrantLimitsTests
{
    private static PipelineConfig WithTargetAccounts(int count, string? organizationId = null)
    {
        var sandbox = PipelineConfigLoader.LoadSandbox();
        var environments = Enumerable.Range(0, count)
            .Select(i => new EnvironmentSettings($"env{i}", (200000000000L + i).ToString(System.Globalization.CultureInfo.InvariantCulture), "us-east-1", null))
            .ToArray();
        return sandbox with { Environments = environments, OrganizationId = organizationId };
    }

    [Fact]
    public void ThreeHundredTargetAccounts_Validate_AndEveryGrantIsWithinItsLimit()
    {
        var config = WithTargetAccounts(300);

        GrantLimits.Check(config);

        var parameters = new FoundationDeployments(config, _ => "{}").Foundation(config.Build.Region).Parameters;
        Assert.Equal(3899, Encoding.UTF8.GetByteCount(parameters["TargetAccountIds"]));
        Assert.DoesNotContain(parameters.Keys, k => k is "TargetRoleArns" or "TargetPrincipals");
        Assert.All(parameters.Values, v => Assert.True(Encoding.UTF8.GetByteCount(v) <= GrantLimits.ParameterValueLimitBytes, v));
        Assert.Equal(7500, GrantLimits.EstimatedBucketPolicyBytes(config));
        Assert.Equal(6000, GrantLimits.EstimatedKeyPolicyBytes(config));
    }

    [Fact]
    public void TooManyTargetAccounts_AreRefusedBeforeAnyAwsCall_NamingTheLimitAndTheFix()
    {
        var error = Assert.Throws<ConfigurationException>(() => GrantLimits.Check(WithTargetAccounts(320)));

        Assert.Equal(
            "embedded:sandbox.pipeline.json: environments: 320 target accounts make the foundation's TargetAccountIds parameter 4,159 bytes, over CloudFormation's 4,096-byte parameter value limit; name the accounts' organizational unit instead (\"organizationalUnit\"; the grants then name its path, whatever the number of accounts), or set \"organizationId\" to the AWS Organization of the target accounts (the grants then name it), or split the environments across pipelines",
            error.Message);
    }

    [Fact]
    public void WithAnOrganization_TheGrantsListNoAccount_AndKeepOneSize()
    {
        var config = WithTargetAccounts(1000, "o-a1b2c3d4e5");

        GrantLimits.Check(config);

        var parameters = new FoundationDeployments(config, _ => "{}").Foundation(config.Build.Region).Parameters;
        Assert.Equal("", parameters["TargetAccountIds"]);
        Assert.Equal("o-a1b2c3d4e5", parameters["OrganizationId"]);
        Assert.Equal(GrantLimits.BucketPolicyBaseBytes, GrantLimits.EstimatedBucketPolicyBytes(config));
    }

    [Fact]
    public void WithoutAnOrganization_TheGrantsListEveryTargetAccount()
    {
        var config = SandboxConfigs.Accounts();

        var parameters = new FoundationDeployments(config, _ => "{}").Foundation("us-west-2").Parameters;

        Assert.Equal("222222222222,333333333333,444444444444", parameters["TargetAccountIds"]);
        Assert.Equal("", parameters["OrganizationId"]);
    }

    [Fact]
    public void WithOrganizationalUnits_TheGrantsNameTheUnitsPaths_AndTheOtherAccountsOneByOne_NeverTheWholeOrganization()
    {
        var sandbox = PipelineConfigLoader.LoadSandbox();
        var config = sandbox with
        {
            OrganizationId = "o-a1b2c3d4e5",
            Environments =
            [
                new EnvironmentSettings("dev", "", "us-east-1", OrganizationalUnit: "ou-ab12-11111111"),
                new EnvironmentSettings("prod", "444444444444", "us-east-1"),
            ],
        };
        var resolved = config.WithUnitAccounts(
            new Dictionary<string, IReadOnlyList<string>> { ["ou-ab12-11111111"] = ["555555555555", "666666666666"] },
            new Dictionary<string, string> { ["ou-ab12-11111111"] = "o-a1b2c3d4e5/r-ab12/ou-ab12-11111111/" });

        GrantLimits.Check(config);
        GrantLimits.Check(resolved);
        var parameters = new FoundationDeployments(resolved, _ => "{}").Foundation(resolved.Build.Region).Parameters;

        Assert.Equal("444444444444", parameters["TargetAccountIds"]);
        Assert.Equal("", parameters["OrganizationId"]);
        Assert.Equal("o-a1b2c3d4e5/r-ab12/ou-ab12-11111111/*", parameters["TargetOrganizationPaths"]);
        Assert.Throws<InvalidOperationException>(() => GrantLimits.TargetParameters(config));
    }
}
