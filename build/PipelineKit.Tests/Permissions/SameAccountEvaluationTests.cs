namespace PipelineKit.Tests.Permissions;

using PipelineKit.Permissions;

/// Requests within one account: either the identity side or a resource policy naming the caller suffices.
/// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic_policy-eval-basics.html
public class SameAccountEvaluationTests
{
    private static readonly AccessRequest GetObject = Iam.Request(Iam.App, "s3:GetObject", Iam.Object, Iam.Home);

    [Fact]
    public void IdentityAllow_IsAllowed_AndNamesThePolicyAndSid()
    {
        var identity = Iam.Identity("{'Sid':'ReadArtifacts','Effect':'Allow','Action':['s3:GetObject','s3:GetObjectVersion'],'Resource':'arn:aws:s3:::hello-artifacts/*'}");

        var decision = Iam.Evaluate(GetObject, identity);

        Assert.True(decision.Allowed);
        Assert.Equal($"allowed by role app, inline policy app (ReadArtifacts) for s3:GetObject on {Iam.Object}", decision.Explanation);
        Assert.Equal(["role app, inline policy app/ReadArtifacts"], decision.DecisiveStatements);
    }

    [Fact]
    public void NoStatementAllows_IsDenied_NamingTheSideActionAndResource()
    {
        var identity = Iam.Identity("{'Effect':'Allow','Action':'s3:PutObject','Resource':'*'}");

        var decision = Iam.Evaluate(Iam.Request(Iam.App, "cloudformation:ListChangeSets", "arn:aws:cloudformation:eu-west-1:111122223333:stack/hello/1", Iam.Home), identity);

        Assert.False(decision.Allowed);
        Assert.Equal("denied: no statement in the identity policies of role app allows cloudformation:ListChangeSets on arn:aws:cloudformation:eu-west-1:111122223333:stack/hello/1", decision.Explanation);
    }

    [Fact]
    public void ExplicitDenyInIdentityPolicy_WinsOverAllow()
    {
        var identity = Iam.Identity(
            "{'Sid':'All','Effect':'Allow','Action':'s3:*','Resource':'*'}",
            "{'Sid':'NoArtifacts','Effect':'Deny','Action':'s3:GetObject','Resource':'arn:aws:s3:::hello-artifacts/*'}");

        var decision = Iam.Evaluate(GetObject, identity);

        Assert.False(decision.Allowed);
        Assert.StartsWith("denied: explicit Deny in role app, inline policy app (NoArtifacts)", decision.Explanation);
        Assert.Equal(["role app, inline policy app/NoArtifacts"], decision.DecisiveStatements);
    }

    [Fact]
    public void ExplicitDenyInBucketPolicy_WinsOverIdentityAllow()
    {
        var identity = Iam.Identity("{'Effect':'Allow','Action':'s3:*','Resource':'*'}");
        var bucket = Iam.BucketPolicy("{'Sid':'DenyInsecureTransport','Effect':'Deny','Principal':'*','Action':'s3:*','Resource':['arn:aws:s3:::hello-artifacts','arn:aws:s3:::hello-artifacts/*'],'Condition':{'Bool':{'aws:SecureTransport':'false'}}}");

        var insecure = Iam.Evaluate(Iam.Request(Iam.App, "s3:GetObject", Iam.Object, Iam.Home, ("aws:SecureTransport", ["false"])), identity, bucket);
        var secure = Iam.Evaluate(Iam.Request(Iam.App, "s3:GetObject", Iam.Object, Iam.Home, ("aws:SecureTransport", ["true"])), identity, bucket);

        Assert.False(insecure.Allowed);
        Assert.Contains("bucket policy of hello-artifacts (DenyInsecureTransport)", insecure.Explanation);
        Assert.True(secure.Allowed);
    }

