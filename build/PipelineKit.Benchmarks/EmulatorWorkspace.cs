namespace PipelineKit.Benchmarks;

using System.Text.Json;
using System.Text.Json.Nodes;
using PipelineKit.Configuration;

/// <summary>A pipeline.json for a topology under its own pipeline name (names keep the runs on one emulator apart) and a
/// credentials file with the emulator's keys, in a folder of its own; the environment a run against the emulator sees.</summary>
public sealed class EmulatorWorkspace : IDisposable
{
    public const string Profile = "kit-build";

    public EmulatorWorkspace(string name, Topology topology, string endpointUrl)
    {
        ArgumentNullException.ThrowIfNull(topology);
        Directory = System.IO.Directory.CreateTempSubdirectory("pipelinekit-bench-").FullName;
        Config = topology.Config(name);
        File.WriteAllText(CredentialsPath, $"[{Profile}]\naws_access_key_id = testing\naws_secret_access_key = testing\n");
        var json = new JsonObject
        {
            ["name"] = name,
            ["build"] = new JsonObject { ["account"] = Config.Build.Account, ["region"] = Config.Build.Region, ["profile"] = Profile },
            ["environments"] = new JsonArray(Config.Environments
                .Select(e => (JsonNode)new JsonObject { ["name"] = e.Name, ["account"] = e.Account, ["region"] = e.Region }).ToArray()),
        };
        File.WriteAllText(ConfigPath, json.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
        Environment = new Dictionary<string, string>
        {
            ["AWS_ENDPOINT_URL"] = endpointUrl,
            ["AWS_SHARED_CREDENTIALS_FILE"] = CredentialsPath,
            ["AWS_EC2_METADATA_DISABLED"] = "true",
            ["AWS_ACCESS_KEY_ID"] = "", ["AWS_SECRET_ACCESS_KEY"] = "", ["AWS_SESSION_TOKEN"] = "",
            ["NO_COLOR"] = "1",
        };
    }

    public string Directory { get; }

    /// <summary>The configuration as the kit will read it from <see cref="ConfigPath"/>.</summary>
    public PipelineConfig Config { get; }

    public string ConfigPath => Path.Combine(Directory, "pipeline.json");

    private string CredentialsPath => Path.Combine(Directory, "credentials");

    public IReadOnlyDictionary<string, string> Environment { get; }

    public void Dispose()
    {
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
            // A temporary folder left behind is not worth failing the benchmark for.
        }
    }
}
