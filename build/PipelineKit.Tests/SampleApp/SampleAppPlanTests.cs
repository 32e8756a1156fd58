namespace PipelineKit.Tests.SampleApp;

using PipelineKit.Configuration;
using PipelineKit.SampleApp;
using PipelineKit.Tests.Configuration;

public sealed class SampleAppPlanTests
{
    private static readonly PipelineConfig Config = SandboxConfigs.Accounts();

    [Theory]
    [InlineData("arn:aws:sts::123456789012:assumed-role/sandbox-deployer/ci", true)]
    [InlineData("arn:aws:sts::123456789012:assumed-role/sandbox-pipeline-build/AWSCodeBuild-1", false)]
    [InlineData("arn:aws:sts::123456789012:assumed-role/sandbox-deployer-evil/ci", false)]
    [InlineData("arn:aws:sts::123456789012:assumed-role/AWSReservedSSO_Admin_0123456789abcdef/jane", false)]
    [InlineData("arn:aws:iam::123456789012:user/jane", false)]
    [InlineData("arn:aws:sts::999999999999:assumed-role/sandbox-deployer/ci", false)]
    [InlineData("arn:aws:sts::123456789012:assumed-role/sandboxer-deployer/ci", false)]
    public void IsDeployerSession_OnlyForSessionsOfTheBuildAccountsDeployerRole(string caller, bool expected)
    {
        // target-roles.yaml: the action role trusts aws:PrincipalArn NAME-pipeline-role and NAME-deployer of the build account only.
        Assert.Equal("sandbox", Config.Name);
        Assert.Equal("123456789012", Config.Build.Account);

        Assert.Equal(expected, SampleAppPlan.IsDeployerSession(Config, caller));
    }

    [Fact]
    public void Key_OfAUnitsEnvironment_NamesEachAccount_SoOutputsJsonKeepsEveryAppStack()
    {
        var resolved = PipelineConfigLoader.LoadSandbox()
            .WithUnitAccounts(new Dictionary<string, IReadOnlyList<string>> { ["ou-pk01-test0001"] = ["333333333333", "666666666666"] });

        Assert.Equal(["app:dev", "app:test:333333333333", "app:test:666666666666", "app:test-eu:333333333333", "app:test-eu:666666666666", "app:prod"],
            resolved.Environments.Select(SampleAppPlan.Key));
    }
}
