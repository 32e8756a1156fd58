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
        else node[last] = JsonNode.Parse(value);
    }
}
