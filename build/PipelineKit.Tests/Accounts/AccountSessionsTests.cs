namespace PipelineKit.Tests.Accounts;

using Amazon.Runtime;
using PipelineKit.Accounts;
using PipelineKit.Configuration;

public sealed class AccountSessionsTests
{
    private const string BuildAccount = "123456789012";
    private const string DefaultRole = "arn:aws:iam::222222222222:role/OrganizationAccountAccessRole";

    private readonly FakeStsWorld _sts = new();
    private readonly List<TimeSpan> _waits = [];

    public AccountSessionsTests()
    {
        _sts.Keys["build-key"] = BuildAccount;
    }

    [Fact]
    public async Task ForAccount_WithNeitherProfileNorRoleArn_AssumesAssumeRoleNameFromBuildSession()
    {
        var sessions = Sessions(Config(new EnvironmentSettings("dev", "222222222222", "us-west-2")));

        var session = await sessions.ForAccountAsync("222222222222");

        Assert.Equal("222222222222", session.AccountId);
        Assert.Equal($"role {DefaultRole}", session.Origin);
        var call = Assert.Single(_sts.AssumeRoleCalls);
        Assert.Equal(("build-key", DefaultRole, "pipelinekit-222222222222", "us-east-1"), call);
        Assert.All(_sts.Regions, r => Assert.Equal("us-east-1", r));
    }

    [Fact]
    public async Task ForAccount_WithRoleArn_AssumesThatRoleFromBuildSession()
    {
        const string role = "arn:aws:iam::333333333333:role/DeployFromTooling";
        var sessions = Sessions(Config(new EnvironmentSettings("test", "333333333333", "us-west-2", RoleArn: role)));

        var session = await sessions.ForAccountAsync("333333333333");

        Assert.Equal($"role {role}", session.Origin);
        Assert.Equal(("build-key", role, "pipelinekit-333333333333", "us-east-1"), Assert.Single(_sts.AssumeRoleCalls));
        Assert.IsType<AssumedRoleCredentials>(session.Credentials);
    }

    [Fact]
    public async Task ForAccount_WhenTargetIsBuildAccountWithoutProfileOrRole_ReusesBuildSession()
    {
        var sessions = Sessions(Config(new EnvironmentSettings("dev", BuildAccount, "us-east-1")));

        var build = await sessions.BuildAsync();
        var target = await sessions.ForAccountAsync(BuildAccount);

        Assert.Same(build, target);
        Assert.Empty(_sts.AssumeRoleCalls);
    }

