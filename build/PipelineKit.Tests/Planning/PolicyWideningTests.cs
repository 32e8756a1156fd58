namespace PipelineKit.Tests.Planning;

using System.Text.Json.Nodes;
using PipelineKit.Planning;

public class PolicyWideningTests
{
    private static IReadOnlyList<string> Compare(string before, string after) =>
        PolicyWidening.Compare(JsonNode.Parse(before), JsonNode.Parse(after));

    private const string Trust = """
        {"Statement":[{"Effect":"Allow","Principal":{"AWS":["arn:aws:iam::1:role/pipeline"]},"Action":"sts:AssumeRole",
          "Condition":{"StringEquals":{"aws:SourceAccount":"1"}}}]}
        """;

    [Fact]
    public void TheSameDocument_WidensNothing() => Assert.Empty(Compare(Trust, Trust));

    [Fact]
    public void ANewPrincipalInATrustPolicy_IsNamed() =>
        Assert.Equal(["new principal AWS:arn:aws:iam::2:role/deployer"],
            Compare(Trust, Trust.Replace("\"arn:aws:iam::1:role/pipeline\"", "\"arn:aws:iam::1:role/pipeline\",\"arn:aws:iam::2:role/deployer\"", StringComparison.Ordinal)));

    [Fact]
    public void ANewAction_AndARemovedCondition_AreNamed() =>
        Assert.Equal(["new action sts:TagSession", "condition removed StringEquals aws:SourceAccount"],
            Compare(Trust, """{"Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::1:role/pipeline"},"Action":["sts:AssumeRole","sts:TagSession"]}]}"""));

    [Fact]
    public void AChangedConditionValue_IsNamed() =>
        Assert.Equal(["condition StringEquals aws:SourceAccount changed: adds 2"],
            Compare(Trust, Trust.Replace("\"aws:SourceAccount\":\"1\"", "\"aws:SourceAccount\":[\"1\",\"2\"]", StringComparison.Ordinal)));

    [Fact]
    public void AStatementSharingNothing_IsNewAsAWhole_AndARemovedDenyWidens()
    {
        var before = """{"Statement":[{"Effect":"Deny","Action":"s3:*","Resource":"*","Principal":"*"}]}""";
        var after = """{"Statement":[{"Sid":"Read","Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*","Principal":{"AWS":"arn:aws:iam::2:root"}}]}""";

        Assert.Equal(
            ["new statement (Sid Read): principals AWS:arn:aws:iam::2:root; actions s3:GetObject; resources arn:aws:s3:::b/*; no condition",
             "Deny statement removed"],
            Compare(before, after));
    }
}
