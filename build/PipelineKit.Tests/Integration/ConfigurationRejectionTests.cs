namespace PipelineKit.Tests.Integration;

using System.Text.Json.Nodes;
using PipelineKit.Orchestration;

/// <summary>Whole targets over a bad pipeline.json: the kit must stop before its first AWS call, so these runs point
/// at an address nothing answers on and need no emulator (a call would fail and show in the call log).</summary>
public class ConfigurationRejectionTests
{
    private const string NoEndpoint = "http://127.0.0.1:9";

    public static TheoryData<string, string, string> BadConfigurations => new()
    {
        // name, JSON edit (path=value, value as JSON), expected text naming the field
        { "account-11-digits", "environments.0.account=\"22222222222\"", "environments[0].account: \"22222222222\" is not a 12-digit AWS account id" },
        { "unknown-region", "environments.1.region=\"us-west-9\"", "environments[1].region:" },
        { "duplicate-env", "environments.1.name=\"dev\"", "environments[1].name:" },
        { "missing-build-account", "build.account=null-remove", "build.account:" },
        { "bad-build-region", "build.region=\"mars-1\"", "build.region:" },
        { "no-environments", "environments=[]", "environments:" },
        { "bad-name", "name=\"Bad_Name\"", "name:" },
        { "typo-property", "enviroments=[]", "enviroments" },
        { "role-arn-other-account", "environments.0.roleArn=\"arn:aws:iam::999999999999:role/x\"", "environments[0].roleArn:" },
        { "missing-profile", "build.profile=\"no-such-profile\"", "build.profile:" },
        { "bad-retention", "artifactRetentionDays=0", "artifactRetentionDays:" },
        { "approval-not-bool", "environments.3.approval=\"yes\"", "environments[3].approval:" },
        { "name-too-long", "name=\"a-name-of-twenty-one1\"", "name:" },
        { "name-missing", "name=null-remove", "name:" },
        { "build-not-object", "build=\"123456789012\"", "build:" },
        { "build-account-number", "build.account=123456789012", "build.account:" },
        { "env-name-uppercase", "environments.0.name=\"Dev\"", "environments[0].name:" },
        { "env-name-missing", "environments.0.name=null-remove", "environments[0].name:" },
        { "env-account-missing", "environments.0.account=null-remove", "environments[0].account:" },
        { "env-region-missing", "environments.0.region=null-remove", "environments[0].region:" },
        { "env-in-build-account", "environments.0.account=\"123456789012\"", "environments[0].account:" },
        { "env-unknown-property", "environments.0.aprovals=true", "environments[0].aprovals" },
        { "env-not-object", "environments.0=\"dev\"", "environments[0]:" },
        { "environments-not-array", "environments={}", "environments:" },
        { "env-approval-timeout-low", "environments.3.approvalTimeoutMinutes=1", "environments[3].approvalTimeoutMinutes:" },
        { "env-wave-zero", "environments.0.wave=0", "environments[0].wave:" },
        { "env-security-approval", "environments.0.securityApproval=\"sometimes\"", "environments[0].securityApproval:" },
        { "env-role-arn-malformed", "environments.0.roleArn=\"role/x\"", "environments[0].roleArn:" },
        { "assume-role-name", "assumeRoleName=\"bad name with spaces\"", "assumeRoleName:" },
        { "source-type", "source={\"type\":\"GitHub\"}", "source.type:" },
        { "source-object-key-reserved", "source={\"type\":\"S3\",\"objectKey\":\"pipelinekit/run-lock.json\"}", "source.objectKey:" },
        { "source-object-key-empty", "source={\"type\":\"S3\",\"objectKey\":\"\"}", "source.objectKey:" },
        { "connection-without-arn", "source={\"type\":\"CodeStarConnection\",\"repository\":\"o/r\",\"branch\":\"main\"}", "source.connectionArn:" },
        { "connection-arn-malformed", "source={\"type\":\"CodeStarConnection\",\"connectionArn\":\"arn:aws:codestar-connections:us-east-1:123456789012:connection/x\",\"repository\":\"o/r\",\"branch\":\"main\"}", "source.connectionArn:" },
        { "codecommit-without-repository", "source={\"type\":\"CodeCommit\",\"branch\":\"main\"}", "source.repository:" },
        { "source-branch-space", "source={\"type\":\"CodeCommit\",\"repository\":\"r\",\"branch\":\"my branch\"}", "source.branch:" },
        { "notification-email", "notifications={\"emails\":[\"not-an-address\"]}", "notifications.emails[0]:" },
        { "slack-without-channel", "notifications={\"slack\":{\"workspaceId\":\"T0123\"}}", "notifications.slack.channelId:" },
        { "managed-policy-arn", "cloudFormationExecution={\"managedPolicyArns\":[\"AdministratorAccess\"]}", "cloudFormationExecution.managedPolicyArns[0]:" },
        { "boundary-arn", "cloudFormationExecution={\"permissionsBoundaryArn\":\"arn:aws:iam::1:policy/x\"}", "cloudFormationExecution.permissionsBoundaryArn:" },
        { "retention-too-long", "artifactRetentionDays=5000", "artifactRetentionDays:" },
        { "approval-timeout-high", "approvalTimeoutMinutes=100000", "approvalTimeoutMinutes:" },
        { "self-update-string", "selfUpdate=\"true\"", "selfUpdate:" },
        { "deployer-not-arn", "deployers=[\"moto\"]", "deployers[0]:" },
        { "deployer-other-account", "deployers=[\"arn:aws:iam::999999999999:user/moto\"]", "deployers[0]:" },
    };

