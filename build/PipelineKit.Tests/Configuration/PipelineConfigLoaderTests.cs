namespace PipelineKit.Tests.Configuration;

using PipelineKit.Configuration;

public sealed class PipelineConfigLoaderTests
{
    [Fact]
    public void LoadSandbox_ReadsTheBundledConfiguration_WhoseTestStagesTargetTheEmulatorsUnit()
    {
        var config = PipelineConfigLoader.LoadSandbox();

        Assert.Equal("embedded:sandbox.pipeline.json", config.SourceFile);
        Assert.Equal("sandbox", config.Name);
        Assert.Equal(new BuildSettings("123456789012", "us-east-1", null), config.Build);
        Assert.Equal("OrganizationAccountAccessRole", config.AssumeRoleName);
        Assert.Equal("o-pksandbox01", config.OrganizationId);
        Assert.Equal(
            [
                new EnvironmentSettings("dev", "222222222222", "us-east-1"),
                new EnvironmentSettings("test", "", "us-west-2", SecurityApproval: SecurityApproval.Never, OrganizationalUnit: WorkloadsTest),
                new EnvironmentSettings("test-eu", "", "eu-west-1", SecurityApproval: SecurityApproval.Never, OrganizationalUnit: WorkloadsTest),
                new EnvironmentSettings("prod", "444444444444", "eu-west-1", Approval: true),
            ],
            config.Environments);
    }

    /// <summary>The unit "workloads-test" the sandbox's emulator seeds (Sandbox/moto_sandbox.py).</summary>
    private const string WorkloadsTest = "ou-pk01-test0001";

    [Fact]
    public void LoadSandbox_RegionsStartWithTheBuildRegionInFirstUseOrder()
    {
        var config = PipelineConfigLoader.LoadSandbox();

        Assert.Equal(["us-east-1", "us-west-2", "eu-west-1"], config.Regions);
        Assert.Equal(["us-west-2", "eu-west-1"], config.ExtraRegions);
    }

    [Fact]
    public void LoadSandbox_ResolvedToTheUnitsAccounts_GroupsEnvironmentsByTargetAccount()
    {
        var accounts = PipelineConfigLoader.LoadSandbox()
            .WithUnitAccounts(new Dictionary<string, IReadOnlyList<string>> { [WorkloadsTest] = ["333333333333", "666666666666"] }).TargetAccounts;

        Assert.Equal(["222222222222", "333333333333", "666666666666", "444444444444"], accounts.Select(a => a.AccountId));
        Assert.All(accounts.Skip(1).Take(2), unit => Assert.Equal(["test", "test-eu"], unit.EnvironmentNames));
        Assert.All(accounts.Skip(1).Take(2), unit => Assert.Equal(["us-west-2", "eu-west-1"], unit.Regions));
        Assert.All(accounts, a => Assert.Null(a.Profile));
        Assert.All(accounts, a => Assert.Null(a.RoleArn));
    }

    [Fact]
    public void Load_RootPipelineJson_WhenItsProfilesExist_ReadsTheDesignExample()
    {
        var path = ConfigJson.RepositoryFile("pipeline.json");

        var config = PipelineConfigLoader.Load(path, new ConfigContext(_ => true));

        Assert.Equal(Path.GetFullPath(path), config.SourceFile);
        Assert.Equal("hello", config.Name);
        Assert.Equal(new BuildSettings("123456789012", "us-east-1", "build"), config.Build);
        Assert.Equal(["dev", "test", "prod"], config.Environments.Select(e => e.Name));
        Assert.Equal("test", config.Environments[1].Profile);
        Assert.True(config.Environments[2].Approval);
        Assert.Equal(["team@example.com"], config.Notifications.Emails);
        Assert.Equal(["us-east-1", "us-west-2", "eu-west-1"], config.Regions);
    }

    [Fact]
    public void Load_RootPipelineJson_WhenItsProfilesAreMissing_NamesBothProfiles()
    {
        var path = ConfigJson.RepositoryFile("pipeline.json");

        var error = Assert.Throws<ConfigurationException>(() => PipelineConfigLoader.Load(path, ConfigJson.Profiles()));

        Assert.Equal(["build.profile", "environments[1].profile"], error.Errors.Select(e => e.Path));
        Assert.All(error.Errors, e => Assert.Equal(path, e.File));
    }

    [Fact]
    public void Parse_WhenOptionalFieldsAreLeftOut_AppliesTheDefaults()
    {
        var config = ConfigJson.Parse(ConfigJson.Valid());

        Assert.Equal("OrganizationAccountAccessRole", config.AssumeRoleName);
        Assert.Equal(new S3Source("source.zip"), config.Source);
        Assert.Empty(config.Notifications.Emails);
        Assert.Equal(["arn:aws:iam::aws:policy/PowerUserAccess"], config.CloudFormationExecution.ManagedPolicyArns);
        Assert.Null(config.CloudFormationExecution.PermissionsBoundaryArn);
        Assert.Equal(30, config.ArtifactRetentionDays);
        Assert.False(config.Environments[0].Approval);
        Assert.Equal(SecurityApproval.Broadening, config.Environments[0].SecurityApproval);
        Assert.Equal("pipeline.json", config.SourceFile);
    }

