namespace PipelineKit.Tests.Permissions;

using PipelineKit.Permissions;

/// <summary>The build account's grants to the target roles: every principal ("*"), narrowed by aws:PrincipalArn like the
/// exact role names in any account, and by the target accounts (aws:PrincipalAccount) or their organization
/// (aws:PrincipalOrgID). https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html</summary>
public class ConstantSizeGrantTests
{
    private const string ByAccount =
        "{'Sid':'TargetRolesReadArtifacts','Effect':'Allow','Principal':{'AWS':'*'},'Action':'s3:GetObject','Resource':'arn:aws:s3:::hello-artifacts/*'," +
        "'Condition':{'ArnLike':{'aws:PrincipalArn':['arn:aws:iam::*:role/hello-pipeline-action','arn:aws:iam::*:role/hello-cfn-execution']}," +
        "'StringEquals':{'aws:PrincipalAccount':['444455556666','777788889999']}}}";

    private const string ByOrganization =
        "{'Sid':'TargetRolesReadArtifacts','Effect':'Allow','Principal':{'AWS':'*'},'Action':'s3:GetObject','Resource':'arn:aws:s3:::hello-artifacts/*'," +
        "'Condition':{'ArnLike':{'aws:PrincipalArn':['arn:aws:iam::*:role/hello-pipeline-action','arn:aws:iam::*:role/hello-cfn-execution']}," +
        "'StringEquals':{'aws:PrincipalOrgID':'o-a1b2c3d4e5'}}}";

    private const string ByUnit =
        "{'Sid':'TargetUnitRolesReadArtifacts','Effect':'Allow','Principal':{'AWS':'*'},'Action':'s3:GetObject','Resource':'arn:aws:s3:::hello-artifacts/*'," +
        "'Condition':{'ArnLike':{'aws:PrincipalArn':['arn:aws:iam::*:role/hello-pipeline-action','arn:aws:iam::*:role/hello-cfn-execution']}," +
        "'ForAnyValue:StringLike':{'aws:PrincipalOrgPaths':['o-a1b2c3d4e5/r-ab12/ou-ab12-11111111/*']}}}";

    private static readonly PrincipalPolicies CanRead =
        Iam.Identity("{'Sid':'ReadArtifacts','Effect':'Allow','Action':'s3:GetObject','Resource':'arn:aws:s3:::hello-artifacts/*'}");

    private static AccessDecision Read(AccessPrincipal caller, string statement) =>
        Iam.Evaluate(Iam.Request(caller, "s3:GetObject", Iam.Object, Iam.Home), CanRead, Iam.BucketPolicy(statement));

    [Theory]
    [InlineData("arn:aws:iam::444455556666:role/hello-pipeline-action")]
    [InlineData("arn:aws:iam::777788889999:role/hello-cfn-execution")]
    public void ATargetRoleOfAListedAccount_IsAllowed(string role)
    {
        Assert.True(Read(AccessPrincipal.Role(role), ByAccount).Allowed);
    }

    [Theory]
    // Same name, an account that is not a target.
    [InlineData("arn:aws:iam::999988887777:role/hello-pipeline-action")]
    // A target account, another role; a name that only starts like the kit's; another pipeline's role.
    [InlineData("arn:aws:iam::444455556666:role/hello-deployer")]
    [InlineData("arn:aws:iam::444455556666:role/hello-pipeline-action-evil")]
    [InlineData("arn:aws:iam::444455556666:role/a-hello-pipeline-action")]
    public void AnyOtherRole_IsDenied(string role)
    {
        var decision = Read(AccessPrincipal.Role(role), ByAccount);

        Assert.False(decision.Allowed);
        Assert.StartsWith("denied: cross-account request: the bucket policy of hello-artifacts does not allow", decision.Explanation);
    }

    [Fact]
    public void ByOrganization_WhenTheCallersOrganizationIsUnknown_IsDenied_SayingWhy()
    {
        var decision = Read(AccessPrincipal.Role("arn:aws:iam::444455556666:role/hello-pipeline-action"), ByOrganization);

        Assert.False(decision.Allowed);
        Assert.EndsWith(
            "(bucket policy of hello-artifacts (TargetRolesReadArtifacts) grants by aws:PrincipalOrgID, and the organization of account 444455556666 is unknown to the evaluator)",
            decision.Explanation);
    }

    [Theory]
    [InlineData("o-a1b2c3d4e5", true)]
    [InlineData("o-zzzzzzzzzz", false)]
    public void ByOrganization_WhenTheCallersOrganizationIsKnown_AllowsThatOrganizationOnly(string organization, bool allowed)
    {
        var caller = AccessPrincipal.Role("arn:aws:iam::444455556666:role/hello-pipeline-action") with { OrganizationId = organization };

        var decision = Read(caller, ByOrganization);

        Assert.Equal(allowed, decision.Allowed);
        if (!allowed) Assert.DoesNotContain("unknown to the evaluator", decision.Explanation, StringComparison.Ordinal);
    }

    [Theory]
    // An account of the unit, and one of a unit below it.
    [InlineData("o-a1b2c3d4e5/r-ab12/ou-ab12-11111111/", true)]
    [InlineData("o-a1b2c3d4e5/r-ab12/ou-ab12-11111111/ou-ab12-22222222/", true)]
    // Another unit of the same organization, the root itself, and a unit of the same id path in another organization.
    [InlineData("o-a1b2c3d4e5/r-ab12/ou-ab12-33333333/", false)]
    [InlineData("o-a1b2c3d4e5/r-ab12/", false)]
    [InlineData("o-zzzzzzzzzz/r-ab12/ou-ab12-11111111/", false)]
    public void ByUnit_AllowsTheTargetRolesOfTheUnitsAccounts_AndOfItsChildUnits_Only(string path, bool allowed)
    {
        var caller = AccessPrincipal.Role("arn:aws:iam::444455556666:role/hello-pipeline-action") with { OrganizationPaths = [path] };

        Assert.Equal(allowed, Read(caller, ByUnit).Allowed);
    }

    [Fact]
    public void ByUnit_AnotherRoleOfAnAccountInTheUnit_IsDenied()
    {
        var caller = AccessPrincipal.Role("arn:aws:iam::444455556666:role/hello-deployer") with { OrganizationPaths = ["o-a1b2c3d4e5/r-ab12/ou-ab12-11111111/"] };

        Assert.False(Read(caller, ByUnit).Allowed);
    }

    [Fact]
    public void ByUnit_WhenTheCallersPathIsUnknown_IsDenied_SayingWhy()
    {
        var decision = Read(AccessPrincipal.Role("arn:aws:iam::444455556666:role/hello-pipeline-action") with { OrganizationId = "o-a1b2c3d4e5" }, ByUnit);

        Assert.False(decision.Allowed);
        Assert.EndsWith(
            "(bucket policy of hello-artifacts (TargetUnitRolesReadArtifacts) grants by aws:PrincipalOrgPaths, and the organizational unit of account 444455556666 is unknown to the evaluator)",
            decision.Explanation);
    }
}
