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

        messages.Report(MessageCodes.CredentialsChecking,
            $"Checking credentials for the build account and {config.TargetAccounts.Count} target account(s)...");
        await sessions.VerifyAllAsync(ct).ConfigureAwait(false);
    }
}
