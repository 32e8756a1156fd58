namespace PipelineKit.Verification;

using PipelineKit.Accounts;
using PipelineKit.Aws;
using PipelineKit.Configuration;
using PipelineKit.Orchestration;

/// <summary>What Verify reads with: the configuration, the plan that says what the kit would deploy, the account
/// sessions and the client factory (every call logged). <paramref name="Emulated"/> is true when the endpoints are
/// overridden (the sandbox's emulator, AWS_ENDPOINT_URL): nothing there evaluates IAM. <paramref name="Where"/> says which
/// AWS is looked at, for the report ("sandbox, emulator at ...", "build account ...").</summary>
public sealed record VerifyContext(
    PipelineConfig Config,
    FoundationPlan Plan,
    IAccountSessions Sessions,
    IAwsClientFactory Clients,
    bool Emulated,
    TimeProvider Time,
    string Where)
{
    public string Build => Config.Build.Account;

    /// <summary>The verified session's credentials in <paramref name="account"/> (the build account's for it).</summary>
    public async Task<Amazon.Runtime.AWSCredentials> CredentialsAsync(string account, CancellationToken ct) =>
        (await Sessions.ForAccountAsync(account, ct).ConfigureAwait(false)).Credentials;
}
