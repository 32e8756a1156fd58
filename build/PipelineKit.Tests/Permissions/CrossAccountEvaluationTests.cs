namespace PipelineKit.Tests.Permissions;

using PipelineKit.Permissions;

/// Across accounts both the caller's identity side and the resource policy must allow.
/// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic-cross-account.html
public class CrossAccountEvaluationTests
{
    private static readonly AccessRequest GetObject = Iam.Request(Iam.Deployer, "s3:GetObject", Iam.Object, Iam.Home);
    private static readonly PrincipalPolicies CanRead = Iam.Identity("{'Sid':'ReadArtifacts','Effect':'Allow','Action':'s3:GetObject','Resource':'arn:aws:s3:::hello-artifacts/*'}");
    private static readonly ResourcePolicy OtherAccountMayRead = Iam.BucketPolicy("{'Sid':'TargetsRead','Effect':'Allow','Principal':{'AWS':'arn:aws:iam::444455556666:root'},'Action':'s3:GetObject','Resource':'arn:aws:s3:::hello-artifacts/*'}");

    [Fact]
    public void CrossAccount_WhenBothSidesAllow_IsAllowed_NamingBoth()
    {
        var decision = Iam.Evaluate(GetObject, CanRead, OtherAccountMayRead);

        Assert.True(decision.Allowed);
        Assert.Equal(["role app, inline policy app/ReadArtifacts", "bucket policy of hello-artifacts/TargetsRead"], decision.DecisiveStatements);
        Assert.Contains("role app, inline policy app (ReadArtifacts) and bucket policy of hello-artifacts (TargetsRead)", decision.Explanation);
    }

    [Fact]
    public void CrossAccount_WhenOnlyBucketPolicyAllows_IsDenied()
    {
        var decision = Iam.Evaluate(GetObject, new PrincipalPolicies([], null), OtherAccountMayRead);

        Assert.False(decision.Allowed);
        Assert.StartsWith("denied: cross-account request: no statement in the identity policies of role deployer allows s3:GetObject", decision.Explanation);
    }

    [Fact]
    public void CrossAccount_WhenOnlyIdentityAllows_IsDenied()
    {
        var bucket = Iam.BucketPolicy("{'Effect':'Allow','Principal':{'AWS':'arn:aws:iam::999988887777:root'},'Action':'s3:GetObject','Resource':'*'}");

        var decision = Iam.Evaluate(GetObject, CanRead, bucket);

        Assert.False(decision.Allowed);
        Assert.Equal($"denied: cross-account request: the bucket policy of hello-artifacts does not allow {Iam.Deployer.Arn} to call s3:GetObject on {Iam.Object}", decision.Explanation);
    }

    [Fact]
    public void CrossAccount_WithoutResourcePolicy_IsDenied()
    {
        var decision = Iam.Evaluate(GetObject, PrincipalPolicies.Unrestricted);

        Assert.False(decision.Allowed);
        Assert.Contains("has no resource policy", decision.Explanation);
    }

    [Fact]
    public void CrossAccount_BoundaryMustAlsoAllow()
    {
        var bounded = Iam.WithBoundary(CanRead, "{'Effect':'Allow','Action':'cloudformation:*','Resource':'*'}");

        var decision = Iam.Evaluate(GetObject, bounded, OtherAccountMayRead);

        Assert.False(decision.Allowed);
        Assert.Contains("the permissions boundary boundary app-boundary of role deployer does not allow", decision.Explanation);
    }

    [Fact]
    public void CrossAccount_ExplicitDenyInResourcePolicy_Wins()
    {
        var bucket = Iam.BucketPolicy(
            "{'Sid':'TargetsRead','Effect':'Allow','Principal':{'AWS':'444455556666'},'Action':'s3:*','Resource':'*'}",
            "{'Sid':'NoDeletes','Effect':'Deny','Principal':{'AWS':'444455556666'},'Action':'s3:DeleteObject','Resource':'*'}");

        var decision = Iam.Evaluate(Iam.Request(Iam.Deployer, "s3:DeleteObject", Iam.Object, Iam.Home), PrincipalPolicies.Unrestricted, bucket);

        Assert.False(decision.Allowed);
        Assert.Equal(["bucket policy of hello-artifacts/NoDeletes"], decision.DecisiveStatements);
    }
}
