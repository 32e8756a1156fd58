namespace PipelineKit.Accounts;

using PipelineKit.Errors;

/// <summary>Stable codes for why the kit cannot act in an account.</summary>
public enum AccountAccessError
{
    /// <summary>A named profile is not in the shared config or credentials file.</summary>
    ProfileNotFound,

    /// <summary>No credentials were found, or the ones found are expired or invalid.</summary>
    NoValidCredentials,

    /// <summary>STS refused (AccessDenied), e.g. the role does not exist or does not trust the caller.</summary>
    AccessDenied,

    /// <summary>The credentials work, but in another account than the configuration names.</summary>
    WrongAccount,

    /// <summary>The account is not named anywhere in the configuration.</summary>
    UnknownAccount,

    /// <summary>Any other failure while reaching or checking the account.</summary>
    Unreachable,

    /// <summary>An organizational unit cannot be resolved to its active accounts (see <see cref="OrganizationalUnits"/>).</summary>
    OrganizationalUnitUnresolved,

    /// <summary>Several accounts failed; see <see cref="AccountAccessException.Failures"/>.</summary>
    Several,
}

/// <summary>The kit cannot act in an account. The message names the account, how it was reached and the fix;
/// <see cref="KitException.Code"/> is the name of <see cref="Error"/>.</summary>
public sealed class AccountAccessException : KitException
{
    public AccountAccessException(AccountAccessError error, string message, string? awsErrorCode = null, Exception? inner = null)
        : base(error.ToString(), message, inner: inner)
    {
        Error = error;
        AwsErrorCode = awsErrorCode;
        Failures = [this];
    }

    private AccountAccessException(IReadOnlyList<AccountAccessException> failures)
        : base(
            nameof(AccountAccessError.Several),
            $"{failures.Count} account checks failed; nothing was deployed:"
            + string.Concat(failures.Select(f => Environment.NewLine + "  - " + f.Message)),
            inner: new AggregateException(failures))
    {
        Error = AccountAccessError.Several;
        Failures = failures;
    }

    public AccountAccessError Error { get; }

    /// <summary>The AWS error code behind this failure (AccessDenied, ExpiredToken, ...), when there was one.</summary>
    public string? AwsErrorCode { get; }

    /// <summary>Every failure this exception reports: itself, or each one of <see cref="AccountAccessError.Several"/>.</summary>
    public IReadOnlyList<AccountAccessException> Failures { get; }

    /// <summary>One exception that reports all of <paramref name="failures"/> (the failure itself when there is one).</summary>
    public static AccountAccessException Combine(IReadOnlyList<AccountAccessException> failures)
    {
        ArgumentOutOfRangeException.ThrowIfZero(failures.Count);
        var flat = failures.SelectMany(f => f.Failures).DistinctBy(f => f.Message).ToArray();
        return flat.Length == 1 ? flat[0] : new AccountAccessException(flat);
    }
}
