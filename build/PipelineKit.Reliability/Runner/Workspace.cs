namespace PipelineKit.Reliability.Runner;

using System.Text.Json;
using System.Text.Json.Nodes;
using PipelineKit.Naming;

/// <summary>One kit stack a scenario checks: its account, region and name.</summary>
public sealed record KitStack(string Account, string Region, string Name)
{
    public override string ToString() => $"{Name} ({Account}, {Region})";
}

/// <summary>
/// A throw-away repository root for one scenario: a pipeline.json with the scenario's own pipeline name (every stack,
/// bucket and role name starts with it, so scenarios share an emulator without meeting) and a credentials file with the
/// emulator's keys. The same accounts and regions as the sandbox: 1 build account, 3 target accounts, 3 regions.
/// </summary>
public sealed class Workspace : IDisposable
{
    public const string BuildAccount = "123456789012";
    public const string BuildRegion = "us-east-1";
    private static readonly string[] TargetAccounts = ["222222222222", "333333333333", "444444444444"];
    private static readonly string[] ExtraRegions = ["us-west-2", "eu-west-1"];

    public Workspace(string name)
    {
        Name = name;
        Root = Directory.CreateTempSubdirectory("pipelinekit-reliability-").FullName;
        File.WriteAllText(CredentialsPath, "[kit-build]\naws_access_key_id = testing\naws_secret_access_key = testing\n");
        var config = new JsonObject
        {
            ["name"] = name,
            ["build"] = new JsonObject { ["account"] = BuildAccount, ["region"] = BuildRegion, ["profile"] = "kit-build" },
            ["environments"] = new JsonArray(
                new JsonObject { ["name"] = "dev", ["account"] = "222222222222", ["region"] = "us-east-1" },
                new JsonObject { ["name"] = "test", ["account"] = "333333333333", ["region"] = "us-west-2" },
                new JsonObject { ["name"] = "test-eu", ["account"] = "333333333333", ["region"] = "eu-west-1" },
                new JsonObject { ["name"] = "prod", ["account"] = "444444444444", ["region"] = "eu-west-1", ["approval"] = true }),
            ["deployers"] = new JsonArray("arn:aws:iam::123456789012:user/moto"),
        };
        File.WriteAllText(ConfigPath, config.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
    }

    public string Name { get; }

    public string Root { get; }

    public string ConfigPath => Path.Combine(Root, "pipeline.json");

    private string CredentialsPath => Path.Combine(Root, "credentials");

    public KitStack Primary => new(BuildAccount, BuildRegion, KitNames.PrimaryStack(Name));

    public KitStack Regional(string region) => new(BuildAccount, region, KitNames.RegionalStack(Name));

    public KitStack Roles(string account) => new(account, BuildRegion, KitNames.TargetRolesStack(Name));

    /// <summary>Every stack the foundation targets make.</summary>
    public IReadOnlyList<KitStack> Stacks => [Primary, .. ExtraRegions.Select(Regional), .. TargetAccounts.Select(Roles)];

    /// <summary>What the kit sees: every AWS call to <paramref name="endpointUrl"/> (the proxy), the workspace's keys.</summary>
    public IReadOnlyDictionary<string, string> Environment(string endpointUrl) => new Dictionary<string, string>
    {
        ["AWS_ENDPOINT_URL"] = endpointUrl,
        ["AWS_SHARED_CREDENTIALS_FILE"] = CredentialsPath,
        ["AWS_EC2_METADATA_DISABLED"] = "true",
        ["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1",
        ["DOTNET_NOLOGO"] = "1",
        ["NO_COLOR"] = "1",
    };

    public void Dispose()
    {
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temp folder is not worth failing a report for.
        }
    }
}
