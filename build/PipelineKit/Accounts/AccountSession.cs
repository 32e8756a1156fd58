namespace PipelineKit.Accounts;

using Amazon.Runtime;

/// <summary>Credentials that act in one account, how they were obtained (for messages), and whom they act as
/// (sts:GetCallerIdentity's ARN; the run lock names its holder with it).</summary>
public sealed record AccountSession(string AccountId, AWSCredentials Credentials, string Origin, string? CallerArn = null);

/// <summary>Hands out one verified session per account: the build account's and each target's.</summary>
public interface IAccountSessions
{
    Task<AccountSession> BuildAsync(CancellationToken ct = default);

    Task<AccountSession> ForAccountAsync(string accountId, CancellationToken ct = default);
}
