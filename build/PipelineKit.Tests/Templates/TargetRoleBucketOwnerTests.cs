namespace PipelineKit.Tests.Templates;

using System.Text.Json.Nodes;
using PipelineKit.Orchestration;
using PipelineKit.Planning;

/// <summary>The target roles name the artifact buckets by their fixed names; the grants hold for the build account's
/// buckets only, so a bucket of the same name in another account is never read as an artifact.</summary>
public sealed class TargetRoleBucketOwnerTests
{
    [Fact]
    public void EveryS3GrantOfTheTargetRoles_IsBoundToTheBuildAccountsBuckets()
    {
        var resources = TemplateReader.Read(Templates.TargetRoles)["Resources"]!.AsObject();
        var s3 = resources.Select(r => r.Value!)
            .Where(r => (string?)r["Type"] == "AWS::IAM::Role")
            .SelectMany(r => r["Properties"]!["Policies"]?.AsArray() ?? [])
            .SelectMany(p => p!["PolicyDocument"]!["Statement"]!.AsArray())
            .Select(s => s!)
            .Where(s => Actions(s).Any(a => a.StartsWith("s3:", StringComparison.Ordinal)))
            .ToList();

        Assert.Equal(3, s3.Count);
        Assert.All(s3, s => Assert.Equal("BuildAccountId", (string?)s["Condition"]!["StringEquals"]!["aws:ResourceAccount"]!["Ref"]));
    }

    private static IEnumerable<string> Actions(JsonNode statement) =>
        statement["Action"] is JsonArray list ? list.Select(a => (string)a!) : [(string)statement["Action"]!];
}
