namespace PipelineKit.Accounts;

using Amazon.Runtime;

/// <summary>Credentials that act in one account, and how they were obtained (for messages).</summary>
public sealed record AccountSession(string AccountId, AWSCredentials Credentials, string Origin);

/// <summary>Hands out one verified session per account: the build account's and each target's.</summary>
public interface IAccountSessions
{
    Task<AccountSession> BuildAsync(CancellationToken ct = default);

    Task<AccountSession> ForAccountAsync(string accountId, CancellationToken ct = default);
}
