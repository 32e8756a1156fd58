namespace PipelineKit.Tests.Configuration;

using System.Text.Json.Nodes;
using PipelineKit.Configuration;

/// <summary>A valid configuration to break one field at a time, and the repository files under test.</summary>
internal static class ConfigJson
{
    public const string File = "pipeline.json";

    public static JsonObject Valid() => JsonNode.Parse("""
        {
          "name": "hello",
          "build": { "account": "123456789012", "region": "us-east-1" },
          "environments": [
            { "name": "dev",  "account": "222222222222", "region": "us-east-1" },
            { "name": "test", "account": "333333333333", "region": "us-west-2" },
            { "name": "prod", "account": "444444444444", "region": "eu-west-1", "approval": true }
          ]
        }
        """)!.AsObject();

    public static JsonObject Environment(JsonObject config, int index) => config["environments"]![index]!.AsObject();

    public static ConfigContext Profiles(params string[] existing) =>
        new(name => existing.Contains(name, StringComparer.Ordinal));

    public static PipelineConfig Parse(JsonNode config, ConfigContext? context = null) =>
        PipelineConfigLoader.Parse(config.ToJsonString(), File, context ?? Profiles());

    /// <summary>The message of the exception parsing throws; the message is the product here.</summary>
    public static string ErrorsOf(JsonNode config, ConfigContext? context = null) =>
        ErrorsOf(config.ToJsonString(), context);

    public static string ErrorsOf(string json, ConfigContext? context = null) =>
        Assert.Throws<ConfigurationException>(() => PipelineConfigLoader.Parse(json, File, context ?? Profiles())).Message;

    public static string RepositoryFile(string name)
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (System.IO.File.Exists(Path.Combine(directory.FullName, "PipelineKit.slnx")))
            {
                return Path.Combine(directory.FullName, name);
            }
        }

        throw new InvalidOperationException($"No PipelineKit.slnx above {AppContext.BaseDirectory}.");
    }
}
