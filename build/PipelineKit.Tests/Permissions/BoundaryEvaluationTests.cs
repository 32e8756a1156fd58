namespace PipelineKit.Tests.Permissions;

using PipelineKit.Permissions;

/// A permissions boundary caps what identity policies (and grants to the role ARN) can give, not grants to the
/// exact session. https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies_boundaries.html
public class BoundaryEvaluationTests
{
    private static readonly PrincipalPolicies Shirley = Iam.WithBoundary(
        Iam.Identity("{'Sid':'CreateUsers','Effect':'Allow','Action':['iam:CreateUser','s3:GetObject'],'Resource':'*'}"),
        "{'Sid':'ServiceBoundaries','Effect':'Allow','Action':['s3:*','cloudwatch:*','ec2:*'],'Resource':'*'}");

    [Fact]
    public void Boundary_CapsTheIdentityAllow()
    {
        var decision = Iam.Evaluate(Iam.Request(Iam.App, "iam:CreateUser", "arn:aws:iam::111122223333:user/new", Iam.Home), Shirley);

        Assert.False(decision.Allowed);
        Assert.Contains("the permissions boundary boundary app-boundary of role app does not allow iam:CreateUser", decision.Explanation);
        Assert.Contains("role app, inline policy app (CreateUsers)", decision.Explanation);
    }

    [Fact]
    public void Boundary_AndIdentityBothAllowing_IsAllowed_NamingBoth()
    {
        var decision = Iam.Evaluate(Iam.Request(Iam.App, "s3:GetObject", Iam.Object, Iam.Home), Shirley);

        Assert.True(decision.Allowed);
        Assert.Equal(["role app, inline policy app/CreateUsers", "boundary app-boundary/ServiceBoundaries"], decision.DecisiveStatements);
    }

    [Fact]
    public void Boundary_AloneGrantsNothing()
    {
        var boundaryOnly = Iam.WithBoundary(new PrincipalPolicies([], null), "{'Effect':'Allow','Action':'*','Resource':'*'}");

        Assert.False(Iam.Evaluate(Iam.Request(Iam.App, "s3:GetObject", Iam.Object, Iam.Home), boundaryOnly).Allowed);
    }

    [Fact]
    public void Boundary_DoesNotCapASessionArnResourceGrant()
    {
        var bucket = Iam.BucketPolicy("{'Sid':'Session','Effect':'Allow','Principal':{'AWS':'arn:aws:sts::111122223333:assumed-role/app/s1'},'Action':'s3:PutObject','Resource':'*'}");
        var bounded = Iam.WithBoundary(new PrincipalPolicies([], null), "{'Effect':'Allow','Action':'ec2:*','Resource':'*'}");

        Assert.True(Iam.Evaluate(Iam.Request(Iam.App, "s3:PutObject", Iam.Object, Iam.Home), bounded, bucket).Allowed);
    }

    [Fact]
    public void Boundary_CapsARoleArnResourceGrant()
    {
        var bucket = Iam.BucketPolicy("{'Sid':'Role','Effect':'Allow','Principal':{'AWS':'arn:aws:iam::111122223333:role/app'},'Action':'s3:PutObject','Resource':'*'}");
        var capped = Iam.WithBoundary(new PrincipalPolicies([], null), "{'Effect':'Allow','Action':'ec2:*','Resource':'*'}");
        var within = Iam.WithBoundary(new PrincipalPolicies([], null), "{'Effect':'Allow','Action':'s3:*','Resource':'*'}");
        var request = Iam.Request(Iam.App, "s3:PutObject", Iam.Object, Iam.Home);

        var denied = Iam.Evaluate(request, capped, bucket);
        Assert.False(denied.Allowed);
        Assert.Contains("bucket policy of hello-artifacts (Role) names the role", denied.Explanation);
        Assert.True(Iam.Evaluate(request, within, bucket).Allowed);
    }

    [Fact]
    public void Boundary_CapsARoleArnKeyPolicyGrant_ButNotASessionArnOne()
    {
        var byRole = Iam.KeyPolicy("{'Effect':'Allow','Principal':{'AWS':'arn:aws:iam::111122223333:role/app'},'Action':'kms:Decrypt','Resource':'*'}");
        var bySession = Iam.KeyPolicy("{'Effect':'Allow','Principal':{'AWS':'arn:aws:sts::111122223333:assumed-role/app/s1'},'Action':'kms:Decrypt','Resource':'*'}");
        var bounded = Iam.WithBoundary(new PrincipalPolicies([], null), "{'Effect':'Allow','Action':'s3:*','Resource':'*'}");
        var request = Iam.Request(Iam.App, "kms:Decrypt", Iam.Key, Iam.Home);

        Assert.False(Iam.Evaluate(request, bounded, byRole).Allowed);
        Assert.True(Iam.Evaluate(request, bounded, bySession).Allowed);
    }

    [Fact]
    public void ExplicitDenyInBoundary_DeniesEvenASessionGrant()
    {
        var bucket = Iam.BucketPolicy("{'Effect':'Allow','Principal':{'AWS':'arn:aws:sts::111122223333:assumed-role/app/s1'},'Action':'s3:*','Resource':'*'}");
        var bounded = Iam.WithBoundary(new PrincipalPolicies([], null), "{'Effect':'Allow','Action':'*','Resource':'*'}", "{'Sid':'NoDeletes','Effect':'Deny','Action':'s3:Delete*','Resource':'*'}");

        var decision = Iam.Evaluate(Iam.Request(Iam.App, "s3:DeleteObject", Iam.Object, Iam.Home), bounded, bucket);

        Assert.False(decision.Allowed);
        Assert.Equal(["boundary app-boundary/NoDeletes"], decision.DecisiveStatements);
    }

    [Theory]
    [InlineData("arn:aws:iam::111122223333:policy/XCompanyBoundaries", true)]
    [InlineData("arn:aws:iam::111122223333:policy/Other", false)]
    public void PermissionsBoundaryCondition_LimitsWhichBoundaryAUserMayBeCreatedWith(string passedBoundary, bool expected)
    {
        var delegated = Iam.Identity("{'Sid':'CreateOrChangeOnlyWithBoundary','Effect':'Allow','Action':['iam:CreateUser','iam:PutUserPermissionsBoundary'],'Resource':'*','Condition':{'StringEquals':{'iam:PermissionsBoundary':'arn:aws:iam::111122223333:policy/XCompanyBoundaries'}}}");
        var request = Iam.Request(Iam.App, "iam:CreateUser", "arn:aws:iam::111122223333:user/new", Iam.Home, ("iam:PermissionsBoundary", [passedBoundary]));

        Assert.Equal(expected, Iam.Evaluate(request, delegated).Allowed);
    }
}
