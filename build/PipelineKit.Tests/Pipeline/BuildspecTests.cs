using System.Text.RegularExpressions;
using PipelineKit.Pipeline.Parts;
using PipelineKit.Tests.Templates;

namespace PipelineKit.Tests.Pipeline;

// The buildspecs are the contract between CodeBuild, the Cake task graph and the deploy actions:
// every ./build.sh target they run must be a task in build.cake, and what they put in the build
// artifact must be where the deploy actions look.
public sealed partial class BuildspecTests
{
    [Fact]
    public void EveryTargetABuildspecRuns_IsATaskInBuildCake()
    {
        var tasks = CakeTasks();

        foreach (var (buildspec, targets) in BuildspecTargets())
        {
            var missing = targets.Where(t => !tasks.Contains(t)).ToArray();
            Assert.True(missing.Length == 0,
                $"{buildspec} runs ./build.sh {string.Join(", ", missing)}, but build.cake has no such Task (it has {string.Join(", ", tasks.Order(StringComparer.Ordinal))}).");
        }
    }

    [Fact]
    public void Buildspecs_RunTheExpectedTargets()
    {
        var targets = BuildspecTargets();

        Assert.Equal(["Test", "PublishSampleApp"], targets["buildspec.yml"]);
        Assert.Equal(["CreatePipeline"], targets["buildspec-pipeline.yml"]);
        // The self-update project's role reads the foundation stacks; it may not deploy them.
        Assert.Contains("./build.sh CreatePipeline --exclusive", Read("buildspec-pipeline.yml"));
        Assert.Contains("Test", CakeTasks());
    }

    [Theory]
    [InlineData("buildspec.yml")]
    [InlineData("buildspec-pipeline.yml")]
    public void Buildspecs_InstallTheSdkGlobalJsonPins_CheckedAgainstItsPublishedHash_WithoutAnInstallScript(string buildspec)
    {
        var text = Read(buildspec);
        var sdk = System.Text.Json.JsonDocument.Parse(File.ReadAllText(Path.Combine(TemplateLintTests.RepositoryRoot(), "global.json")))
            .RootElement.GetProperty("sdk").GetProperty("version").GetString();

        Assert.Contains($"/dotnet/Sdk/{sdk}/dotnet-sdk-{sdk}-linux-x64.tar.gz -o /tmp/dotnet-sdk.tar.gz", text);
        Assert.Matches(@"echo ""[0-9a-f]{128}  /tmp/dotnet-sdk.tar.gz"" \| sha512sum -c -", text);
        Assert.True(text.IndexOf("sha512sum -c", StringComparison.Ordinal) < text.IndexOf("tar -xzf", StringComparison.Ordinal));
        Assert.DoesNotContain("dotnet-install", text);
    }

    [Fact]
    public void BuildProject_RunsABuildspecThatExists()
    {
        Assert.True(File.Exists(Path.Combine(TemplateLintTests.RepositoryRoot(), BuildStage.BuildSpecPath)));
    }

    [Fact]
    public void BuildArtifact_HoldsWhatTheDeployActionsRead()
    {
        var buildspec = Read("buildspec.yml");

        Assert.Matches(@"(?m)^artifacts:\s*\n\s+base-directory: artifacts\s*$", buildspec);
        Assert.Contains("    - " + DeployStages.AppTemplatePath, buildspec);
        Assert.Contains("    - sample-app/params-*.json", buildspec);
        Assert.Matches(@"(?m)^reports:", buildspec);
        Assert.Contains("base-directory: artifacts/test-results", buildspec);
        Assert.Contains("base-directory: artifacts/sample-app/test-results", buildspec);
    }

    [Fact]
    public void EachBuildspec_SilencesTheEndOfLifeBannerForTheNodeItInstalls_AndNoOther()
    {
        // JSII reads JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION as a list of node major versions; any other
        // value (such as "1") leaves the banner in every build log.
        foreach (var buildspec in BuildspecTargets().Keys)
        {
            var text = StripComments(Read(buildspec));
            var node = Regex.Match(text, @"(?m)^\s+nodejs:\s*(\d+)\s*$");
            var silenced = Regex.Match(text, @"(?m)^\s+JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION:\s*""([^""]*)""\s*$");
            Assert.True(node.Success, $"{buildspec} names no nodejs runtime version; the CDK needs node.");
            Assert.True(silenced.Success, $"{buildspec} does not set JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION.");
            Assert.Equal(node.Groups[1].Value, silenced.Groups[1].Value);
        }
    }

    private static Dictionary<string, string[]> BuildspecTargets() =>
        Directory.GetFiles(Path.Combine(TemplateLintTests.RepositoryRoot(), "buildspecs"), "*.yml")
            .ToDictionary(
                file => Path.GetFileName(file),
                file => BuildShTarget().Matches(StripComments(File.ReadAllText(file))).Select(m => m.Groups[1].Value).ToArray());

    private static HashSet<string> CakeTasks() =>
        CakeTask().Matches(File.ReadAllText(Path.Combine(TemplateLintTests.RepositoryRoot(), "build.cake")))
            .Select(m => m.Groups[1].Value)
            .ToHashSet(StringComparer.Ordinal);

    private static string Read(string buildspec) =>
        File.ReadAllText(Path.Combine(TemplateLintTests.RepositoryRoot(), "buildspecs", buildspec));

    private static string StripComments(string yaml) =>
        string.Join('\n', yaml.Split('\n').Where(line => !line.TrimStart().StartsWith('#')));

    [GeneratedRegex(@"\./build\.sh\s+([A-Za-z][A-Za-z0-9]*)")]
    private static partial Regex BuildShTarget();

    [GeneratedRegex(@"^\s*Task\(""([^""]+)""\)", RegexOptions.Multiline)]
    private static partial Regex CakeTask();
}
