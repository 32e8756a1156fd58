namespace PipelineKit.Tests.Permissions;

using PipelineKit.Permissions;

/// Action and Resource matching:
/// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_action.html
/// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_resource.html
public class ActionResourceMatchingTests
{
    [Theory]
    [InlineData("s3:Get*", "s3:GetObject", true)]
    [InlineData("s3:get*", "S3:GETOBJECT", true)]
    [InlineData("*", "kms:Decrypt", true)]
    [InlineData("s3:?etObject", "s3:GetObject", true)]
    [InlineData("s3:GetObject", "s3:GetObjectAcl", false)]
    [InlineData("s3:*", "s3express:CreateSession", false)]
    [InlineData("codepipeline:*", "codebuild:StartBuild", false)]
    [InlineData("iam:Pass*", "iam:PassRole", true)]
    public void Action_MatchesCaseInsensitivelyWithWildcards(string pattern, string action, bool expected)
    {
        var identity = Iam.Identity($"{{'Effect':'Allow','Action':'{pattern}','Resource':'*'}}");

        var decision = Iam.Evaluate(Iam.Request(Iam.App, action, "*", Iam.Home), identity);

        Assert.Equal(expected, decision.Allowed);
    }

    [Theory]
    [InlineData("arn:aws:s3:::hello-artifacts/*", "arn:aws:s3:::hello-artifacts/app/source.zip", true)]
    [InlineData("arn:aws:s3:::hello-artifacts", "arn:aws:s3:::hello-artifacts/app/source.zip", false)]
    [InlineData("arn:aws:s3:::Hello-Artifacts/*", "arn:aws:s3:::hello-artifacts/app/source.zip", false)]
    [InlineData("arn:aws:s3:::hello-?rtifacts/*", "arn:aws:s3:::hello-artifacts/x", true)]
    [InlineData("arn:aws:kms:*:111122223333:key/*", "arn:aws:kms:eu-west-1:111122223333:key/abc", true)]
    [InlineData("arn:aws:iam::*:role/hello-*", "arn:aws:iam::444455556666:role/hello-deploy", true)]
    [InlineData("arn:aws:cloudformation:eu-west-1:111122223333:stack/hello-*/*", "arn:aws:cloudformation:eu-west-1:111122223333:stack/hello-app/0a1b-2c3d", true)]
    [InlineData("arn:aws:cloudformation:eu-west-1:111122223333:stack/hello-*/*", "arn:aws:cloudformation:eu-west-1:444455556666:stack/hello-app/0a1b", false)]
    [InlineData("arn:aws:*", "arn:aws:sqs:eu-west-1:111122223333:queue", true)]
    [InlineData("*", "*", true)]
    public void Resource_MatchesCaseSensitivelyWithWildcardsSpanningColonsAndSlashes(string pattern, string resource, bool expected)
    {
        var identity = Iam.Identity($"{{'Effect':'Allow','Action':'*','Resource':'{pattern}'}}");

        var decision = Iam.Evaluate(Iam.Request(Iam.App, "s3:GetObject", resource, Iam.Home), identity);

        Assert.Equal(expected, decision.Allowed);
    }

    [Theory]
    [InlineData("iam:CreateRole", false)]
    [InlineData("organizations:ListAccounts", false)]
    [InlineData("s3:PutObject", true)]
    [InlineData("cloudformation:CreateChangeSet", true)]
    public void NotActionAllow_PowerUserShaped_AllowsEverythingButTheListedServices(string action, bool expected)
    {
        var identity = Iam.Identity(
            "{'Sid':'PowerUser','Effect':'Allow','NotAction':['iam:*','organizations:*','account:*'],'Resource':'*'}");

        var decision = Iam.Evaluate(Iam.Request(Iam.App, action, "*", Iam.Home), identity);

        Assert.Equal(expected, decision.Allowed);
    }

    [Fact]
    public void NotActionDeny_DeniesEveryOtherAction()
    {
        var identity = Iam.Identity(
            "{'Effect':'Allow','Action':'*','Resource':'*'}",
            "{'Sid':'OnlyS3','Effect':'Deny','NotAction':'s3:*','Resource':'*'}");

        Assert.False(Iam.Evaluate(Iam.Request(Iam.App, "kms:Decrypt", Iam.Key, Iam.Home), identity).Allowed);
        Assert.True(Iam.Evaluate(Iam.Request(Iam.App, "s3:GetObject", Iam.Object, Iam.Home), identity).Allowed);
    }

    [Theory]
    [InlineData("arn:aws:s3:::hello-artifacts/app/source.zip", true)]
    [InlineData("arn:aws:s3:::secrets/key.pem", false)]
    public void NotResource_AllowsEverywhereButTheListedResources(string resource, bool expected)
    {
        var identity = Iam.Identity("{'Effect':'Allow','Action':'s3:*','NotResource':['arn:aws:s3:::secrets','arn:aws:s3:::secrets/*']}");

        Assert.Equal(expected, Iam.Evaluate(Iam.Request(Iam.App, "s3:GetObject", resource, Iam.Home), identity).Allowed);
    }

    [Theory]
    [InlineData("arn:aws:s3:::hello-artifacts/111122223333/source.zip", true)]
    [InlineData("arn:aws:s3:::hello-artifacts/444455556666/source.zip", false)]
    public void ResourcePolicyVariable_IsSubstitutedFromTheContext(string resource, bool expected)
    {
        var identity = Iam.Identity("{'Effect':'Allow','Action':'s3:GetObject','Resource':'arn:aws:s3:::hello-artifacts/${aws:PrincipalAccount}/*'}");

        Assert.Equal(expected, Iam.Evaluate(Iam.Request(Iam.App, "s3:GetObject", resource, Iam.Home), identity).Allowed);
    }
}
