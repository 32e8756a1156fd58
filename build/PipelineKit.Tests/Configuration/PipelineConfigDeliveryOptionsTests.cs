namespace PipelineKit.Tests.Configuration;

using System.Text.Json.Nodes;
using PipelineKit.Configuration;

/// <summary>Waves, approval timeouts, the three source types, Slack and self-update: what the loader accepts and
/// the exact messages for what it refuses.</summary>
public sealed class PipelineConfigDeliveryOptionsTests
{
    private const string ConnectionArn = "arn:aws:codestar-connections:us-east-1:123456789012:connection/0a1b2c3d-4e5f-6789-abcd-ef0123456789";

    private static JsonObject WithWaves(params int?[] waves)
    {
        var json = ConfigJson.Valid();
        for (var i = 0; i < waves.Length; i++)
        {
            if (waves[i] is { } wave) ConfigJson.Environment(json, i)["wave"] = wave;
        }

        return json;
    }

    [Fact]
    public void Parse_WithWaves_GroupsEnvironmentsIntoOneStagePerWaveInAscendingOrder()
    {
        var config = ConfigJson.Parse(WithWaves(1, 1, 2));

        Assert.True(config.UsesWaves);
        Assert.Equal(["Deploy-wave1", "Deploy-wave2"], config.DeployStages.Select(s => s.Name));
        Assert.Equal(["dev", "test"], config.DeployStages[0].Environments.Select(e => e.Name));
        Assert.Equal(2, config.Environments[2].Wave);
    }

    [Fact]
    public void Parse_WithoutWaves_HasOneStagePerEnvironment()
    {
        var config = ConfigJson.Parse(ConfigJson.Valid());

        Assert.False(config.UsesWaves);
        Assert.Equal(["Deploy-dev", "Deploy-test", "Deploy-prod"], config.DeployStages.Select(s => s.Name));
    }

    [Fact]
    public void Parse_WhenWavesDecrease_NamesTheFieldAndTheEarlierEnvironment()
    {
        Assert.Equal(
            "pipeline.json: environments[2].wave: 1 comes after wave 2 of environments[1] (\"test\"); waves must not decrease in file order: list the environments in the order their waves deploy",
            ConfigJson.ErrorsOf(WithWaves(1, 2, 1)));
    }

    [Fact]
    public void Parse_WhenOnlySomeEnvironmentsHaveAWave_NamesEachOneWithout()
    {
        Assert.Equal(
            string.Join(Environment.NewLine,
                "pipeline.json: environments[0].wave: is required because environments[1] (\"test\") has a wave; give every environment a wave, or none",
                "pipeline.json: environments[2].wave: is required because environments[1] (\"test\") has a wave; give every environment a wave, or none"),
            ConfigJson.ErrorsOf(WithWaves(null, 1, null)));
    }

    [Fact]
    public void Parse_WhenAWaveIsZero_SaysWavesStartAtOne()
    {
        Assert.Equal(
            "pipeline.json: environments[0].wave: 0 is out of range; waves are numbered from 1",
            ConfigJson.ErrorsOf(WithWaves(0, 1, 1)));
    }

    [Fact]
    public void Parse_ApprovalTimeout_EnvironmentWinsOverTheTopLevelDefault_AndOnlyApprovalsGetOne()
    {
        var json = ConfigJson.Valid();
        json["approvalTimeoutMinutes"] = 60;
        var defaulted = ConfigJson.Parse(json);
        ConfigJson.Environment(json, 2)["approvalTimeoutMinutes"] = 1440;
        var own = ConfigJson.Parse(json);

        Assert.Equal([null, null, 60], defaulted.Environments.Select(e => e.ApprovalTimeoutMinutes));
        Assert.Equal(1440, own.Environments[2].ApprovalTimeoutMinutes);
    }

    [Fact]
    public void Parse_WhenApprovalTimeoutIsOutOfRange_GivesCodePipelinesBounds()
    {
        var json = ConfigJson.Valid();
        json["approvalTimeoutMinutes"] = 4;
        ConfigJson.Environment(json, 2)["approvalTimeoutMinutes"] = 86401;

        Assert.Equal(
            string.Join(Environment.NewLine,
                "pipeline.json: approvalTimeoutMinutes: 4 is out of range; CodePipeline accepts 5 to 86400 minutes (60 days)",
                "pipeline.json: environments[2].approvalTimeoutMinutes: 86401 is out of range; CodePipeline accepts 5 to 86400 minutes (60 days)"),
            ConfigJson.ErrorsOf(json));
    }

    [Fact]
    public void Parse_WhenAnEnvironmentWithoutApprovalHasATimeout_SaysItAppliesOnlyToApprovals()
    {
        var json = ConfigJson.Valid();
        ConfigJson.Environment(json, 0)["approvalTimeoutMinutes"] = 30;

        Assert.Equal(
            "pipeline.json: environments[0].approvalTimeoutMinutes: applies only to an environment with \"approval\": true",
            ConfigJson.ErrorsOf(json));
    }

    [Fact]
    public void Parse_CodeStarConnectionSource_ReadsConnectionRepositoryAndBranch()
    {
        var json = ConfigJson.Valid();
        json["source"] = new JsonObject { ["type"] = "CodeStarConnection", ["connectionArn"] = ConnectionArn, ["repository"] = "my-org/my-service", ["branch"] = "main" };

        var config = ConfigJson.Parse(json);

        Assert.Equal(new CodeStarConnectionSource(ConnectionArn, "my-org/my-service", "main"), config.Source);
    }

