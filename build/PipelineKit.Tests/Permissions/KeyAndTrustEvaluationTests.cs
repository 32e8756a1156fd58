namespace PipelineKit.Tests.Permissions;

using PipelineKit.Permissions;

/// Key policies and role trust policies must allow even within the account; IAM policies count only where the
/// resource policy delegates to the account.
/// https://docs.aws.amazon.com/kms/latest/developerguide/key-policy-default.html
/// https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_compare-resource-policies.html
public class KeyAndTrustEvaluationTests
{
    private const string Target = "arn:aws:iam::111122223333:role/target";
    private static readonly PrincipalPolicies CanDecrypt = Iam.Identity("{'Sid':'UseKey','Effect':'Allow','Action':['kms:Decrypt','kms:GenerateDataKey*'],'Resource':'*'}");
    private static readonly PrincipalPolicies CanAssume = Iam.Identity($"{{'Sid':'Assume','Effect':'Allow','Action':'sts:AssumeRole','Resource':'{Target}'}}");
    private static readonly ResourcePolicy EnableIam = Iam.KeyPolicy("{'Sid':'Enable IAM User Permissions','Effect':'Allow','Principal':{'AWS':'arn:aws:iam::111122223333:root'},'Action':'kms:*','Resource':'*'}");

    private static AccessRequest Decrypt(AccessPrincipal who) => Iam.Request(who, "kms:Decrypt", Iam.Key, Iam.Home);

    private static AccessRequest Assume(AccessPrincipal who) => Iam.Request(who, "sts:AssumeRole", Target, Iam.Home);

    [Fact]
    public void KeyPolicyWithoutRootDelegation_IgnoresIamPolicies()
    {
        var key = Iam.KeyPolicy("{'Sid':'Admins','Effect':'Allow','Principal':{'AWS':'arn:aws:iam::111122223333:role/key-admin'},'Action':'kms:*','Resource':'*'}");

        var decision = Iam.Evaluate(Decrypt(Iam.App), PrincipalPolicies.Unrestricted, key);

        Assert.False(decision.Allowed);
        Assert.Equal($"denied: key policy of {Iam.Key} does not allow {Iam.App.Arn} to call kms:Decrypt on {Iam.Key}", decision.Explanation);
    }

    [Fact]
    public void KeyPolicyWithRootDelegation_NeedsTheIamAllow()
    {
        var without = Iam.Evaluate(Decrypt(Iam.App), new PrincipalPolicies([], null), EnableIam);
        var with = Iam.Evaluate(Decrypt(Iam.App), CanDecrypt, EnableIam);

        Assert.False(without.Allowed);
        Assert.Contains("(Enable IAM User Permissions) only delegates to account 111122223333", without.Explanation);
        Assert.True(with.Allowed);
        Assert.Equal(["role app, inline policy app/UseKey", $"key policy of {Iam.Key}/Enable IAM User Permissions"], with.DecisiveStatements);
    }

    [Fact]
    public void KeyPolicyNamingTheRole_AllowsWithoutAnIamPolicy()
    {
        var key = Iam.KeyPolicy("{'Sid':'KeyUsers','Effect':'Allow','Principal':{'AWS':'arn:aws:iam::111122223333:role/app'},'Action':['kms:Decrypt','kms:DescribeKey'],'Resource':'*'}");

        Assert.True(Iam.Evaluate(Decrypt(Iam.App), new PrincipalPolicies([], null), key).Allowed);
    }

    [Fact]
    public void CrossAccountKey_NeedsKeyPolicyAndIamAllow()
    {
        var key = Iam.KeyPolicy("{'Sid':'Targets','Effect':'Allow','Principal':{'AWS':'arn:aws:iam::444455556666:root'},'Action':'kms:Decrypt','Resource':'*'}");

        Assert.True(Iam.Evaluate(Decrypt(Iam.Deployer), CanDecrypt, key).Allowed);
        Assert.False(Iam.Evaluate(Decrypt(Iam.Deployer), new PrincipalPolicies([], null), key).Allowed);
        var notNamed = Iam.Evaluate(Decrypt(Iam.Deployer), CanDecrypt, EnableIam);
        Assert.False(notNamed.Allowed);
        Assert.StartsWith($"denied: cross-account request: the key policy of {Iam.Key} does not allow arn:aws:sts::444455556666:assumed-role/deployer/s1", notNamed.Explanation);
    }

    [Fact]
    public void TrustNamingTheAccountRoot_NeedsTheIdentityAllow()
    {
        var trust = Iam.TrustPolicy("{'Sid':'Account','Effect':'Allow','Principal':{'AWS':'arn:aws:iam::111122223333:root'},'Action':'sts:AssumeRole'}");

        Assert.False(Iam.Evaluate(Assume(Iam.App), new PrincipalPolicies([], null), trust).Allowed);
        Assert.True(Iam.Evaluate(Assume(Iam.App), CanAssume, trust).Allowed);
    }

    [Fact]
    public void TrustNamingTheRoleArn_DoesNotNeedTheIdentityAllow()
    {
        var trust = Iam.TrustPolicy("{'Sid':'App','Effect':'Allow','Principal':{'AWS':'arn:aws:iam::111122223333:role/app'},'Action':'sts:AssumeRole'}");

        var decision = Iam.Evaluate(Assume(Iam.App), new PrincipalPolicies([], null), trust);

        Assert.True(decision.Allowed);
        Assert.Equal(["trust policy of role target/App"], decision.DecisiveStatements);
    }

    [Fact]
    public void TrustNotNamingTheCaller_DeniesEvenAnAdministrator()
    {
        var trust = Iam.TrustPolicy("{'Effect':'Allow','Principal':{'Service':'codepipeline.amazonaws.com'},'Action':'sts:AssumeRole'}");

        var decision = Iam.Evaluate(Assume(Iam.App), PrincipalPolicies.Unrestricted, trust);

        Assert.False(decision.Allowed);
        Assert.StartsWith("denied: trust policy of role target does not allow", decision.Explanation);
    }

    [Fact]
    public void CrossAccountTrust_NeedsTheIdentityAllowEvenWhenNamingTheRole()
    {
        var trust = Iam.TrustPolicy("{'Effect':'Allow','Principal':{'AWS':'arn:aws:iam::444455556666:role/deployer'},'Action':'sts:AssumeRole'}");
        var canAssume = Iam.Identity("{'Effect':'Allow','Action':'sts:AssumeRole','Resource':'arn:aws:iam::*:role/target'}");

        Assert.False(Iam.Evaluate(Assume(Iam.Deployer), new PrincipalPolicies([], null), trust).Allowed);
        Assert.True(Iam.Evaluate(Assume(Iam.Deployer), canAssume, trust).Allowed);
    }

    [Theory]
    [InlineData("111122223333", true)]
    [InlineData("999988887777", false)]
    public void ServiceTrust_WithSourceAccountCondition(string sourceAccount, bool expected)
    {
        var trust = Iam.TrustPolicy("{'Effect':'Allow','Principal':{'Service':'codepipeline.amazonaws.com'},'Action':'sts:AssumeRole','Condition':{'StringEquals':{'aws:SourceAccount':'111122223333'}}}");
        var request = Iam.Request(AccessPrincipal.Service("codepipeline.amazonaws.com"), "sts:AssumeRole", Target, Iam.Home, ("aws:SourceAccount", [sourceAccount]));

        Assert.Equal(expected, Iam.Evaluate(request, PrincipalPolicies.None, trust).Allowed);
    }
}
