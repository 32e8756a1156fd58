namespace PipelineKit.Tests.Configuration;

using System.Text.Json.Nodes;
using PipelineKit.Configuration;

/// <summary>What every kind of source owns, checked for each registered kind.</summary>
public sealed class SourceKindsTests
{
    private const string ConnectionArn = "arn:aws:codestar-connections:us-east-1:123456789012:connection/0a1b2c3d-4e5f-6789-abcd-ef0123456789";

    /// <summary>One valid source section per registered kind, in the registry's order.</summary>
    private static readonly string[] Examples =
    [
        """{ "type": "S3", "objectKey": "hello.zip" }""",
        $$"""{ "type": "CodeStarConnection", "connectionArn": "{{ConnectionArn}}", "repository": "my-org/my-service", "branch": "main" }""",
        """{ "type": "CodeCommit", "repository": "my-service", "branch": "main", "account": "999999999999", "roleArn": "arn:aws:iam::999999999999:role/source/hello-source" }""",
    ];

    public static TheoryData<string> ExampleSources => new(Examples);

    [Fact]
    public void Examples_CoverEveryRegisteredKind()
    {
        Assert.Equal(SourceKinds.Types, Examples.Select(e => Read(e).Type));
    }

    [Fact]
    public void Kinds_HaveDistinctTypesAndTraceConditions()
    {
        Assert.Equal(SourceKinds.Types.Distinct(StringComparer.Ordinal), SourceKinds.Types);
        Assert.Equal(SourceKinds.TraceConditions.Distinct(StringComparer.Ordinal), SourceKinds.TraceConditions);
    }

    [Fact]
    public void WithoutASourceSection_TheSourceIsTheDefaultKind()
    {
        var config = ConfigJson.Parse(ConfigJson.Valid());

        Assert.Same(SourceKinds.Default, config.Source.Kind);
        Assert.Equal(new S3Source("source.zip"), config.Source);
    }

    [Theory]
    [MemberData(nameof(ExampleSources))]
    public void EveryKind_GivesAValueForEachNameItDeclares_AndNoOther(string example)
    {
        var source = Read(example);

        Assert.Equal(source.Kind.TraceValueNames.Order(StringComparer.Ordinal), source.TraceValues.Keys.Order(StringComparer.Ordinal));
        Assert.All(source.TraceValues.Values, v => Assert.False(string.IsNullOrEmpty(v)));
        Assert.Equal(source.Kind.FoundationParameterNames.Order(StringComparer.Ordinal), source.FoundationParameters.Keys.Order(StringComparer.Ordinal));
        Assert.All(source.FoundationParameters.Values, v => Assert.False(string.IsNullOrEmpty(v)));
    }

    [Theory]
    [MemberData(nameof(ExampleSources))]
    public void EveryKind_IsEitherUploadedByTheKit_OrPushedToByTheUser(string example)
    {
        var source = Read(example);

        Assert.True((source.UploadObjectKey is null) != (source.PushHint is null),
            $"{source.Type}: UploadObjectKey is {source.UploadObjectKey ?? "null"}, PushHint is {source.PushHint ?? "null"}; exactly one must be set");
    }

    [Fact]
    public void PushHint_NamesWhereToPush()
    {
        Assert.Null(Read(Examples[0]).PushHint);
        Assert.Equal("hello.zip", Read(Examples[0]).UploadObjectKey);
        Assert.Equal(
            $"the pipeline's source is CodeStarConnection, not an upload: commit and push to my-org/my-service, branch main (connection {ConnectionArn}); the pipeline starts on the push.",
            Read(Examples[1]).PushHint);
        Assert.Equal(
            "the pipeline's source is CodeCommit, not an upload: commit and push to CodeCommit repository my-service (account 999999999999), branch main; the pipeline starts on the push.",
            Read(Examples[2]).PushHint);
    }

    [Fact]
    public void CodeCommit_TracesTheRoleByItsNameWithPath()
    {
        Assert.Equal("source/hello-source", Read(Examples[2]).TraceValues["sourceRoleName"]);
    }

    private static SourceSettings Read(string sourceJson)
    {
        var json = ConfigJson.Valid();
        json["source"] = JsonNode.Parse(sourceJson);
        return ConfigJson.Parse(json).Source;
    }
}