    [Fact]
    public void Parse_CodeCommitSource_ReadsRepositoryBranchAccountAndRole()
    {
        var json = ConfigJson.Valid();
        json["source"] = new JsonObject
        {
            ["type"] = "CodeCommit", ["repository"] = "my-service", ["branch"] = "release/1.x",
            ["account"] = "999999999999", ["roleArn"] = "arn:aws:iam::999999999999:role/hello-source",
        };

        var config = ConfigJson.Parse(json);

        Assert.Equal(
            new CodeCommitSource("my-service", "release/1.x", "999999999999", "arn:aws:iam::999999999999:role/hello-source"),
            config.Source);
    }

    [Fact]
    public void Parse_WhenACodeStarConnectionSourceLacksItsFields_NamesEachOne()
    {
        var json = ConfigJson.Valid();
        json["source"] = new JsonObject { ["type"] = "CodeStarConnection" };

        Assert.Equal(
            string.Join(Environment.NewLine,
                "pipeline.json: source.connectionArn: is required for source type CodeStarConnection",
                "pipeline.json: source.repository: is required for source type CodeStarConnection",
                "pipeline.json: source.branch: is required for source type CodeStarConnection"),
            ConfigJson.ErrorsOf(json));
    }

    [Fact]
    public void Parse_WhenCodeStarConnectionFieldsAreMalformed_SaysWhatTheyMustLookLike()
    {
        var json = ConfigJson.Valid();
        json["source"] = new JsonObject
        {
            ["type"] = "CodeStarConnection", ["connectionArn"] = "arn:aws:codecommit:us-east-1:123456789012:repo",
            ["repository"] = "my-service", ["branch"] = "main", ["objectKey"] = "x.zip",
        };

        Assert.Equal(
            string.Join(Environment.NewLine,
                "pipeline.json: source.objectKey: applies only to source type S3, not CodeStarConnection",
                "pipeline.json: source.connectionArn: \"arn:aws:codecommit:us-east-1:123456789012:repo\" is not a connection ARN (arn:aws:codestar-connections:REGION:ACCOUNT:connection/ID, as the console shows it under Settings, Connections)",
                "pipeline.json: source.repository: \"my-service\" must be the full repository id, OWNER/NAME (for example my-org/my-service)"),
            ConfigJson.ErrorsOf(json));
    }

    [Fact]
    public void Parse_WhenTheCodeCommitRoleIsInAnotherAccount_NamesBothAccounts()
    {
        var json = ConfigJson.Valid();
        json["source"] = new JsonObject
        {
            ["type"] = "CodeCommit", ["repository"] = "my service", ["branch"] = "main",
            ["account"] = "999999999999", ["roleArn"] = "arn:aws:iam::888888888888:role/hello-source", ["connectionArn"] = ConnectionArn,
        };

        Assert.Equal(
            string.Join(Environment.NewLine,
                "pipeline.json: source.connectionArn: applies only to source type CodeStarConnection, not CodeCommit",
                "pipeline.json: source.repository: \"my service\" is not a CodeCommit repository name (1 to 100 letters, digits, '.', '_' and '-')",
                "pipeline.json: source.roleArn: \"arn:aws:iam::888888888888:role/hello-source\" is a role in account 888888888888, but source.account is 999999999999; the pipeline reads the repository through a role in the repository's account"),
            ConfigJson.ErrorsOf(json));
    }

    [Fact]
    public void Parse_WhenACodeCommitSourceLacksItsFields_NamesEachOne()
    {
        var json = ConfigJson.Valid();
        json["source"] = new JsonObject { ["type"] = "CodeCommit", ["repository"] = "my-service" };

        Assert.Equal(
            string.Join(Environment.NewLine,
                "pipeline.json: source.branch: is required for source type CodeCommit",
                "pipeline.json: source.account: is required for source type CodeCommit"),
            ConfigJson.ErrorsOf(json));
    }

    [Fact]
    public void Parse_SlackAndSelfUpdate_AreRead()
    {
        var json = ConfigJson.Valid();
        json["selfUpdate"] = true;
        json["notifications"] = new JsonObject { ["slack"] = new JsonObject { ["workspaceId"] = "T0123ABCD", ["channelId"] = "C0123ABCD" } };

        var config = ConfigJson.Parse(json);

        Assert.True(config.SelfUpdate);
        Assert.Equal(new SlackSettings("T0123ABCD", "C0123ABCD"), config.Notifications.Slack);
        Assert.False(ConfigJson.Parse(ConfigJson.Valid()).SelfUpdate);
    }

    [Fact]
    public void Parse_WhenSlackIdsAreMissingOrMalformed_NamesTheField()
    {
        var json = ConfigJson.Valid();
        json["notifications"] = new JsonObject { ["slack"] = new JsonObject { ["workspaceId"] = "my-team" } };

        Assert.Equal(
            string.Join(Environment.NewLine,
                "pipeline.json: notifications.slack.channelId: is required",
                "pipeline.json: notifications.slack.workspaceId: \"my-team\" is not a Slack workspace id (upper-case letters and digits, such as T0123ABCD; AWS Chatbot's console shows it after you authorize the workspace)"),
            ConfigJson.ErrorsOf(json));
    }

    [Fact]
    public void Parse_RollbackOnFailure_IsOnByDefault_AndMustBeABoolean()
    {
        var off = ConfigJson.Valid();
        off["rollbackOnFailure"] = false;
        var text = ConfigJson.Valid();
        text["rollbackOnFailure"] = "yes";

        Assert.True(ConfigJson.Parse(ConfigJson.Valid()).RollbackOnFailure);
        Assert.False(ConfigJson.Parse(off).RollbackOnFailure);
        Assert.Equal("pipeline.json: rollbackOnFailure: expected a boolean (true or false), got a string", ConfigJson.ErrorsOf(text));
    }
}