    [Theory]
    [InlineData(null, false)]
    [InlineData("AES256", false)]
    [InlineData("aws:kms", true)]
    public void UploadWithoutKmsHeader_IsDeniedByStringNotEqualsIfExists(string? encryption, bool expected)
    {
        var identity = Iam.Identity("{'Effect':'Allow','Action':'s3:PutObject','Resource':'*'}");
        var bucket = Iam.BucketPolicy("{'Sid':'DenyUploadsNotEncryptedWithKms','Effect':'Deny','Principal':'*','Action':'s3:PutObject','Resource':'arn:aws:s3:::hello-artifacts/*','Condition':{'StringNotEqualsIfExists':{'s3:x-amz-server-side-encryption':'aws:kms'}}}");
        var context = encryption is null ? [] : new[] { ("s3:x-amz-server-side-encryption", new[] { encryption }) };

        var decision = Iam.Evaluate(Iam.Request(Iam.App, "s3:PutObject", Iam.Object, Iam.Home, context), identity, bucket);

        Assert.Equal(expected, decision.Allowed);
        if (!expected)
        {
            Assert.Equal(["bucket policy of hello-artifacts/DenyUploadsNotEncryptedWithKms"], decision.DecisiveStatements);
        }
    }

    [Theory]
    [InlineData("arn:aws:iam::111122223333:role/app")]
    [InlineData("arn:aws:sts::111122223333:assumed-role/app/s1")]
    public void BucketPolicyNamingTheRoleOrSession_AllowsWithoutAnIdentityPolicy(string principal)
    {
        var bucket = Iam.BucketPolicy($"{{'Sid':'AppReads','Effect':'Allow','Principal':{{'AWS':'{principal}'}},'Action':'s3:GetObject','Resource':'arn:aws:s3:::hello-artifacts/*'}}");

        var decision = Iam.Evaluate(GetObject, new PrincipalPolicies([], null), bucket);

        Assert.True(decision.Allowed);
        Assert.Equal(["bucket policy of hello-artifacts/AppReads"], decision.DecisiveStatements);
    }

    [Fact]
    public void BucketPolicyNamingOnlyTheAccount_IsDelegation_AndNeedsTheIdentityAllow()
    {
        var bucket = Iam.BucketPolicy("{'Sid':'Account','Effect':'Allow','Principal':{'AWS':'arn:aws:iam::111122223333:root'},'Action':'s3:GetObject','Resource':'arn:aws:s3:::hello-artifacts/*'}");
        var identity = Iam.Identity("{'Sid':'Read','Effect':'Allow','Action':'s3:GetObject','Resource':'*'}");

        var without = Iam.Evaluate(GetObject, new PrincipalPolicies([], null), bucket);
        var with = Iam.Evaluate(GetObject, identity, bucket);

        Assert.False(without.Allowed);
        Assert.Contains("only delegates to account 111122223333", without.Explanation);
        Assert.True(with.Allowed);
    }

    [Fact]
    public void StatementWithoutSid_IsNamedByItsIndex()
    {
        var identity = Iam.Identity("{'Effect':'Allow','Action':'sqs:*','Resource':'*'}", "{'Effect':'Allow','Action':'s3:*','Resource':'*'}");

        var decision = Iam.Evaluate(GetObject, identity);

        Assert.Equal(["role app, inline policy app/#1"], decision.DecisiveStatements);
        Assert.Contains("role app, inline policy app (#1)", decision.Explanation);
    }

    [Fact]
    public void AnyOfSeveralIdentityPolicies_MayAllow()
    {
        var policies = new PrincipalPolicies(
        [
            Iam.Doc("role app, managed policy a", "{'Effect':'Allow','Action':'sqs:*','Resource':'*'}"),
            Iam.Doc("role app, managed policy b", "{'Sid':'S3','Effect':'Allow','Action':'s3:*','Resource':'*'}"),
        ], null);

        Assert.Equal(["role app, managed policy b/S3"], Iam.Evaluate(GetObject, policies).DecisiveStatements);
    }

    [Fact]
    public void Unrestricted_AllowsInAccount_ButNotPastAnExplicitDeny()
    {
        var bucket = Iam.BucketPolicy("{'Sid':'NoDelete','Effect':'Deny','Principal':'*','Action':'s3:DeleteObject','Resource':'*'}");

        Assert.True(Iam.Evaluate(GetObject, PrincipalPolicies.Unrestricted, bucket).Allowed);
        Assert.False(Iam.Evaluate(Iam.Request(Iam.App, "s3:DeleteObject", Iam.Object, Iam.Home), PrincipalPolicies.Unrestricted, bucket).Allowed);
    }
}
