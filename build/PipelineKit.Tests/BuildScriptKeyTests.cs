namespace PipelineKit.Tests;

using System.Diagnostics;
using PipelineKit.Tests.Templates;

/// <summary>
/// build.sh skips the kit's build, and keeps Cake's compiled build.cake, while their keys (build/scripts/kit-build-key.sh)
/// are unchanged: every input of the kit's build must change the build key, and the kit's assembly or Cake's version the
/// script cache's, or a run would use a stale kit.
/// </summary>
public sealed class BuildScriptKeyTests : IDisposable
{
    private static readonly string Script = Path.Combine(TemplateLintTests.RepositoryRoot(), "build", "scripts", "kit-build-key.sh");
    private readonly string root = Directory.CreateTempSubdirectory("pipelinekit-build-key-").FullName;

    public BuildScriptKeyTests()
    {
        Write("build/PipelineKit/PipelineKit.csproj", "<Project />");
        Write("build/PipelineKit/KitHost.cs", "class KitHost {}");
        Write("build/PipelineKit/Sandbox/moto_sandbox.py", "print()");
        Write("build/PipelineKit/Configuration/sandbox.pipeline.json", "{}");
        Write("build/PipelineKit/bin/Release/net10.0/PipelineKit.dll", "kit v1");
        Write("build/PipelineKit/obj/project.assets.json", "{}");
        Write("cloudformation/foundation.yaml", "Resources: {}");
        Write("Directory.Build.props", "<Project />");
        Write("global.json", "{}");
        Write(".config/dotnet-tools.json", "{}");
        Write("README.md", "# kit");
    }

    public void Dispose() => Directory.Delete(root, recursive: true);

    public static TheoryData<string, string> Inputs => new()
    {
        { "a source edited", "build/PipelineKit/KitHost.cs" },
        { "the project edited", "build/PipelineKit/PipelineKit.csproj" },
        { "an embedded resource edited", "build/PipelineKit/Sandbox/moto_sandbox.py" },
        { "the bundled configuration edited", "build/PipelineKit/Configuration/sandbox.pipeline.json" },
        { "a template edited", "cloudformation/foundation.yaml" },
        { "Directory.Build.props edited", "Directory.Build.props" },
        { "global.json edited", "global.json" },
        { "the tool manifest edited", ".config/dotnet-tools.json" },
        { "a source added", "build/PipelineKit/Orchestration/New.cs" },
        { "a template added", "cloudformation/other.yaml" },
        { "Directory.Build.targets added", "Directory.Build.targets" },
    };

    [Theory]
    [MemberData(nameof(Inputs))]
    public void EveryInputOfTheKitsBuild_ChangesTheBuildKey(string change, string file)
    {
        var before = BuildKey();

        Directory.CreateDirectory(Path.GetDirectoryName(Path.Combine(root, file))!);
        File.AppendAllText(Path.Combine(root, file), "\n// changed");

        Assert.True(BuildKey() != before, $"{change}: the kit would not be rebuilt");
    }

    [Fact]
    public void ARemovedOrRenamedSource_ChangesTheBuildKey()
    {
        var before = BuildKey();
        File.Move(Path.Combine(root, "build/PipelineKit/KitHost.cs"), Path.Combine(root, "build/PipelineKit/Host.cs"));
        var renamed = BuildKey();
        File.Delete(Path.Combine(root, "build/PipelineKit/Host.cs"));

        Assert.NotEqual(before, renamed);
        Assert.NotEqual(renamed, BuildKey());
        Assert.NotEqual(before, BuildKey());
    }

    [Fact]
    public void BuildOutputsOtherFilesAndATouch_LeaveTheBuildKey()
    {
        var before = BuildKey();

        Write("build/PipelineKit/bin/Release/net10.0/PipelineKit.dll", "kit v2");
        Write("build/PipelineKit/obj/build-sh.kit-key", "x");
        Write("README.md", "# changed");
        File.SetLastWriteTimeUtc(Path.Combine(root, "build/PipelineKit/KitHost.cs"), DateTime.UtcNow.AddMinutes(5));

        Assert.Equal(before, BuildKey());
    }

    [Fact]
    public void TheScriptCacheKey_ChangesWithTheKitsAssembly_AndWithCakesVersion()
    {
        var before = Bash("script_cache_key 7.0.0 build/PipelineKit/bin/Release/net10.0/PipelineKit.dll");

        Write("build/PipelineKit/bin/Release/net10.0/PipelineKit.dll", "kit v2");
        var rebuilt = Bash("script_cache_key 7.0.0 build/PipelineKit/bin/Release/net10.0/PipelineKit.dll");
        var otherCake = Bash("script_cache_key 7.1.0 build/PipelineKit/bin/Release/net10.0/PipelineKit.dll");

        Assert.NotEqual(before, rebuilt);
        Assert.NotEqual(rebuilt, otherCake);
        Assert.Equal(rebuilt, Bash("script_cache_key 7.0.0 build/PipelineKit/bin/Release/net10.0/PipelineKit.dll"));
    }

    [Fact]
    public void TheOutputKey_ChangesWhenAnotherBuildReplacedTheKitOrItsDependencies()
    {
        const string Bin = "build/PipelineKit/bin/Release/net10.0";
        Write($"{Bin}/PipelineKit.deps.json", "{\"AWSSDK.Core\": \"4.0.0\"}");
        var before = Bash($"kit_output_key {Bin}");

        Write($"{Bin}/PipelineKit.dll", "kit from another branch");
        var otherKit = Bash($"kit_output_key {Bin}");
        Write($"{Bin}/PipelineKit.deps.json", "{\"AWSSDK.Core\": \"4.0.1\"}");

        Assert.NotEqual(before, otherKit);
        Assert.NotEqual(otherKit, Bash($"kit_output_key {Bin}"));
    }

    private void Write(string file, string text)
    {
        var path = Path.Combine(root, file);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text);
    }

    private string BuildKey()
    {
        var key = Bash("kit_build_key");
        Assert.Matches("^[0-9a-f]{64}$", key);
        return key;
    }

    private string Bash(string command)
    {
        var start = new ProcessStartInfo("bash", ["-c", $"set -euo pipefail; source '{Script}'; {command}"])
        {
            WorkingDirectory = root,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEnd();
        var error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, error);
        return output.Trim();
    }
}