    [Theory]
    [MemberData(nameof(BadConfigurations))]
    public async Task BadConfiguration_IsRejectedNamingTheField_BeforeAnyAwsCall(string name, string edit, string expected)
    {
        using var workspace = new KitWorkspace(NoEndpoint, "it-bad-" + name.GetHashCode().ToString("x8")[..6]);
        Apply(workspace.Config, edit);
        using var host = workspace.Host();

        var error = await Assert.ThrowsAsync<PipelineKit.Configuration.ConfigurationException>(() => host.RunAsync(KitTarget.BootstrapAll));

        Assert.Contains($"pipeline.json: {expected}", error.Message);
        Assert.Empty(host.CallLog.Calls);
    }

    public static TheoryData<string, string, string> BadOptions => new()
    {
        // option, value, expected text naming the option
        { "parallelism", "-3", "--parallelism" },
        { "parallelism", "0", "--parallelism" },
        { "parallelism", "65", "--parallelism" },
        { "parallelism", "many", "--parallelism" },
        { "key-deletion-days", "3", "--key-deletion-days:" },
        { "key-deletion-days", "31", "--key-deletion-days:" },
        { "profile", "no-such-profile", "no-such-profile" },
        { "config", "missing.json", "missing.json" },
    };

    [Theory]
    [MemberData(nameof(BadOptions))]
    public async Task BadOption_IsRejectedNamingTheOption_BeforeAnyAwsCall(string option, string value, string expected)
    {
        using var workspace = new KitWorkspace(NoEndpoint, "it-opt-" + (option + value).GetHashCode().ToString("x8")[..6]);
        var error = await Assert.ThrowsAnyAsync<PipelineKit.Errors.KitException>(async () =>
        {
            using var host = workspace.Host(option, option == "config" ? Path.Combine(workspace.Root, value) : value);
            await host.RunAsync(KitTarget.BootstrapAll);
        });

        Assert.Contains(expected, error.Message);
        Assert.Equal(PipelineKit.Errors.ExitCodes.Configuration, PipelineKit.Errors.ExitCodes.For(error));
    }

    [Theory]
    [InlineData("directory")]
    [InlineData("empty")]
    public async Task ConfigThatIsNotAJsonFile_IsRejectedNamingTheFile_BeforeAnyAwsCall(string kind)
    {
        using var workspace = new KitWorkspace(NoEndpoint, "it-file-" + kind);
        var path = Path.Combine(workspace.Root, kind == "directory" ? "configs" : "empty.json");
        if (kind == "directory") Directory.CreateDirectory(path);
        else File.WriteAllText(path, "");

        var error = await Assert.ThrowsAsync<PipelineKit.Configuration.ConfigurationException>(async () =>
        {
            using var host = workspace.Host("config", path);
            await host.RunAsync(KitTarget.BootstrapAll);
        });

        Assert.Contains(Path.GetFileName(path), error.Message);
    }

    [Fact]
    public async Task MalformedJson_IsRejectedWithLineAndColumn_BeforeAnyAwsCall()
    {
        using var workspace = new KitWorkspace(NoEndpoint, "it-malformed");
        using var host = workspace.Host();
        File.WriteAllText(workspace.ConfigPath, "{\n  \"name\": \"x\",\n  oops\n}");
        var options = new Dictionary<string, string> { ["config"] = workspace.ConfigPath };
        using var raw = KitHost.Create(workspace.Root, k => options.GetValueOrDefault(k), _ => null, workspace.Console, TimeProvider.System);

        var error = await Assert.ThrowsAsync<PipelineKit.Configuration.ConfigurationException>(() => raw.RunAsync(KitTarget.BootstrapAll));

        Assert.Contains("pipeline.json: line 3, column 3:", error.Message);
        Assert.Empty(raw.CallLog.Calls);
    }

    /// <summary>Applies "a.0.b=JSON" to the config; "=null-remove" removes the property.</summary>
    private static void Apply(JsonObject config, string edit)
    {
        var (path, value) = (edit[..edit.IndexOf('=')], edit[(edit.IndexOf('=') + 1)..]);
        var parts = path.Split('.');
        JsonNode node = config;
        foreach (var part in parts[..^1]) node = int.TryParse(part, out var i) ? node[i]! : node[part]!;
        var last = parts[^1];
        if (value == "null-remove") ((JsonObject)node).Remove(last);
        else if (node is JsonArray array) array[int.Parse(last)] = JsonNode.Parse(value);
        else node[last] = JsonNode.Parse(value);
    }
}
