using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using PipelineKit.LocalPipeline;
using PipelineKit.Reporting;
using PipelineKit.SampleApp;
using PipelineKit.Testing;
using PipelineKit.Tests.Templates;

namespace PipelineKit.Tests.Pipeline;

/// <summary>The build stage's test reports: TRX and Cobertura coverage of the kit's and the app's tests, as CodeBuild
/// report groups the build role may write, and nothing else.</summary>
[Collection(SynthesizedPipelinesCollection.Name)]
public class TestReportsTests(PipelineTemplates templates)
{
    /// <summary>The five report calls CodeBuild makes as the project's role for test and coverage reports.
    /// https://docs.aws.amazon.com/codebuild/latest/userguide/test-permissions.html</summary>
    private static readonly string[] ReportActions =
    [
        "codebuild:BatchPutCodeCoverages", "codebuild:BatchPutTestCases", "codebuild:CreateReport", "codebuild:CreateReportGroup", "codebuild:UpdateReport",
    ];

    [Fact]
    public void Buildspec_DeclaresTrxAndCoverageGroups_ForTheKitAndTheApp()
    {
        var reports = Buildspec().Reports.ToDictionary(r => r.Group, StringComparer.Ordinal);

        Assert.Equal(["kit-coverage", "kit-tests", "sample-app-coverage", "sample-app-tests"], reports.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(("VisualStudioTrx", "artifacts/test-results"), (reports["kit-tests"].FileFormat, reports["kit-tests"].BaseDirectory));
        Assert.Equal(("VisualStudioTrx", "artifacts/sample-app/test-results"), (reports["sample-app-tests"].FileFormat, reports["sample-app-tests"].BaseDirectory));
        // Where TestCoverage puts the collector's files.
        Assert.Equal(("COBERTURAXML", $"artifacts/test-results/{TestCoverage.Folder}"), (reports["kit-coverage"].FileFormat, reports["kit-coverage"].BaseDirectory));
        Assert.Equal(("COBERTURAXML", $"artifacts/sample-app/test-results/{TestCoverage.Folder}"),
            (reports["sample-app-coverage"].FileFormat, reports["sample-app-coverage"].BaseDirectory));
        Assert.All(new[] { "kit-coverage", "sample-app-coverage" }, g => Assert.Equal([$"**/{TestCoverage.FileName}"], reports[g].Files));
    }

    [Theory]
    [MemberData(nameof(PipelineTemplates.Names), MemberType = typeof(PipelineTemplates))]
    public void BuildRole_MayWriteTheBuildProjectsReportGroups_AndNoOther(string name)
    {
        var synthesized = templates[name];
        var project = $"{synthesized.Config.Name}-build";
        var buildRole = synthesized.Resources("AWS::IAM::Role")
            .Single(r => (string?)r.Resource["Properties"]!["RoleName"] == $"{synthesized.Config.Name}-pipeline-build").LogicalId;
        var reportStatements = synthesized.Resources("AWS::IAM::Policy")
            .Where(p => p.Resource["Properties"]!["Roles"]!.AsArray().Any(r => (string?)r!["Ref"] == buildRole))
            .SelectMany(p => p.Resource["Properties"]!["PolicyDocument"]!["Statement"]!.AsArray().Select(s => s!))
            .Where(s => Values(s["Action"]).Any(a => a.StartsWith("codebuild:", StringComparison.Ordinal)))
            .ToArray();

        var statement = Assert.Single(reportStatements);
        Assert.Equal(ReportActions, Values(statement["Action"]).Order(StringComparer.Ordinal));
        // CodeBuild names a buildspec's group <project>-<group>: the grant is those of the build project, nothing wider.
        var grant = Rendered(statement["Resource"]!, synthesized);
        Assert.Equal($"arn:aws:codebuild:{synthesized.Config.Build.Region}:{synthesized.Config.Build.Account}:report-group/{project}-*", grant);
        var pattern = new Regex("^" + Regex.Escape(grant).Replace(@"\*", ".*", StringComparison.Ordinal) + "$");
        Assert.All(Buildspec().Reports, r => Assert.Matches(pattern, grant[..grant.LastIndexOf('/')] + $"/{project}-{r.Group}"));
        Assert.DoesNotMatch(pattern, grant[..grant.LastIndexOf('/')] + $"/{synthesized.Config.Name}-security-check-kit-tests");
    }

    [Fact]
    public void Coverage_IsCollectedInCodeBuildOrWhenAsked_NotOtherwise()
    {
        Assert.True(TestCoverage.IsRequested(asked: false, n => n == "CODEBUILD_BUILD_ID" ? "sandbox-build:0b9c3d2e" : null));
        Assert.True(TestCoverage.IsRequested(asked: true, _ => null));
        Assert.False(TestCoverage.IsRequested(asked: false, _ => null));
        Assert.False(TestCoverage.IsRequested(asked: false, _ => ""));
    }

    [Fact]
    public async Task SampleAppTests_InCodeBuild_WriteACoberturaFile_BesideTheTrxReport()
    {
        var results = Path.Combine(Path.GetTempPath(), "pipelinekit-coverage-" + Guid.NewGuid().ToString("N")[..8]);
        try
        {
            var inCodeBuild = TestCoverage.IsRequested(asked: false, n => n == TestCoverage.CodeBuildVariable ? "sandbox-build:1" : null);

            await SamplePackager.TestAsync(TemplateLintTests.RepositoryRoot(), results, inCodeBuild, new RecordingMessages(), CancellationToken.None);

            Assert.Single(Directory.GetFiles(results, "*.trx"));
            var coverage = Assert.Single(Directory.GetFiles(Path.Combine(results, TestCoverage.Folder), TestCoverage.FileName, SearchOption.AllDirectories));
            var root = System.Xml.Linq.XDocument.Load(coverage).Root!;
            Assert.Equal("coverage", root.Name.LocalName);
            Assert.Contains(root.Descendants("package"), p => (string?)p.Attribute("name") == "HelloService");
        }
        finally
        {
            if (Directory.Exists(results)) Directory.Delete(results, recursive: true);
        }
    }

    private static Buildspec Buildspec() =>
        BuildspecParser.Parse(File.ReadAllText(Path.Combine(TemplateLintTests.RepositoryRoot(), "buildspecs", "buildspec.yml")), "buildspec.yml");

    /// <summary>A resource as CloudFormation renders it: Fn::Join of strings, the partition, and project names (a
    /// CodeBuild project's Ref is its name).</summary>
    private static string Rendered(JsonNode node, SynthesizedCase synthesized) => node switch
    {
        JsonValue value => (string)value!,
        JsonObject o when o["Fn::Join"] is JsonArray join => string.Join((string)join[0]!, join[1]!.AsArray().Select(p => Rendered(p!, synthesized))),
        JsonObject o when (string?)o["Ref"] == "AWS::Partition" => "aws",
        JsonObject o when o["Ref"] is JsonValue id => (string)synthesized.Json["Resources"]![(string)id!]!["Properties"]!["Name"]!,
        _ => throw new InvalidOperationException($"Not rendered: {node.ToJsonString()}"),
    };

    private static IEnumerable<string> Values(JsonNode? node) => node switch
    {
        JsonArray array => array.Select(v => v is JsonValue ? (string)v! : v!.ToJsonString()),
        JsonValue value => [(string)value!],
        _ => [],
    };
}
