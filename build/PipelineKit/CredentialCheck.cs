namespace PipelineKit;

using PipelineKit.Accounts;
using PipelineKit.Configuration;
using PipelineKit.Messages;

/// <summary>Who we are, in every account a host's targets reach, before the first of them deploys.</summary>
internal static class CredentialCheck
{
    /// <summary>Cake runs a target's prerequisites first, so every account is checked before the first of them deploys.
    /// Under --exclusive only this target runs, and only the accounts it touches are checked (in KitHost.RunAsync): the
    /// pipeline's self-update role reaches the build account only.</summary>
    public static async Task RunAsync(PipelineConfig config, AccountSessions sessions, bool buildAccountOnly, IKitMessages messages, CancellationToken ct)
    {
        if (buildAccountOnly)
        {
            messages.Report(MessageCodes.CredentialsChecking, "Checking credentials for the build account...");
            await sessions.VerifyAsync([], ct).ConfigureAwait(false);
            return;
        }

        var source = config.SourceAccount is { } account && config.TargetAccounts.All(t => t.AccountId != account)
            ? $" and the source account {account}"
            : "";
        messages.Report(MessageCodes.CredentialsChecking,
            $"Checking credentials for the build account{(source.Length > 0 ? "," : " and")} {config.TargetAccounts.Count} target account(s){source}...");
        await sessions.VerifyAllAsync(ct).ConfigureAwait(false);
    }
}
