namespace PipelineKit.Tests.Accounts;

using Amazon.Runtime;
using PipelineKit.Accounts;
using PipelineKit.Aws;
using PipelineKit.Configuration;
using PipelineKit.Tests.Integration;

/// <summary>Sessions against the shared emulator: assuming a role there changes nothing other tests see.</summary>
[Collection("moto")]
public sealed class AccountSessionsMotoTests(MotoFixture moto)
{
    [Fact]
    public async Task ForAccount_AgainstMoto_AssumesOrganizationAccountAccessRoleInTargetAccount()
    {
        using var factory = moto.Clients();
        ISecurityTokens Sts(AWSCredentials credentials, string region) => new SecurityTokens(factory.SecurityTokenService(credentials, region));

        var sessions = new AccountSessions(
            AccountSessionsTests.Config(new EnvironmentSettings("dev", "222222222222", "us-east-1")),
            profileOverride: null,
            Sts,
            _ => null,
            new BasicAWSCredentials("testing", "testing"));

        await sessions.VerifyAllAsync();
        var session = await sessions.ForAccountAsync("222222222222");
        var identity = await Sts(session.Credentials, "us-east-1").GetCallerIdentityAsync();

        Assert.Equal("222222222222", identity.Account);
        Assert.Contains("OrganizationAccountAccessRole/pipelinekit-222222222222", identity.Arn);
        Assert.Equal("123456789012", (await sessions.BuildAsync()).AccountId);
    }
}
