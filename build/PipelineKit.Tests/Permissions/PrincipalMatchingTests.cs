namespace PipelineKit.Tests.Permissions;

using PipelineKit.Permissions;

/// Principal forms in resource policies, tried cross-account so the resource policy must name the caller:
/// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_principal.html
public class PrincipalMatchingTests
{
    private static readonly PrincipalPolicies CanRead = Iam.Identity("{'Effect':'Allow','Action':'s3:GetObject','Resource':'*'}");

    [Theory]
    [InlineData("'*'", true)]
    [InlineData("{'AWS':'*'}", true)]
    [InlineData("{'AWS':'444455556666'}", true)]
    [InlineData("{'AWS':'arn:aws:iam::444455556666:root'}", true)]
    [InlineData("{'AWS':'arn:aws:iam::444455556666:role/deployer'}", true)]
    [InlineData("{'AWS':'arn:aws:sts::444455556666:assumed-role/deployer/s1'}", true)]
    [InlineData("{'AWS':'arn:aws:sts::444455556666:assumed-role/deployer/s2'}", false)]
    [InlineData("{'AWS':['arn:aws:iam::999988887777:root','arn:aws:iam::444455556666:role/deployer']}", true)]
    [InlineData("{'AWS':'arn:aws:iam::444455556666:role/other'}", false)]
    [InlineData("{'AWS':'999988887777'}", false)]
    [InlineData("{'AWS':'arn:aws:iam::444455556666:user/deployer'}", false)]
    [InlineData("{'Service':'codepipeline.amazonaws.com'}", false)]
    [InlineData("{'Federated':'cognito-identity.amazonaws.com'}", false)]
    public void CrossAccountBucket_AllowsOnlyWhenThePrincipalElementNamesTheCaller(string principal, bool expected)
    {
        var bucket = Iam.BucketPolicy($"{{'Sid':'Read','Effect':'Allow','Principal':{principal},'Action':'s3:GetObject','Resource':'{Iam.Bucket}/*'}}");

        var decision = Iam.Evaluate(Iam.Request(Iam.Deployer, "s3:GetObject", Iam.Object, Iam.Home), CanRead, bucket);

        Assert.Equal(expected, decision.Allowed);
    }

    [Fact]
    public void RoleArnWithPath_MatchesSessionsOfThatRole()
    {
        var caller = AccessPrincipal.Role("arn:aws:iam::444455556666:role/pipeline/deployer");
        var bucket = Iam.BucketPolicy($"{{'Effect':'Allow','Principal':{{'AWS':'arn:aws:iam::444455556666:role/pipeline/deployer'}},'Action':'s3:GetObject','Resource':'{Iam.Bucket}/*'}}");

        Assert.True(Iam.Evaluate(Iam.Request(caller, "s3:GetObject", Iam.Object, Iam.Home), CanRead, bucket).Allowed);
    }

    [Fact]
    public void UserArn_MatchesThatUser()
    {
        var caller = AccessPrincipal.User("arn:aws:iam::444455556666:user/ci");
        var bucket = Iam.BucketPolicy($"{{'Effect':'Allow','Principal':{{'AWS':'arn:aws:iam::444455556666:user/ci'}},'Action':'s3:GetObject','Resource':'{Iam.Bucket}/*'}}");

        Assert.True(Iam.Evaluate(Iam.Request(caller, "s3:GetObject", Iam.Object, Iam.Home), CanRead, bucket).Allowed);
    }

    [Theory]
    [InlineData("codebuild.amazonaws.com", true)]
    [InlineData("codepipeline.amazonaws.com", true)]
    [InlineData("cloudformation.amazonaws.com", false)]
    public void ServiceList_MatchesEachListedService(string service, bool expected)
    {
        var bucket = Iam.BucketPolicy($"{{'Sid':'Services','Effect':'Allow','Principal':{{'Service':['codepipeline.amazonaws.com','codebuild.amazonaws.com']}},'Action':'s3:GetObject','Resource':'{Iam.Bucket}/*'}}");

        var decision = Iam.Evaluate(Iam.Request(AccessPrincipal.Service(service), "s3:GetObject", Iam.Object, Iam.Home), PrincipalPolicies.None, bucket);

        Assert.Equal(expected, decision.Allowed);
    }

    [Theory]
    [InlineData("'*'", true)]
    [InlineData("{'AWS':'111122223333'}", false)]
    [InlineData("{'Service':'codepipeline.amazonaws.com'}", true)]
    public void ServicePrincipal_IsMatchedByWildcardOrItsName_NotByAnAccount(string principal, bool expected)
    {
        var bucket = Iam.BucketPolicy($"{{'Effect':'Allow','Principal':{principal},'Action':'s3:GetObject','Resource':'*'}}");

        var decision = Iam.Evaluate(Iam.Request(AccessPrincipal.Service("codepipeline.amazonaws.com"), "s3:GetObject", Iam.Object, Iam.Home), PrincipalPolicies.None, bucket);

        Assert.Equal(expected, decision.Allowed);
    }

    [Fact]
    public void ServicePrincipal_WithoutResourcePolicy_IsDenied()
    {
        var decision = Iam.Evaluate(Iam.Request(AccessPrincipal.Service("codepipeline.amazonaws.com"), "s3:GetObject", Iam.Object, Iam.Home), PrincipalPolicies.None);

        Assert.False(decision.Allowed);
        Assert.Contains("no resource policy allows service codepipeline.amazonaws.com", decision.Explanation);
    }

    [Theory]
    [InlineData("['arn:aws:iam::111122223333:root','arn:aws:iam::111122223333:role/app']", true)]
    [InlineData("['111122223333','arn:aws:sts::111122223333:assumed-role/app/s1']", true)]
    [InlineData("'arn:aws:iam::111122223333:role/app'", false)]
    [InlineData("'arn:aws:iam::111122223333:root'", false)]
    public void NotPrincipalDeny_SparesTheCallerOnlyWhenItsAccountAndItselfAreListed(string listed, bool expected)
    {
        var bucket = Iam.BucketPolicy(
            $"{{'Sid':'OnlyApp','Effect':'Deny','NotPrincipal':{{'AWS':{listed}}},'Action':'s3:*','Resource':'{Iam.Bucket}/*'}}");
        var identity = Iam.Identity("{'Effect':'Allow','Action':'s3:*','Resource':'*'}");

        var decision = Iam.Evaluate(Iam.Request(Iam.App, "s3:GetObject", Iam.Object, Iam.Home), identity, bucket);

        Assert.Equal(expected, decision.Allowed);
    }

    [Fact]
    public void NotPrincipalDeny_AlwaysDeniesACallerWithABoundary()
    {
        var bucket = Iam.BucketPolicy(
            $"{{'Sid':'OnlyApp','Effect':'Deny','NotPrincipal':{{'AWS':['arn:aws:iam::111122223333:root','arn:aws:iam::111122223333:role/app']}},'Action':'s3:*','Resource':'{Iam.Bucket}/*'}}");
        var identity = Iam.WithBoundary(Iam.Identity("{'Effect':'Allow','Action':'s3:*','Resource':'*'}"), "{'Effect':'Allow','Action':'s3:*','Resource':'*'}");

        var decision = Iam.Evaluate(Iam.Request(Iam.App, "s3:GetObject", Iam.Object, Iam.Home), identity, bucket);

        Assert.False(decision.Allowed);
        Assert.Contains("bucket policy of hello-artifacts (OnlyApp)", decision.Explanation);
    }
}
