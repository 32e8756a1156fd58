namespace PipelineKit.Tests.Accounts;

using PipelineKit.Accounts;
using PipelineKit.Configuration;

[CollectionDefinition(nameof(SharedConfigFileCollection), DisableParallelization = true)]
public sealed class SharedConfigFileCollection;

/// <summary>The SDK reads AWS_CONFIG_FILE and AWS_SHARED_CREDENTIALS_FILE from the process environment, so these
/// tests point them at temporary files and run alone.</summary>
[Collection(nameof(SharedConfigFileCollection))]
public sealed class ProfileSessionTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("pipelinekit-profiles-").FullName;
    private readonly string? _configFile = Environment.GetEnvironmentVariable("AWS_CONFIG_FILE");
    private readonly string? _credentialsFile = Environment.GetEnvironmentVariable("AWS_SHARED_CREDENTIALS_FILE");
    private readonly FakeStsWorld _sts = new();

    public ProfileSessionTests()
    {
        File.WriteAllText(Path.Combine(_directory, "config"), "[profile dev]\nregion = us-east-1\n");
        File.WriteAllText(
            Path.Combine(_directory, "credentials"),
            "[dev]\naws_access_key_id = dev-key\naws_secret_access_key = dev-secret\n");
        Environment.SetEnvironmentVariable("AWS_CONFIG_FILE", Path.Combine(_directory, "config"));
        Environment.SetEnvironmentVariable("AWS_SHARED_CREDENTIALS_FILE", Path.Combine(_directory, "credentials"));
        _sts.Keys["build-key"] = "123456789012";
    }

    public void Dispose()
    {
        Environment.SetEnvironmentVariable("AWS_CONFIG_FILE", _configFile);
        Environment.SetEnvironmentVariable("AWS_SHARED_CREDENTIALS_FILE", _credentialsFile);
        Directory.Delete(_directory, recursive: true);
    }

    [Fact]
    public async Task ForAccount_WithProfile_UsesTheProfileAndAssumesNothing()
    {
        _sts.Keys["dev-key"] = "222222222222";

        var session = await Sessions().ForAccountAsync("222222222222");

        Assert.Equal("profile \"dev\"", session.Origin);
        Assert.Equal("dev-key", (await session.Credentials.GetCredentialsAsync()).AccessKey);
        Assert.Empty(_sts.AssumeRoleCalls);
    }

    [Fact]
    public async Task ForAccount_WhenProfileActsInAnotherAccount_IsRejectedWithTheExactMessage()
    {
        _sts.Keys["dev-key"] = "999999999999";

        var e = await Assert.ThrowsAsync<AccountAccessException>(() => Sessions().ForAccountAsync("222222222222"));

        Assert.Equal(
            "Credentials for environment(s) dev (profile \"dev\") act in account 999999999999, but pipeline.json says "
            + "environments[0].account is 222222222222. Fix the profile or the account id.",
            e.Message);
    }

    [Fact]
    public async Task ForAccount_WhenProfileIsMissing_NamesTheProfileAndTheField()
    {
        var config = AccountSessionsTests.Config(
            new EnvironmentSettings("dev", "222222222222", "us-east-1", Profile: "no-such-profile"));
        var sessions = new AccountSessions(config, null, _sts.For, Environment.GetEnvironmentVariable, new Amazon.Runtime.BasicAWSCredentials("build-key", "s"));

        var e = await Assert.ThrowsAsync<AccountAccessException>(() => sessions.ForAccountAsync("222222222222"));

        Assert.Equal(AccountAccessError.ProfileNotFound, e.Error);
        Assert.Equal(
            $"AWS profile \"no-such-profile\" (from environments[0].profile in pipeline.json) does not exist in "
            + $"{_directory}/config or {_directory}/credentials. Create it (aws configure sso --profile no-such-profile) "
            + "or fix environments[0].profile in pipeline.json.",
            e.Message);
    }

    [Fact]
    public void BuildCredentials_WithMissingBuildProfile_NamesBuildProfile()
    {
        var e = Assert.Throws<AccountAccessException>(() => BuildCredentials.Resolve("nope", _ => null));

        Assert.StartsWith(
            "AWS profile \"nope\" (from build.profile in pipeline.json) does not exist in ~/.aws/config or ~/.aws/credentials.",
            e.Message);
    }

    [Fact]
    public async Task BuildCredentials_WithProfile_UsesTheSdkProfileChain()
    {
        var credentials = BuildCredentials.Resolve("dev", Environment.GetEnvironmentVariable);

        Assert.Equal("dev-key", (await credentials.GetCredentialsAsync()).AccessKey);
    }

    [Fact]
    public async Task BuildCredentials_WithoutProfile_UsesAwsProfileFromTheEnvironment()
    {
        var credentials = BuildCredentials.Resolve(null, name => name == "AWS_PROFILE" ? "dev" : Environment.GetEnvironmentVariable(name));

        Assert.Equal("dev-key", (await credentials.GetCredentialsAsync()).AccessKey);
    }

    private AccountSessions Sessions() => new(
        AccountSessionsTests.Config(new EnvironmentSettings("dev", "222222222222", "us-east-1", Profile: "dev")),
        null,
        _sts.For,
        Environment.GetEnvironmentVariable,
        new Amazon.Runtime.BasicAWSCredentials("build-key", "s"));
}
