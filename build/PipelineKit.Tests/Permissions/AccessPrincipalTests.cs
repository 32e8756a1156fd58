namespace PipelineKit.Tests.Permissions;

using PipelineKit.Permissions;

public class AccessPrincipalTests
{
    [Fact]
    public void Role_BuildsTheSessionAndKeepsThePathInTheRoleArn()
    {
        var principal = AccessPrincipal.Role("arn:aws:iam::111122223333:role/pipeline/hello-action", "run-1");

        Assert.Equal(PrincipalKind.RoleSession, principal.Kind);
        Assert.Equal("arn:aws:sts::111122223333:assumed-role/hello-action/run-1", principal.Arn);
        Assert.Equal("arn:aws:iam::111122223333:role/pipeline/hello-action", principal.RoleArn);
        Assert.Equal("111122223333", principal.Account);
    }

    [Fact]
    public void Service_HasNoAccount()
    {
        var principal = AccessPrincipal.Service("codepipeline.amazonaws.com");

        Assert.Equal(new AccessPrincipal(PrincipalKind.Service, "codepipeline.amazonaws.com", ""), principal);
    }

    [Theory]
    [InlineData("arn:aws:sts::111122223333:assumed-role/admin/jane", PrincipalKind.RoleSession, "111122223333", "arn:aws:iam::111122223333:role/admin")]
    [InlineData("arn:aws:iam::111122223333:user/ci/jane", PrincipalKind.User, "111122223333", null)]
    [InlineData("arn:aws:iam::111122223333:root", PrincipalKind.AwsAccount, "111122223333", null)]
    public void FromCallerArn_ReadsGetCallerIdentityArns(string arn, PrincipalKind kind, string account, string? roleArn)
    {
        var principal = AccessPrincipal.FromCallerArn(arn);

        Assert.Equal(kind, principal.Kind);
        Assert.Equal(arn, principal.Arn);
        Assert.Equal(account, principal.Account);
        Assert.Equal(roleArn, principal.RoleArn);
    }

    [Theory]
    [InlineData("arn:aws:iam::111122223333:role/admin")]
    [InlineData("arn:aws:sts::111122223333:federated-user/jane")]
    [InlineData("jane")]
    public void FromCallerArn_RejectsOtherArns(string arn) =>
        Assert.Throws<ArgumentException>(() => AccessPrincipal.FromCallerArn(arn));

    [Theory]
    [InlineData("aws:PrincipalArn", "arn:aws:iam::111122223333:role/app")]
    [InlineData("aws:PrincipalAccount", "111122223333")]
    [InlineData("aws:PrincipalType", "AssumedRole")]
    public void Evaluator_AddsPrincipalContextKeysForARoleSession(string key, string value)
    {
        var identity = Iam.Identity($"{{'Effect':'Allow','Action':'*','Resource':'*','Condition':{{'StringEquals':{{'{key}':'{value}'}}}}}}");

        Assert.True(Iam.Evaluate(Iam.Request(Iam.App, "s3:GetObject", Iam.Object, Iam.Home), identity).Allowed);
    }

    [Fact]
    public void Evaluator_AddsPrincipalTypeUserAndServiceName()
    {
        var user = AccessPrincipal.User("arn:aws:iam::111122223333:user/ci");
        var identity = Iam.Identity("{'Effect':'Allow','Action':'*','Resource':'*','Condition':{'StringEquals':{'aws:PrincipalType':'User','aws:PrincipalArn':'arn:aws:iam::111122223333:user/ci'}}}");
        var bucket = Iam.BucketPolicy("{'Effect':'Allow','Principal':'*','Action':'*','Resource':'*','Condition':{'StringEquals':{'aws:PrincipalServiceName':'codebuild.amazonaws.com'}}}");

        Assert.True(Iam.Evaluate(Iam.Request(user, "s3:GetObject", Iam.Object, Iam.Home), identity).Allowed);
        Assert.True(Iam.Evaluate(Iam.Request(AccessPrincipal.Service("codebuild.amazonaws.com"), "s3:GetObject", Iam.Object, Iam.Home), PrincipalPolicies.None, bucket).Allowed);
    }

    [Fact]
    public void Evaluator_AddsTheResourcesAccount_SoAGrantByBucketNameHoldsForTheOwnersBucketOnly()
    {
        var identity = Iam.Identity("{'Effect':'Allow','Action':'s3:GetObject','Resource':'*','Condition':{'StringEquals':{'aws:ResourceAccount':'" + Iam.Home + "'}}}");

        Assert.True(Iam.Evaluate(Iam.Request(Iam.App, "s3:GetObject", Iam.Object, Iam.Home), identity).Allowed);
        Assert.False(Iam.Evaluate(Iam.Request(Iam.App, "s3:GetObject", Iam.Object, Iam.Other), identity).Allowed);
    }

    [Fact]
    public void Evaluator_KeepsContextKeysTheCallerGave()
    {
        var identity = Iam.Identity("{'Effect':'Allow','Action':'*','Resource':'*','Condition':{'StringEquals':{'aws:PrincipalAccount':'999988887777'}}}");

        Assert.True(Iam.Evaluate(Iam.Request(Iam.App, "s3:GetObject", Iam.Object, Iam.Home, ("aws:PrincipalAccount", ["999988887777"])), identity).Allowed);
    }
}