    [Fact]
    public async Task ForAccount_CalledConcurrently_AssumesTheRoleOnce()
    {
        var sessions = Sessions(Config(new EnvironmentSettings("dev", "222222222222", "us-east-1")));

        var all = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => Task.Run(() => sessions.ForAccountAsync("222222222222"))));

        Assert.All(all, s => Assert.Same(all[0], s));
        Assert.Single(_sts.AssumeRoleCalls);
    }

    [Fact]
    public async Task ForAccount_WhenAssumedRoleActsInAnotherAccount_IsRejectedNamingTheField()
    {
        _sts.ActsIn[DefaultRole] = "999999999999";
        var sessions = Sessions(Config(new EnvironmentSettings("dev", "222222222222", "us-east-1")));

        var e = await Assert.ThrowsAsync<AccountAccessException>(() => sessions.ForAccountAsync("222222222222"));

        Assert.Equal(AccountAccessError.WrongAccount, e.Error);
        Assert.Equal(
            $"Credentials for environment(s) dev (role {DefaultRole}) act in account 999999999999, but pipeline.json says "
            + "environments[0].account is 222222222222. Fix the account id.",
            e.Message);
    }

    [Fact]
    public async Task Build_WhenCredentialsActInAnotherAccount_IsRejectedNamingBuildAccount()
    {
        _sts.Keys["build-key"] = "999999999999";
        var sessions = Sessions(Config());

        var e = await Assert.ThrowsAsync<AccountAccessException>(() => sessions.BuildAsync());

        Assert.Equal(
            "Credentials for the build account (the sandbox credentials) act in account 999999999999, but pipeline.json says "
            + "build.account is 123456789012. Fix the account id.",
            e.Message);
    }

    [Fact]
    public async Task Build_WhenCredentialsExpired_SaysSoAndHowToFix()
    {
        _sts.ErrorsByKey["build-key"] = "ExpiredToken";
        var sessions = Sessions(Config());

        var e = await Assert.ThrowsAsync<AccountAccessException>(() => sessions.BuildAsync());

        Assert.Equal(AccountAccessError.NoValidCredentials, e.Error);
        Assert.Equal("ExpiredToken", e.AwsErrorCode);
        Assert.StartsWith("The credentials for the build account (account 123456789012, the sandbox credentials) are expired or invalid: ExpiredToken", e.Message);
    }

    [Fact]
    public async Task ForAccount_WhenFreshRoleIsDeniedAtFirst_RetriesWithBackoffThenSucceeds()
    {
        _sts.Denials[DefaultRole] = 3;
        var sessions = Sessions(Config(new EnvironmentSettings("dev", "222222222222", "us-east-1")));

        var session = await sessions.ForAccountAsync("222222222222");

        Assert.Equal("222222222222", session.AccountId);
        Assert.Equal(4, _sts.AssumeRoleCalls.Count);
        Assert.Equal([TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(4), TimeSpan.FromSeconds(8)], _waits);
    }

    [Fact]
    public async Task ForAccount_WhenRoleStaysDenied_GivesUpAfterTheCapWithAClearMessage()
    {
        _sts.Denials[DefaultRole] = int.MaxValue;
        var sessions = Sessions(Config(new EnvironmentSettings("dev", "222222222222", "us-east-1")));

        var e = await Assert.ThrowsAsync<AccountAccessException>(() => sessions.ForAccountAsync("222222222222"));

        Assert.Equal(AccountAccessError.AccessDenied, e.Error);
        Assert.Equal("AccessDenied", e.AwsErrorCode);
        Assert.Equal(6, _sts.AssumeRoleCalls.Count);
        Assert.Equal([2, 4, 8, 16, 30], _waits.Select(w => w.TotalSeconds));
        Assert.Equal(
            $"Cannot reach environment(s) dev (account 222222222222) through role {DefaultRole}: "
            + $"sts:AssumeRole on {DefaultRole} was denied 6 times over 60 s "
            + $"(AccessDenied: User: build-key is not authorized to perform: sts:AssumeRole on resource: {DefaultRole}). "
            + $"Check that role {DefaultRole} exists, trusts the build account 123456789012, "
            + "and that the build credentials may call sts:AssumeRole on it.",
            e.Message);
    }

    [Fact]
    public async Task ForAccount_AfterAFailure_TriesAgainOnTheNextCall()
    {
        _sts.ActsIn[DefaultRole] = "999999999999";
        var sessions = Sessions(Config(new EnvironmentSettings("dev", "222222222222", "us-east-1")));
        await Assert.ThrowsAsync<AccountAccessException>(() => sessions.ForAccountAsync("222222222222"));
        _sts.ActsIn.Clear();

        var session = await sessions.ForAccountAsync("222222222222");

        Assert.Equal("222222222222", session.AccountId);
    }

    [Fact]
    public async Task ForAccount_OfACodeCommitSourceInAnotherAccount_AssumesAssumeRoleNameThere_AndVerifyAllChecksIt()
    {
        const string role = "arn:aws:iam::555555555555:role/OrganizationAccountAccessRole";
        var sessions = Sessions(Config(new EnvironmentSettings("dev", "222222222222", "us-east-1")) with
        {
            Source = new CodeCommitSource("hello", "main", "555555555555", "arn:aws:iam::555555555555:role/hello-source-action"),
        });

        await sessions.VerifyAllAsync();
        var session = await sessions.ForAccountAsync("555555555555");

        Assert.Equal("555555555555", session.AccountId);
        Assert.Equal($"role {role}", session.Origin);
        Assert.Contains(("build-key", role, "pipelinekit-555555555555", "us-east-1"), _sts.AssumeRoleCalls);
        Assert.Equal(2, _sts.AssumeRoleCalls.Count);
    }

    [Fact]
    public async Task ForAccount_WhenAccountIsNotConfigured_Throws()
    {
        var sessions = Sessions(Config(new EnvironmentSettings("dev", "222222222222", "us-east-1")));

        var e = await Assert.ThrowsAsync<AccountAccessException>(() => sessions.ForAccountAsync("555555555555"));

        Assert.Equal(AccountAccessError.UnknownAccount, e.Error);
        Assert.Equal("Account 555555555555 is neither build.account nor any environment's account in pipeline.json.", e.Message);
    }

    [Fact]
    public async Task VerifyAll_ReportsEveryFailingAccountInOneException()
    {
        _sts.Denials[DefaultRole] = int.MaxValue;
        _sts.ActsIn["arn:aws:iam::333333333333:role/OrganizationAccountAccessRole"] = "999999999999";
        var sessions = Sessions(Config(
            new EnvironmentSettings("dev", "222222222222", "us-east-1"),
            new EnvironmentSettings("test", "333333333333", "us-west-2"),
            new EnvironmentSettings("prod", "444444444444", "eu-west-1", Approval: true)));

        var e = await Assert.ThrowsAsync<AccountAccessException>(() => sessions.VerifyAllAsync());

        Assert.Equal(AccountAccessError.Several, e.Error);
        Assert.Equal(2, e.Failures.Count);
        Assert.Contains(e.Failures, f => f.Error == AccountAccessError.AccessDenied && f.Message.Contains("environment(s) dev"));
        Assert.Contains(e.Failures, f => f.Error == AccountAccessError.WrongAccount && f.Message.Contains("environments[1].account is 333333333333"));
        Assert.StartsWith("2 account checks failed; nothing was deployed:" + Environment.NewLine + "  - ", e.Message);
        Assert.Equal("444444444444", (await sessions.ForAccountAsync("444444444444")).AccountId);
    }

    [Fact]
    public async Task VerifyAll_WhenBuildAccountFails_ReportsItOnce()
    {
        _sts.Keys["build-key"] = "999999999999";
        var sessions = Sessions(Config(
            new EnvironmentSettings("dev", "222222222222", "us-east-1"),
            new EnvironmentSettings("test", "333333333333", "us-west-2")));

        var e = await Assert.ThrowsAsync<AccountAccessException>(() => sessions.VerifyAllAsync());

        Assert.Equal(AccountAccessError.WrongAccount, e.Error);
        Assert.Contains("build.account is 123456789012", e.Message);
    }

    [Fact]
    public async Task VerifyAll_WhenEverythingMatches_Passes()
    {
        var sessions = Sessions(Config(
            new EnvironmentSettings("dev", "222222222222", "us-east-1"),
            new EnvironmentSettings("test", "222222222222", "us-west-2"),
            new EnvironmentSettings("prod", "444444444444", "eu-west-1")));

        await sessions.VerifyAllAsync();

        Assert.Equal(2, _sts.AssumeRoleCalls.Count);
    }

    private AccountSessions Sessions(PipelineConfig config) => new(
        config,
        profileOverride: null,
        _sts.For,
        _ => null,
        new BasicAWSCredentials("build-key", "secret"),
        AssumeRoleRetry.Default with
        {
            Delay = (d, _) =>
            {
                lock (_waits)
                    _waits.Add(d);
                return Task.CompletedTask;
            },
        });

    internal static PipelineConfig Config(params EnvironmentSettings[] environments) => new()
    {
        SourceFile = "/repo/pipeline.json",
        Name = "hello",
        Build = new BuildSettings(BuildAccount, "us-east-1", null),
        AssumeRoleName = "OrganizationAccountAccessRole",
        Environments = environments,
        Source = new S3Source(),
        Notifications = new NotificationSettings([]),
        CloudFormationExecution = new ExecutionRoleSettings([], null),
    };
}