    [Fact]
    public void Parse_WhenEveryFieldIsGiven_ReadsEachOne()
    {
        const string json = """
            {
              "$schema": "./pipeline.schema.json",
              "name": "shop-api",
              "build": { "account": "123456789012", "region": "eu-central-1", "profile": "tooling" },
              "assumeRoleName": "DeployAccess",
              "environments": [
                { "name": "dev", "account": "555555555555", "region": "eu-central-1", "profile": "dev", "securityApproval": "never" },
                { "name": "prod", "account": "444444444444", "region": "eu-west-1",
                  "roleArn": "arn:aws:iam::444444444444:role/team/Deployer", "approval": true, "securityApproval": "always" }
              ],
              "source": {
                "type": "CodeStarConnection",
                "connectionArn": "arn:aws:codestar-connections:eu-central-1:123456789012:connection/0a1b2c3d-4e5f-6789-abcd-ef0123456789",
                "repository": "shop/shop-api",
                "branch": "main"
              },
              "notifications": { "emails": ["team@example.com", "oncall@example.org"] },
              "cloudFormationExecution": {
                "managedPolicyArns": ["arn:aws:iam::aws:policy/AdministratorAccess", "arn:aws:iam::444444444444:policy/Extra"],
                "permissionsBoundaryArn": "arn:aws:iam::444444444444:policy/Boundary"
              },
              "artifactRetentionDays": 90
            }
            """;

        var config = PipelineConfigLoader.Parse(json, "pipeline.json", ConfigJson.Profiles("tooling", "dev"));

        Assert.Equal("shop-api", config.Name);
        Assert.Equal(new BuildSettings("123456789012", "eu-central-1", "tooling"), config.Build);
        Assert.Equal("DeployAccess", config.AssumeRoleName);
        Assert.Equal(
            [
                new EnvironmentSettings("dev", "555555555555", "eu-central-1", "dev", SecurityApproval: SecurityApproval.Never),
                new EnvironmentSettings("prod", "444444444444", "eu-west-1", null, "arn:aws:iam::444444444444:role/team/Deployer", true, SecurityApproval: SecurityApproval.Always),
            ],
            config.Environments);
        Assert.Equal(
            new CodeStarConnectionSource(
                ConnectionArn: "arn:aws:codestar-connections:eu-central-1:123456789012:connection/0a1b2c3d-4e5f-6789-abcd-ef0123456789",
                Repository: "shop/shop-api", Branch: "main"),
            config.Source);
        Assert.Equal(["team@example.com", "oncall@example.org"], config.Notifications.Emails);
        Assert.Equal(
            ["arn:aws:iam::aws:policy/AdministratorAccess", "arn:aws:iam::444444444444:policy/Extra"],
            config.CloudFormationExecution.ManagedPolicyArns);
        Assert.Equal("arn:aws:iam::444444444444:policy/Boundary", config.CloudFormationExecution.PermissionsBoundaryArn);
        Assert.Equal(90, config.ArtifactRetentionDays);
        Assert.Equal(["eu-central-1", "eu-west-1"], config.Regions);
    }

    [Fact]
    public void Parse_WhenProfileOverrideIsGiven_ItReplacesTheBuildProfile()
    {
        var json = ConfigJson.Valid();
        json["build"]!["profile"] = "build";

        var config = ConfigJson.Parse(json, new ConfigContext(_ => true, ProfileOverride: "admin"));

        Assert.Equal("admin", config.Build.Profile);
    }

    [Fact]
    public void Parse_WhenProfileOverrideIsGiven_TheFilesBuildProfileNeedNotExist()
    {
        var json = ConfigJson.Valid();
        json["build"]!["profile"] = "laptop-only";

        var config = ConfigJson.Parse(json, new ConfigContext(name => name == "ci", ProfileOverride: "ci"));

        Assert.Equal("ci", config.Build.Profile);
    }

    [Fact]
    public void Parse_WhenEnvironmentsInOneAccountAgreeOnAProfile_TheAccountUsesIt()
    {
        var json = ConfigJson.Valid();
        ConfigJson.Environment(json, 1)["profile"] = "test";
        json["environments"]!.AsArray().Add(new System.Text.Json.Nodes.JsonObject
        {
            ["name"] = "test-eu", ["account"] = "333333333333", ["region"] = "eu-west-1",
        });

        var account = ConfigJson.Parse(json, ConfigJson.Profiles("test")).TargetAccounts[1];

        Assert.Equal(new[] { "test", "test-eu" }, account.EnvironmentNames);
        Assert.Equal("test", account.Profile);
    }

    [Fact]
    public void OrganizationId_IsReadWhenGiven_AndAbsentByDefault()
    {
        var json = ConfigJson.Valid();
        Assert.Null(ConfigJson.Parse(json).OrganizationId);

        json["organizationId"] = "o-a1b2c3d4e5";

        Assert.Equal("o-a1b2c3d4e5", ConfigJson.Parse(json).OrganizationId);
    }

    [Fact]
    public void OrganizationId_ThatIsNotAnOrganizationsId_IsRefusedNamingTheForm()
    {
        var json = ConfigJson.Valid();
        json["organizationId"] = "r-a1b2";

        Assert.Equal(
            "pipeline.json: organizationId: \"r-a1b2\" is not an AWS Organizations id (o- followed by 10 to 32 lower-case letters or digits, e.g. o-a1b2c3d4e5)",
            ConfigJson.ErrorsOf(json));
    }
}
