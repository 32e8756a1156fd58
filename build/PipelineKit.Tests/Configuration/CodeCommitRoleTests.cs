namespace PipelineKit.Tests.Configuration;

using PipelineKit.Configuration;

/// <summary>source.roleArn of a CodeCommit source: optional in another account (the kit names the role it deploys there),
/// required in the build account, and always a role of the source account.</summary>
public sealed class CodeCommitRoleTests
{
    private static string Json(string source) =>
        $$"""
        {
          "name": "hello",
          "build": { "account": "123456789012", "region": "us-east-1" },
          "environments": [ { "name": "dev", "account": "222222222222", "region": "us-east-1" } ],
          "source": {{source}}
        }
        """;

    private static PipelineConfig Parse(string source) => PipelineConfigLoader.Parse(Json(source), "pipeline.json", ConfigContext.WithoutProfiles);

    [Fact]
    public void WithoutRoleArn_TheKitNamesTheRoleInTheSourceAccount()
    {
        var config = Parse("""{ "type": "CodeCommit", "repository": "hello", "branch": "main", "account": "555555555555" }""");

        var source = Assert.IsType<CodeCommitSource>(config.Source);
        Assert.Equal("arn:aws:iam::555555555555:role/hello-source-action", source.RoleArn);
        Assert.True(source.RoleDerived);
        Assert.Equal("555555555555", config.SourceAccount);
    }

    [Fact]
    public void WithRoleArn_TheRoleIsTheOneGiven()
    {
        var config = Parse("""{ "type": "CodeCommit", "repository": "hello", "branch": "main", "account": "555555555555", "roleArn": "arn:aws:iam::555555555555:role/ci/reader" }""");

        var source = Assert.IsType<CodeCommitSource>(config.Source);
        Assert.Equal("arn:aws:iam::555555555555:role/ci/reader", source.RoleArn);
        Assert.False(source.RoleDerived);
        Assert.Equal(("/ci/", "reader"), source.RolePathAndName);
    }

    [Fact]
    public void InTheBuildAccount_WithoutRoleArn_IsRefused()
    {
        var error = Assert.Throws<ConfigurationException>(() =>
            Parse("""{ "type": "CodeCommit", "repository": "hello", "branch": "main", "account": "123456789012" }"""));

        Assert.Contains(
            "pipeline.json: source.roleArn: is required when source.account is the build account (123456789012): the kit deploys the source role only in another account",
            error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void RoleArnOfAnotherAccount_IsRefused()
    {
        var error = Assert.Throws<ConfigurationException>(() =>
            Parse("""{ "type": "CodeCommit", "repository": "hello", "branch": "main", "account": "555555555555", "roleArn": "arn:aws:iam::666666666666:role/reader" }"""));

        Assert.Contains("source.roleArn", error.Message, StringComparison.Ordinal);
        Assert.Contains("is a role in account 666666666666, but source.account is 555555555555", error.Message, StringComparison.Ordinal);
    }
}
