namespace PipelineKit.Tests.Configuration;

using System.Text.Json.Nodes;
using PipelineKit.Configuration;

/// <summary>Each bad configuration is rejected before any AWS call with a message naming the file and the field.</summary>
public sealed class PipelineConfigErrorTests
{
    [Fact]
    public void Load_WhenAccountIdHasElevenDigits_NamesTheField()
    {
        var json = ConfigJson.Valid();
        ConfigJson.Environment(json, 1)["account"] = "33333333333";
        var path = Path.Combine(Path.GetTempPath(), $"pipeline-{Guid.NewGuid():N}.json");
        File.WriteAllText(path, json.ToJsonString());
        try
        {
            var error = Assert.Throws<ConfigurationException>(() => PipelineConfigLoader.Load(path, ConfigJson.Profiles()));

            Assert.Equal($"{path}: environments[1].account: \"33333333333\" is not a 12-digit AWS account id", error.Message);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Theory]
    [InlineData("xn--api", "\"xn--api\" starts with \"xn--\", which S3 reserves for bucket names")]
    [InlineData("sthree-app", "\"sthree-app\" starts with \"sthree-\", which S3 reserves for bucket names")]
    [InlineData("pipelinekit", "\"pipelinekit\" may not start with \"pipelinekit\": the kit's own stacks are named pipelinekit-<name>-...")]
    [InlineData("pipelinekit-hello", "\"pipelinekit-hello\" may not start with \"pipelinekit\"")]
    public void Parse_WhenNameStartsWithAReservedPrefix_SaysWhy(string name, string expected)
    {
        var json = ConfigJson.Valid();
        json["name"] = name;

        Assert.StartsWith($"pipeline.json: name: {expected}", ConfigJson.ErrorsOf(json));
    }

    [Theory]
    [InlineData("arn:aws:iam::123456789012:group/admins", "deployers[0]: \"arn:aws:iam::123456789012:group/admins\" is not the ARN of an IAM role or user")]
    [InlineData("arn:aws:iam::999999999999:role/release", "deployers[0]: \"arn:aws:iam::999999999999:role/release\" is in account 999999999999, not the build account")]
    public void Parse_WhenADeployerIsNotARoleOrUserOfTheBuildAccount_SaysWhy(string deployer, string expected)
    {
        var json = ConfigJson.Valid();
        json["build"]!["account"] = "123456789012";
        json["deployers"] = new JsonArray(deployer);

        Assert.StartsWith($"pipeline.json: {expected}", ConfigJson.ErrorsOf(json));
    }

    [Fact]
    public void Parse_Deployers_AreKeptOnceEach_AndNoneByDefault()
    {
        var json = ConfigJson.Valid();
        json["build"]!["account"] = "123456789012";
        var none = PipelineConfigLoader.Parse(json.ToJsonString(), "pipeline.json", ConfigContext.WithoutProfiles);
        json["deployers"] = new JsonArray("arn:aws:iam::123456789012:role/release", "arn:aws:iam::123456789012:role/release");

        var config = PipelineConfigLoader.Parse(json.ToJsonString(), "pipeline.json", ConfigContext.WithoutProfiles);

        Assert.Empty(none.Deployers);
        Assert.Equal(["arn:aws:iam::123456789012:role/release"], config.Deployers);
    }

    [Fact]
    public void Parse_WhenNameOnlyContainsAReservedWord_AcceptsIt()
    {
        var json = ConfigJson.Valid();
        json["name"] = "my-pipelinekit";

        Assert.Equal("my-pipelinekit", PipelineConfigLoader.Parse(json.ToJsonString(), "pipeline.json", ConfigJson.Profiles()).Name);
    }

    [Fact]
    public void Load_WhenFileIsMissing_SaysWhereItLooked()
    {
        var error = Assert.Throws<ConfigurationException>(
            () => PipelineConfigLoader.Load("no-such-dir/pipeline.json", ConfigJson.Profiles()));

        Assert.Equal(
            $"no-such-dir/pipeline.json: file not found (looked for {Path.GetFullPath("no-such-dir/pipeline.json")})",
            error.Message);
    }

    [Fact]
    public void Load_WhenPathIsADirectory_SaysSo_AndAsksForTheFile()
    {
        var directory = Directory.CreateTempSubdirectory("pipelinekit-config-").FullName;
        try
        {
            var error = Assert.Throws<ConfigurationException>(() => PipelineConfigLoader.Load(directory, ConfigJson.Profiles()));

            Assert.Equal($"{directory} is a directory; --config takes a pipeline.json file", error.Message);
        }
        finally
        {
            Directory.Delete(directory);
        }
    }

    [Fact]
    public void Parse_WhenAccountIdIsANumber_AsksForQuotes()
    {
        var json = ConfigJson.Valid();
        json["build"]!["account"] = 123456789012;

        Assert.Equal(
            "pipeline.json: build.account: expected a string, got a number; write the account id in quotes (\"123456789012\") so leading zeros survive",
            ConfigJson.ErrorsOf(json));
    }

    [Fact]
    public void Parse_WhenBuildAccountIsMissing_SaysItIsRequired()
    {
        var json = ConfigJson.Valid();
        json["build"]!.AsObject().Remove("account");

        Assert.Equal(
            "pipeline.json: build.account: is required (the 12-digit AWS account id, in quotes)",
            ConfigJson.ErrorsOf(json));
    }

    [Fact]
    public void Parse_WhenRegionIsMisspelled_SuggestsTheClosestKnownRegion()
    {
        var json = ConfigJson.Valid();
        json["build"]!["region"] = "us-east-l";

        Assert.Equal(
            "pipeline.json: build.region: \"us-east-l\" is not a known AWS region; did you mean us-east-1?",
            ConfigJson.ErrorsOf(json));
    }

    [Fact]
    public void Parse_WhenRegionIsNothingLikeARegion_GivesNoSuggestion()
    {
        var json = ConfigJson.Valid();
        ConfigJson.Environment(json, 2)["region"] = "moon-base-alpha";

        Assert.Equal(
            "pipeline.json: environments[2].region: \"moon-base-alpha\" is not a known AWS region",
            ConfigJson.ErrorsOf(json));
    }

    [Fact]
    public void Parse_WhenTopLevelPropertyIsMisspelled_NamesItAndTheMissingField()
    {
        var json = ConfigJson.Valid();
        json["enviroments"] = json["environments"]!.DeepClone();
        json.Remove("environments");

        Assert.Equal(
            """
            pipeline.json: enviroments: unknown property; did you mean environments?
            pipeline.json: environments: is required
            """.ReplaceLineEndings(),
            ConfigJson.ErrorsOf(json));
    }

    [Fact]
    public void Parse_WhenNestedPropertyIsUnknown_ListsWhatIsAllowed()
    {
        var json = ConfigJson.Valid();
        ConfigJson.Environment(json, 0)["stage"] = 1;

        Assert.Equal(
            "pipeline.json: environments[0].stage: unknown property; allowed here: name, account, organizationalUnit, region, profile, roleArn, approval, approvalTimeoutMinutes, wave, securityApproval",
            ConfigJson.ErrorsOf(json));
    }

    [Fact]
    public void Parse_WhenSecurityApprovalIsMisspelled_SuggestsTheValue()
    {
        var json = ConfigJson.Valid();
        ConfigJson.Environment(json, 1)["securityApproval"] = "allways";

        Assert.Equal(
            "pipeline.json: environments[1].securityApproval: \"allways\" is not one of broadening, always, never; did you mean always?",
            ConfigJson.ErrorsOf(json));
    }

    [Fact]
    public void Parse_WhenSecurityApprovalIsNothingLikeAValue_ListsTheValues()
    {
        var json = ConfigJson.Valid();
        ConfigJson.Environment(json, 0)["securityApproval"] = "sometimes-maybe";

        Assert.Equal(
            "pipeline.json: environments[0].securityApproval: \"sometimes-maybe\" is not one of broadening, always, never",
            ConfigJson.ErrorsOf(json));
    }

    [Fact]
    public void Parse_WhenNameIsMissing_SaysItIsRequired()
    {
        var json = ConfigJson.Valid();
        json.Remove("name");

        Assert.Equal("pipeline.json: name: is required", ConfigJson.ErrorsOf(json));
    }

    [Fact]
    public void Parse_WhenNameHasUpperCaseLetters_ExplainsTheAllowedCharacters()
    {
        var json = ConfigJson.Valid();
        json["name"] = "Hello";

        Assert.Equal(
            "pipeline.json: name: \"Hello\" must be lower-case letters, digits and hyphens, start with a letter and not end with a hyphen",
            ConfigJson.ErrorsOf(json));
    }

    [Fact]
    public void Parse_WhenNameIsLongerThanTwentyCharacters_ExplainsTheBucketNameLimit()
    {
        var json = ConfigJson.Valid();
        json["name"] = "a-very-long-pipeline-name";

        Assert.Equal(
            "pipeline.json: name: \"a-very-long-pipeline-name\" is 25 characters; at most 20 are allowed (it prefixes S3 bucket names, which must stay within 63)",
            ConfigJson.ErrorsOf(json));
    }

    [Fact]
    public void Parse_WhenEnvironmentsIsEmpty_AsksForAtLeastOne()
    {
        var json = ConfigJson.Valid();
        json["environments"] = new JsonArray();

        Assert.Equal("pipeline.json: environments: needs at least one environment", ConfigJson.ErrorsOf(json));
    }

    [Fact]
    public void Parse_WhenEnvironmentIsNotAnObject_NamesTheItem()
    {
        var json = ConfigJson.Valid();
        json["environments"]!.AsArray().Add("staging");

        Assert.Equal("pipeline.json: environments[3]: expected an object, got a string", ConfigJson.ErrorsOf(json));
    }

    [Fact]
    public void Parse_WhenEnvironmentNameRepeats_NamesTheFirstUse()
    {
        var json = ConfigJson.Valid();
        ConfigJson.Environment(json, 2)["name"] = "dev";

        Assert.Equal(
            "pipeline.json: environments[2].name: \"dev\" is already the name of environments[0]; environment names must be unique",
            ConfigJson.ErrorsOf(json));
    }

    [Fact]
    public void Parse_WhenEnvironmentNameRepeatsInAnotherCase_ReportsThePatternAndTheDuplicate()
    {
        var json = ConfigJson.Valid();
        ConfigJson.Environment(json, 1)["name"] = "DEV";

        Assert.Equal(
            """
            pipeline.json: environments[1].name: "DEV" must be 1 to 20 lower-case letters, digits and hyphens, starting with a letter
            pipeline.json: environments[1].name: "DEV" is already the name of environments[0] ("dev"; names are compared ignoring case); environment names must be unique
            """.ReplaceLineEndings(),
            ConfigJson.ErrorsOf(json));
    }

    [Fact]
    public void Parse_WhenProfileDoesNotExist_NamesTheProfileAndTheFix()
    {
        var json = ConfigJson.Valid();
        ConfigJson.Environment(json, 1)["profile"] = "test";

        Assert.Equal(
            "pipeline.json: environments[1].profile: profile \"test\" was not found in the shared AWS config or credentials files; create it (aws configure --profile test) or remove it",
            ConfigJson.ErrorsOf(json, ConfigJson.Profiles("build")));
    }

    [Fact]
    public void Parse_WhenProfileOverrideDoesNotExist_NamesTheArgument()
    {
        var error = Assert.Throws<ConfigurationException>(
            () => ConfigJson.Parse(ConfigJson.Valid(), new ConfigContext(_ => false, ProfileOverride: "admin")));

        Assert.Equal(
            "--profile: profile \"admin\" was not found in the shared AWS config or credentials files; create it (aws configure --profile admin) or remove it",
            error.Message);
        Assert.Null(Assert.Single(error.Errors).File);
    }

    [Fact]
    public void Parse_WhenRoleArnIsInAnotherAccount_NamesBothAccounts()
    {
        var json = ConfigJson.Valid();
        ConfigJson.Environment(json, 2)["roleArn"] = "arn:aws:iam::555555555555:role/Deployer";

        Assert.Equal(
            "pipeline.json: environments[2].roleArn: \"arn:aws:iam::555555555555:role/Deployer\" is a role in account 555555555555, but the environment's account is 444444444444",
            ConfigJson.ErrorsOf(json));
    }

    [Fact]
    public void Parse_WhenRoleArnIsNotARoleArn_ShowsTheExpectedShape()
    {
        var json = ConfigJson.Valid();
        ConfigJson.Environment(json, 2)["roleArn"] = "arn:aws:iam::444444444444:user/deployer";

        Assert.Equal(
            "pipeline.json: environments[2].roleArn: \"arn:aws:iam::444444444444:user/deployer\" is not an IAM role ARN (arn:aws:iam::ACCOUNT:role/NAME)",
            ConfigJson.ErrorsOf(json));
    }

    [Fact]
    public void Parse_WhenEnvironmentsInOneAccountNameDifferentProfiles_NamesBothEnvironments()
    {
        var json = ConfigJson.Valid();
        ConfigJson.Environment(json, 1)["profile"] = "test";
        ConfigJson.Environment(json, 2)["account"] = "333333333333";
        ConfigJson.Environment(json, 2)["profile"] = "prod";

        Assert.Equal(
            "pipeline.json: environments[2].profile: \"prod\" conflicts with profile \"test\" of environments[1] (\"test\"); both environments are in account 333333333333, which is reached one way only: use the same profile or leave it out of one of them",
            ConfigJson.ErrorsOf(json, ConfigJson.Profiles("test", "prod")));
    }

    [Fact]
    public void Parse_WhenEnvironmentsInOneAccountNameDifferentRoles_NamesBothEnvironments()
    {
        var json = ConfigJson.Valid();
        ConfigJson.Environment(json, 1)["roleArn"] = "arn:aws:iam::333333333333:role/A";
        ConfigJson.Environment(json, 2)["account"] = "333333333333";
        ConfigJson.Environment(json, 2)["roleArn"] = "arn:aws:iam::333333333333:role/B";

        Assert.Equal(
            "pipeline.json: environments[2].roleArn: \"arn:aws:iam::333333333333:role/B\" conflicts with roleArn \"arn:aws:iam::333333333333:role/A\" of environments[1] (\"test\"); both environments are in account 333333333333, which is reached one way only: use the same roleArn or leave it out of one of them",
            ConfigJson.ErrorsOf(json));
    }

    [Fact]
    public void Parse_WhenEnvironmentsInOneAccountMixAProfileAndARole_NamesBothEnvironments()
    {
        var json = ConfigJson.Valid();
        ConfigJson.Environment(json, 1)["profile"] = "test";
        ConfigJson.Environment(json, 2)["account"] = "333333333333";
        ConfigJson.Environment(json, 2)["roleArn"] = "arn:aws:iam::333333333333:role/Deployer";

        Assert.Equal(
            "pipeline.json: environments[2].roleArn: \"arn:aws:iam::333333333333:role/Deployer\" conflicts with profile \"test\" of environments[1] (\"test\"); both environments are in account 333333333333, which is reached one way only (a profile wins over a roleArn): give every environment in the account the same profile or the same roleArn",
            ConfigJson.ErrorsOf(json, ConfigJson.Profiles("test")));
    }

    [Fact]
    public void Parse_WhenAnEnvironmentIsInTheBuildAccount_RefusesItAndSaysWhy()
    {
        var json = ConfigJson.Valid();
        ConfigJson.Environment(json, 0)["account"] = "123456789012";

        Assert.Equal(
            "pipeline.json: environments[0].account: 123456789012 is the build account (build.account); the build account holds the pipeline, its artifact keys and buckets, and deploy environments belong in their own accounts, which get the target roles: give environments[0] (\"dev\") another account, or move the pipeline to another build.account",
            ConfigJson.ErrorsOf(json));
    }

    [Fact]
    public void Parse_WhenArtifactRetentionDaysIsAString_NamesTheExpectedType()
    {
        var json = ConfigJson.Valid();
        json["artifactRetentionDays"] = "30";

        Assert.Equal("pipeline.json: artifactRetentionDays: expected an integer, got a string", ConfigJson.ErrorsOf(json));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(3651)]
    public void Parse_WhenArtifactRetentionDaysIsOutOfRange_GivesTheRange(int days)
    {
        var json = ConfigJson.Valid();
        json["artifactRetentionDays"] = days;

        Assert.Equal($"pipeline.json: artifactRetentionDays: {days} is out of range; use 1 to 3650 days", ConfigJson.ErrorsOf(json));
    }

    [Fact]
    public void Parse_WhenArtifactRetentionDaysIsFractional_ExpectsAnInteger()
    {
        var json = ConfigJson.Valid();
        json["artifactRetentionDays"] = 7.5;

        Assert.Equal("pipeline.json: artifactRetentionDays: expected an integer, got 7.5", ConfigJson.ErrorsOf(json));
    }

    [Fact]
    public void Parse_WhenApprovalIsAString_ExpectsABoolean()
    {
        var json = ConfigJson.Valid();
        ConfigJson.Environment(json, 2)["approval"] = "yes";

        Assert.Equal(
            "pipeline.json: environments[2].approval: expected a boolean (true or false), got a string",
            ConfigJson.ErrorsOf(json));
    }

    [Fact]
    public void Parse_WhenAssumeRoleNameHasSpaces_ExplainsTheRoleNameRules()
    {
        var json = ConfigJson.Valid();
        json["assumeRoleName"] = "Org Access";

        Assert.Equal(
            "pipeline.json: assumeRoleName: \"Org Access\" is not a valid IAM role name (1 to 64 of letters, digits and +=,.@_-)",
            ConfigJson.ErrorsOf(json));
    }

    [Fact]
    public void Parse_WhenSourceTypeIsUnknown_ListsTheSourceTypes()
    {
        var json = ConfigJson.Valid();
        json["source"] = new JsonObject { ["type"] = "GitHub" };

        Assert.Equal(
            "pipeline.json: source.type: \"GitHub\" is not one of S3, CodeStarConnection, CodeCommit",
            ConfigJson.ErrorsOf(json));
    }

    [Fact]
    public void Parse_WhenEmailIsNotAnAddress_NamesTheItem()
    {
        var json = ConfigJson.Valid();
        json["notifications"] = new JsonObject { ["emails"] = new JsonArray("team@example.com", "oncall") };

        Assert.Equal("pipeline.json: notifications.emails[1]: \"oncall\" is not an email address", ConfigJson.ErrorsOf(json));
    }

    [Fact]
    public void Parse_WhenManagedPolicyArnIsARoleArn_NamesTheItem()
    {
        var json = ConfigJson.Valid();
        json["cloudFormationExecution"] = new JsonObject
        {
            ["managedPolicyArns"] = new JsonArray("arn:aws:iam::aws:policy/PowerUserAccess", "arn:aws:iam::444444444444:role/Admin"),
        };

        Assert.Equal(
            "pipeline.json: cloudFormationExecution.managedPolicyArns[1]: \"arn:aws:iam::444444444444:role/Admin\" is not an IAM policy ARN (arn:aws:iam::aws:policy/NAME or arn:aws:iam::ACCOUNT:policy/NAME)",
            ConfigJson.ErrorsOf(json));
    }

    [Fact]
    public void Parse_WhenManagedPolicyArnsIsEmpty_ExplainsTheRoleCouldDoNothing()
    {
        var json = ConfigJson.Valid();
        json["cloudFormationExecution"] = new JsonObject { ["managedPolicyArns"] = new JsonArray() };

        Assert.Equal(
            "pipeline.json: cloudFormationExecution.managedPolicyArns: needs at least one policy ARN: the execution role could deploy nothing; leave the field out for the default (PowerUserAccess)",
            ConfigJson.ErrorsOf(json));
    }

    [Fact]
    public void Parse_WhenPermissionsBoundaryIsNotAPolicyArn_NamesTheField()
    {
        var json = ConfigJson.Valid();
        json["cloudFormationExecution"] = new JsonObject { ["permissionsBoundaryArn"] = "Boundary" };

        Assert.Equal(
            "pipeline.json: cloudFormationExecution.permissionsBoundaryArn: \"Boundary\" is not an IAM policy ARN (arn:aws:iam::aws:policy/NAME or arn:aws:iam::ACCOUNT:policy/NAME)",
            ConfigJson.ErrorsOf(json));
    }

    [Fact]
    public void Parse_WhenAPropertyAppearsTwice_NamesIt()
    {
        const string json = """
            { "name": "hello", "name": "world",
              "build": { "account": "123456789012", "region": "us-east-1" },
              "environments": [ { "name": "dev", "account": "222222222222", "region": "us-east-1" } ] }
            """;

        Assert.Equal("pipeline.json: name: appears more than once", ConfigJson.ErrorsOf(json));
    }

    [Fact]
    public void Parse_WhenTopLevelIsAnArray_ExpectsAnObject()
    {
        Assert.Equal(
            "pipeline.json: expected a JSON object at the top level, got an array",
            ConfigJson.ErrorsOf("[]"));
    }

    [Fact]
    public void Parse_WhenJsonIsMalformed_ReportsLineAndColumn()
    {
        const string json = "{\n  \"name\": \"hello\"\n  \"build\": {}\n}";

        Assert.Equal(
            "pipeline.json: line 3, column 3: not valid JSON: '\"' is invalid after a value. Expected either ',', '}', or ']'.",
            ConfigJson.ErrorsOf(json));
    }

    [Fact]
    public void Parse_WithSeveralProblems_ReportsThemAllInDocumentOrder()
    {
        var json = ConfigJson.Valid();
        json["name"] = "Hello";
        json["build"]!["region"] = "us-east-l";
        ConfigJson.Environment(json, 1)["account"] = "33333333333";
        ConfigJson.Environment(json, 2)["approval"] = "yes";
        json["artifactRetentionDays"] = 0;

        var error = Assert.Throws<ConfigurationException>(() => ConfigJson.Parse(json));

        Assert.Equal(
            ["name", "build.region", "environments[1].account", "environments[2].approval", "artifactRetentionDays"],
            error.Errors.Select(e => e.Path));
        Assert.Equal(
            """
            pipeline.json: name: "Hello" must be lower-case letters, digits and hyphens, start with a letter and not end with a hyphen
            pipeline.json: build.region: "us-east-l" is not a known AWS region; did you mean us-east-1?
            pipeline.json: environments[1].account: "33333333333" is not a 12-digit AWS account id
            pipeline.json: environments[2].approval: expected a boolean (true or false), got a string
            pipeline.json: artifactRetentionDays: 0 is out of range; use 1 to 3650 days
            """.ReplaceLineEndings(),
            error.Message);
        Assert.Equal(ConfigurationException.ErrorCode, error.Code);
    }
}
