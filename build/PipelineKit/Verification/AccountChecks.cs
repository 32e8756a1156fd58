namespace PipelineKit.Verification;

using PipelineKit.Accounts;

/// <summary>Each account reached with the configured credentials and checked to be the one the configuration names,
/// by the kit's own session verification (sts:GetCallerIdentity). An account that cannot be reached is a failed cell,
/// and every other check in it is skipped, not passed.</summary>
internal static class AccountChecks
{
    public static async Task<(IReadOnlyList<CheckFinding> Findings, IReadOnlySet<string> Reachable)> RunAsync(
        VerifyContext context, IReadOnlyList<VerifyColumn> columns, CancellationToken ct)
    {
        var checks = columns.Select(async column =>
        {
            try
            {
                var session = column.Account == context.Build
                    ? await context.Sessions.BuildAsync(ct).ConfigureAwait(false)
                    : await context.Sessions.ForAccountAsync(column.Account, ct).ConfigureAwait(false);
                return CheckFinding.Pass(VerifyChecks.Accounts, column.Account, $"{session.Origin} acts in account {session.AccountId}");
            }
            catch (AccountAccessException e)
            {
                return CheckFinding.Fail(VerifyChecks.Accounts, column.Account, $"account {column.Account}", e.Message);
            }
        });
        var findings = await Task.WhenAll(checks).ConfigureAwait(false);
        return (findings, findings.Where(f => f.Status == CheckStatus.Pass).Select(f => f.Account).ToHashSet(StringComparer.Ordinal));
    }

    /// <summary>The finding for a check that cannot run in an account Verify could not reach.</summary>
    public static CheckFinding Unreachable(string check, string account) =>
        CheckFinding.Skip(check, account, $"account {account}", "not checked: the account could not be reached (see the first row)");
}
