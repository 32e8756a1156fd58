namespace PipelineKit.Tests.Permissions;

using PipelineKit.Permissions;

public class PolicyDocumentTests
{
    [Fact]
    public void Parse_AcceptsStringOrArrayWhereAwsDoes()
    {
        var doc = PolicyDocument.Parse("p", """
            {"Version":"2012-10-17","Statement":{"Sid":"One","Effect":"Allow","Action":"s3:GetObject",
             "Resource":["arn:aws:s3:::a/*","arn:aws:s3:::b/*"],
             "Principal":{"AWS":"111122223333","Service":["codepipeline.amazonaws.com","codebuild.amazonaws.com"]},
             "Condition":{"StringEquals":{"aws:SourceAccount":"111122223333","s3:prefix":["a","b"]},"Bool":{"aws:SecureTransport":true}}}}
            """);

        var statement = Assert.Single(doc.Statements);
        Assert.Equal("One", statement.Sid);
        Assert.Equal(PolicyEffect.Allow, statement.Effect);
        Assert.Equal(["s3:GetObject"], statement.Action!);
        Assert.Equal(2, statement.Resource!.Count);
        Assert.Equal(["111122223333"], statement.Principal!.Aws);
        Assert.Equal(2, statement.Principal.Service.Count);
        Assert.Equal(3, statement.Conditions.Count);
        Assert.Equal(["true"], statement.Conditions.Single(c => c.Operator == "Bool").Values);
    }

    [Fact]
    public void Parse_TrustPolicyWithoutResource_LeavesResourceNull()
    {
        var doc = Iam.Doc("trust", "{'Effect':'Allow','Principal':'*','Action':'sts:AssumeRole'}");

        var statement = Assert.Single(doc.Statements);
        Assert.Null(statement.Resource);
        Assert.Null(statement.NotResource);
        Assert.True(statement.Principal!.Everyone);
        Assert.Null(statement.Sid);
    }

    [Theory]
    [InlineData("{not json", "not valid JSON")]
    [InlineData("[]", "must be a JSON object")]
    [InlineData("{\"Version\":\"2012-10-17\"}", "no Statement")]
    [InlineData("{\"Statement\":[{\"Action\":\"s3:*\",\"Resource\":\"*\"}]}", "Effect")]
    [InlineData("{\"Statement\":[{\"Effect\":\"allow\",\"Action\":\"s3:*\"}]}", "Effect")]
    [InlineData("{\"Statement\":[{\"Effect\":\"Allow\",\"Resource\":\"*\"}]}", "Action")]
    [InlineData("{\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"s3:*\",\"NotAction\":\"iam:*\"}]}", "Action")]
    [InlineData("{\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"s3:*\",\"Resorce\":\"*\"}]}", "Resorce")]
    [InlineData("{\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"s3:*\",\"Condition\":{\"StringEqualz\":{\"k\":\"v\"}}}]}", "StringEqualz")]
    [InlineData("{\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"s3:*\",\"Principal\":\"someone\"}]}", "Principal")]
    [InlineData("{\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"s3:*\",\"Principal\":{\"Aws\":\"*\"}}]}", "Aws")]
    public void Parse_RejectsWhatIamWouldReject_NamingThePolicy(string json, string detail)
    {
        var error = Assert.Throws<FormatException>(() => PolicyDocument.Parse("role app, inline policy app", json));

        Assert.Contains("role app, inline policy app", error.Message);
        Assert.Contains(detail, error.Message);
    }

    [Fact]
    public void Evaluate_ResourcePolicyStatementWithoutPrincipal_IsRejected()
    {
        var bucket = Iam.BucketPolicy("{'Sid':'NoPrincipal','Effect':'Allow','Action':'s3:*','Resource':'*'}");

        var error = Assert.Throws<ArgumentException>(() => Iam.Evaluate(
            Iam.Request(Iam.App, "s3:GetObject", Iam.Object, Iam.Home), PrincipalPolicies.None, bucket));
        Assert.Contains("bucket policy of hello-artifacts/NoPrincipal", error.Message);
    }
}
