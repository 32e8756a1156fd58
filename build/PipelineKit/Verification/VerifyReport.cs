namespace PipelineKit.Verification;

using PipelineKit.Configuration;

public enum CheckStatus { Pass, Fail, Skip }

/// <summary>One thing checked in one account: what (<paramref name="Subject"/>) and, unless it passed, why not.</summary>
public sealed record CheckFinding(string Check, string Account, CheckStatus Status, string Subject, string? Reason = null)
{
    public static CheckFinding Pass(string check, string account, string subject) => new(check, account, CheckStatus.Pass, subject);

    public static CheckFinding Fail(string check, string account, string subject, string reason) => new(check, account, CheckStatus.Fail, subject, reason);

    public static CheckFinding Skip(string check, string account, string subject, string reason) => new(check, account, CheckStatus.Skip, subject, reason);

    /// <summary>How a failure or a skip reads on its own line: the subject, then the reason.</summary>
    public string Text => Reason is null ? Subject : $"{Subject}: {Reason}";
}

/// <summary>One account of the matrix: the build account, then each target account with the environments it holds, then a
/// CodeCommit source's account that holds none.</summary>
public sealed record VerifyColumn(string Account, string Label)
{
    public static IReadOnlyList<VerifyColumn> For(PipelineConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        string Environments(string account) => string.Join("+", config.Environments.Where(e => e.Account == account).Select(e => e.Name));
        var build = Environments(config.Build.Account) is { Length: > 0 } names ? $"build+{names}" : "build";
        return [new(config.Build.Account, build), .. config.TargetAccounts.Where(a => a.AccountId != config.Build.Account)
            .Select(a => new VerifyColumn(a.AccountId, Environments(a.AccountId))),
            .. config.SourceAccount is { } source && config.TargetAccounts.All(a => a.AccountId != source) ? [new VerifyColumn(source, "source")] : Array.Empty<VerifyColumn>()];
    }
}

/// <summary>The findings of one check in one account. Any failure fails the cell; else any skip makes it skipped (what was
/// not checked is not passed); a cell without findings does not apply there.</summary>
public sealed record VerifyCell(string Check, VerifyColumn Column, IReadOnlyList<CheckFinding> Findings)
{
    public CheckStatus? Status =>
        Findings.Count == 0 ? null
        : Findings.Any(f => f.Status == CheckStatus.Fail) ? CheckStatus.Fail
        : Findings.Any(f => f.Status == CheckStatus.Skip) ? CheckStatus.Skip
        : CheckStatus.Pass;

    /// <summary>The one reason the matrix prints: the first failure, or for a skipped cell the first skip.</summary>
    public CheckFinding? Reason => Findings.FirstOrDefault(f => f.Status == Status && f.Status != CheckStatus.Pass);
}

/// <summary>What Verify found: every finding, in the matrix of checks (rows, in <see cref="VerifyChecks.InOrder"/>) by
/// account (columns). <paramref name="Where"/> says which AWS it looked at (sandbox, endpoint, build account).</summary>
public sealed record VerifyReport(string Pipeline, string Where, IReadOnlyList<VerifyColumn> Columns, IReadOnlyList<CheckFinding> Findings)
{
    public bool Passed => Findings.All(f => f.Status != CheckStatus.Fail);

    public IReadOnlyList<VerifyCell> Cells =>
        VerifyChecks.InOrder.SelectMany(check => Columns.Select(column => new VerifyCell(check, column,
            Findings.Where(f => f.Check == check && f.Account == column.Account).ToArray()))).ToArray();
}
