namespace PipelineKit.Tests.Configuration;

using System.Text.Json.Nodes;
using PipelineKit.Configuration;
using PipelineKit.Testing;

/// <summary>Which configuration a run uses, and the CodeBuild rule: there the build account is the project's role, so
/// build.profile is set aside (and the user told), unless --profile names one.</summary>
public sealed class PipelineConfigSourceTests : IDisposable
{
    private readonly string directory = Directory.CreateTempSubdirectory("kit-config-source-").FullName;
    private readonly RecordingMessages messages = new();

    public void Dispose() => Directory.Delete(directory, recursive: true);

    [Fact]
    public void Load_InCodeBuild_SetsBuildProfileAside_AndSaysSo()
    {
        var config = Source(inCodeBuild: true).Load();

        Assert.Null(config.Build.Profile);
        var message = Assert.Single(messages.Messages);
        Assert.Equal("CodeBuild.ProfileSetAside", message.Code);
        Assert.Equal("CodeBuild: the build account is reached with the project's role; build.profile \"workstation-only\" is left aside.", message.Text);
    }

    [Fact]
    public void Load_InCodeBuild_ForATargetWithoutAwsCalls_SetsItAsideQuietly()
    {
        var config = Source(inCodeBuild: true).Load(needsCredentials: false);

        Assert.Null(config.Build.Profile);
        Assert.Empty(messages.Messages);
    }

    [Fact]
    public void Load_InCodeBuild_WithProfileOption_UsesTheOption()
    {
        var source = Source(inCodeBuild: true, profile: "ci");

        var config = source.Load(needsCredentials: false);

        Assert.Equal("ci", config.Build.Profile);
        Assert.Empty(messages.Messages);
    }

    [Fact]
    public void Load_Sandbox_IsTheBundledConfiguration()
    {
        var config = new PipelineConfigSource(Path.Combine(directory, "absent.json"), sandbox: true, null, _ => null, messages).Load();

        Assert.Equal(PipelineConfigLoader.LoadSandbox().Name, config.Name);
    }

    private PipelineConfigSource Source(bool inCodeBuild, string? profile = null)
    {
        var json = ConfigJson.Valid();
        json["build"]!["profile"] = "workstation-only";
        var path = Path.Combine(directory, "pipeline.json");
        File.WriteAllText(path, json.ToJsonString());
        var environment = new Dictionary<string, string>();
        if (inCodeBuild) environment["CODEBUILD_BUILD_ID"] = "hello-build:1";
        return new PipelineConfigSource(path, sandbox: false, profile, k => environment.GetValueOrDefault(k), messages);
    }
}
