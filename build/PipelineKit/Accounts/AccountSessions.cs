namespace PipelineKit.Accounts;

using System.Collections.Concurrent;
using System.Net;
using Amazon.Runtime;
using PipelineKit.Aws;
using PipelineKit.Configuration;
using PipelineKit.Naming;

/// <summary>
/// One verified session per account. The build session comes from the --profile override, else
/// build.profile, else the SDK's default chain. A target account uses its profile, else its roleArn, else
/// arn:aws:iam::ACCOUNT:role/assumeRoleName assumed from the build session; a target that is the build
/// account and names neither reuses the build session. Every session is checked with sts:GetCallerIdentity
/// against the account the configuration names before anyone gets it. Sessions are resolved once per
/// account, however many callers ask at the same time.
/// </summary>
public sealed class AccountSessions : IAccountSessions
{
    private const string BuildKey = "build";

    private readonly PipelineConfig _config;
    private readonly string? _profileOverride;
    private readonly Func<AWSCredentials, string, ISecurityTokens> _stsFactory;
    private readonly Func<string, string?> _environment;
    private readonly AWSCredentials? _buildCredentialsOverride;
    private readonly AssumeRoleRetry _assumeRoleRetry;
    private readonly ConcurrentDictionary<string, Lazy<Task<AccountSession>>> _sessions = new(StringComparer.Ordinal);

    /// <param name="config">The validated configuration.</param>
    /// <param name="profileOverride">--profile: wins over build.profile.</param>
    /// <param name="stsFactory">Makes the STS client for given credentials and region (the build region is used).</param>
    /// <param name="environment">Environment variable lookup.</param>
    /// <param name="buildCredentialsOverride">The sandbox's credentials for the build account: wins over everything.</param>
    /// <param name="assumeRoleRetry">How long to retry AccessDenied on a fresh role; <see cref="AssumeRoleRetry.Default"/> when null.</param>
    public AccountSessions(
        PipelineConfig config,
        string? profileOverride,
        Func<AWSCredentials, string, ISecurityTokens> stsFactory,
        Func<string, string?> environment,
        AWSCredentials? buildCredentialsOverride = null,
        AssumeRoleRetry? assumeRoleRetry = null)
    {
        _config = config;
        _profileOverride = string.IsNullOrWhiteSpace(profileOverride) ? null : profileOverride;
        _stsFactory = stsFactory;
        _environment = environment;
        _buildCredentialsOverride = buildCredentialsOverride;
        _assumeRoleRetry = assumeRoleRetry ?? AssumeRoleRetry.Default;
    }

    /// <summary>The same sessions (the build session, resolved once, is kept) for a configuration whose organizational
    /// units were resolved to accounts (<see cref="OrganizationalUnits"/>).</summary>
    public AccountSessions WithConfig(PipelineConfig resolved)
    {
        var copy = new AccountSessions(resolved, _profileOverride, _stsFactory, _environment, _buildCredentialsOverride, _assumeRoleRetry);
        foreach (var (key, session) in _sessions) copy._sessions[key] = session;
        return copy;
    }

    private string ConfigFile => Path.GetFileName(_config.SourceFile);

    private string StsRegion => _config.Build.Region;

    public Task<AccountSession> BuildAsync(CancellationToken ct = default) =>
        GetOrResolve(BuildKey, () => ResolveBuildAsync(ct), ct);

    public Task<AccountSession> ForAccountAsync(string accountId, CancellationToken ct = default)
    {
        var target = _config.TargetAccounts.FirstOrDefault(t => t.AccountId == accountId);
        if (target is null)
        {
            if (accountId == _config.Build.Account) return BuildAsync(ct);
            if (accountId == _config.SourceAccount) return GetOrResolve(accountId, () => ResolveSourceAsync(accountId, ct), ct);
            return Task.FromException<AccountSession>(new AccountAccessException(
                AccountAccessError.UnknownAccount,
                $"Account {accountId} is neither build.account nor any environment's account in {ConfigFile}."));
        }

        if (target.Profile is null && target.RoleArn is null && accountId == _config.Build.Account)
            return BuildAsync(ct);

        return GetOrResolve(accountId, () => ResolveTargetAsync(target, ct), ct);
    }

    /// <summary>Resolves and verifies the build session and every target account in parallel, and reports every
    /// failure in one <see cref="AccountAccessException"/>. Call it before deploying anything.</summary>
    public Task VerifyAllAsync(CancellationToken ct = default) =>
        VerifyAsync(_config.TargetAccounts.Select(t => t.AccountId).Concat(_config.SourceAccount is { } source ? [source] : []), ct);

    /// <summary>Resolves and verifies the build session and the sessions of <paramref name="accountIds"/> in parallel,
    /// reporting every failure together. Sessions already verified cost nothing.</summary>
    public async Task VerifyAsync(IEnumerable<string> accountIds, CancellationToken ct = default)
    {
        var checks = new List<Task> { BuildAsync(ct) };
        checks.AddRange(accountIds.Distinct(StringComparer.Ordinal).Select(id => ForAccountAsync(id, ct)));
        try
        {
            await Task.WhenAll(checks).ConfigureAwait(false);
        }
        catch
        {
            // Every failure is collected below, not only the first one WhenAll rethrows.
        }

        ct.ThrowIfCancellationRequested();
        var failures = checks
            .Where(t => t.IsFaulted)
            .SelectMany(t => t.Exception!.InnerExceptions)
            .Select(e => e as AccountAccessException
                ?? new AccountAccessException(AccountAccessError.Unreachable, e.Message, inner: e))
            .ToArray();
        if (failures.Length > 0)
            throw AccountAccessException.Combine(failures);
    }

    private Task<AccountSession> GetOrResolve(string key, Func<Task<AccountSession>> resolve, CancellationToken ct)
    {
        // Lazy makes the resolution start once per account; a failed one is forgotten so a later call can retry.
        Lazy<Task<AccountSession>>? entry = null;
        entry = _sessions.GetOrAdd(key, _ => new Lazy<Task<AccountSession>>(async () =>
        {
            try
            {
                return await resolve().ConfigureAwait(false);
            }
            catch
            {
                _sessions.TryRemove(KeyValuePair.Create(key, entry!));
                throw;
            }
        }));
        return entry.Value.WaitAsync(ct);
    }

    private async Task<AccountSession> ResolveBuildAsync(CancellationToken ct)
    {
        await Task.Yield();
        var environmentProfile = _environment("AWS_PROFILE");
        Reach reach;
        AWSCredentials credentials;
        if (_buildCredentialsOverride is not null)
        {
            reach = new Reach("the build account", "the sandbox credentials", "build.account",
                "Fix the account id.", "Check the sandbox endpoint and credentials.", "Check the sandbox endpoint and credentials.");
            credentials = _buildCredentialsOverride;
        }
        else if (_profileOverride is not null || _config.Build.Profile is not null)
        {
            var profile = (_profileOverride ?? _config.Build.Profile)!;
            var setBy = _profileOverride is not null ? "--profile" : $"build.profile in {ConfigFile}";
            reach = ProfileReach("the build account", profile, "build.account");
            credentials = BuildCredentials.Resolve(profile, _environment, setBy);
        }
        else if (!string.IsNullOrWhiteSpace(environmentProfile))
        {
            reach = ProfileReach("the build account", environmentProfile, "build.account") with
            {
                Origin = $"profile \"{environmentProfile}\" from AWS_PROFILE",
            };
            credentials = BuildCredentials.Resolve(null, _environment);
        }
        else
        {
            reach = new Reach(
                "the build account",
                "the default credential chain",
                "build.account",
                "Fix the credentials (or set build.profile) or the account id.",
                "Refresh the credentials this environment provides (aws sso login, new access keys), "
                    + "or set build.profile in " + ConfigFile + " or pass --profile.",
                "Check the IAM permissions of the build credentials.");
            credentials = BuildCredentials.Resolve(null, _environment);
        }

        return await VerifyAsync(_config.Build.Account, credentials, reach, ct).ConfigureAwait(false);
    }

    /// <summary>A CodeCommit source's account that is no environment's: reached as targets are by default, through
    /// assumeRoleName assumed from the build session.</summary>
    private async Task<AccountSession> ResolveSourceAsync(string accountId, CancellationToken ct)
    {
        await Task.Yield();
        var build = await BuildAsync(ct).ConfigureAwait(false);
        var roleArn = $"arn:{Partitions.Of(StsRegion)}:iam::{accountId}:role/{_config.AssumeRoleName}";
        var reach = new Reach(
            "the CodeCommit source (source.account)",
            $"role {roleArn}",
            "source.account",
            "Fix source.account.",
            $"Refresh the build account's credentials ({build.Origin}) and try again.",
            $"Check that role {roleArn} exists, trusts the build account {build.AccountId}, "
                + "and that the build credentials may call sts:AssumeRole on it.");
        var assumed = new AssumedRoleCredentials(
            _stsFactory(build.Credentials, StsRegion), roleArn, AssumedRoleCredentials.SessionNameFor(accountId), _assumeRoleRetry);
        return await VerifyAsync(accountId, assumed, reach, ct).ConfigureAwait(false);
    }

    private async Task<AccountSession> ResolveTargetAsync(TargetAccount target, CancellationToken ct)
    {
        await Task.Yield();
        var environments = _config.Environments;
        var index = IndexOf(e => e.Account == target.AccountId);
        var who = $"environment(s) {string.Join(", ", target.EnvironmentNames)}";
        var accountField = $"environments[{index}].account";

        if (target.Profile is not null)
        {
            var profileIndex = IndexOf(e => e.Account == target.AccountId && e.Profile is not null);
            var credentials = BuildCredentials.FromProfile(
                target.Profile, $"environments[{profileIndex}].profile in {ConfigFile}", _environment);
            return await VerifyAsync(target.AccountId, credentials, ProfileReach(who, target.Profile, accountField), ct)
                .ConfigureAwait(false);
        }

        var build = await BuildAsync(ct).ConfigureAwait(false);
        var roleArn = target.RoleArn ?? $"arn:{Partitions.Of(StsRegion)}:iam::{target.AccountId}:role/{_config.AssumeRoleName}";
        var mismatchFix = target.RoleArn is not null
            ? $"Fix environments[{IndexOf(e => e.Account == target.AccountId && e.RoleArn is not null)}].roleArn or the account id."
            : "Fix the account id.";
        var reach = new Reach(
            who,
            $"role {roleArn}",
            accountField,
            mismatchFix,
            $"Refresh the build account's credentials ({build.Origin}) and try again.",
            $"Check that role {roleArn} exists, trusts the build account {build.AccountId}, "
                + "and that the build credentials may call sts:AssumeRole on it.");
        var assumed = new AssumedRoleCredentials(
            _stsFactory(build.Credentials, StsRegion),
            roleArn,
            AssumedRoleCredentials.SessionNameFor(target.AccountId),
            _assumeRoleRetry);
        return await VerifyAsync(target.AccountId, assumed, reach, ct).ConfigureAwait(false);

        int IndexOf(Func<EnvironmentSettings, bool> match)
        {
            for (var i = 0; i < environments.Count; i++)
                if (match(environments[i]))
                    return i;
            return -1;
        }
    }

    private async Task<AccountSession> VerifyAsync(string accountId, AWSCredentials credentials, Reach reach, CancellationToken ct)
    {
        CallerIdentity identity;
        try
        {
            // Assume the role first so a refusal is reported as such, not as a failed GetCallerIdentity.
            if (credentials is AssumedRoleCredentials assumed)
                await assumed.GetCredentialsAsync().ConfigureAwait(false);
            identity = await _stsFactory(credentials, StsRegion).GetCallerIdentityAsync(ct).ConfigureAwait(false);
        }
        catch (Exception e) when (AccessFailure(e, accountId, reach) is { } failure)
        {
            throw failure;
        }

        if (identity.Account != accountId)
        {
            throw new AccountAccessException(
                AccountAccessError.WrongAccount,
                $"Credentials for {reach.Who} ({reach.Origin}) act in account {identity.Account}, but {ConfigFile} says "
                + $"{reach.AccountField} is {accountId}. {reach.MismatchFix}");
        }

        return new AccountSession(accountId, credentials, reach.Origin, identity.Arn);
    }

    /// <summary>What a failed identity check means for the user, naming the account, how it was reached and the fix;
    /// null for a failure that is not about reaching the account, which propagates as it is.</summary>
    private AccountAccessException? AccessFailure(Exception failure, string accountId, Reach reach) => failure switch
    {
        AccountAccessException { Error: AccountAccessError.AccessDenied } e => new AccountAccessException(
            AccountAccessError.AccessDenied,
            $"Cannot reach {reach.Who} (account {accountId}) through {reach.Origin}: {e.Message}. {reach.DeniedFix}",
            e.AwsErrorCode,
            e),
        AmazonServiceException e when AssumedRoleCredentials.IsAccessDenied(e) || e.StatusCode == HttpStatusCode.Forbidden && !IsInvalidCredentials(e) =>
            new AccountAccessException(
                AccountAccessError.AccessDenied,
                $"STS refused the credentials for {reach.Who} (account {accountId}, {reach.Origin}): {e.ErrorCode}: {e.Message}. {reach.DeniedFix}",
                e.ErrorCode,
                e),
        AmazonServiceException e when IsInvalidCredentials(e) => new AccountAccessException(
            AccountAccessError.NoValidCredentials,
            $"The credentials for {reach.Who} (account {accountId}, {reach.Origin}) are expired or invalid: {e.ErrorCode}: {e.Message}. {reach.CredentialsFix}",
            e.ErrorCode,
            e),
        AmazonServiceException e => new AccountAccessException(
            AccountAccessError.Unreachable,
            $"Checking {reach.Who} (account {accountId}, {reach.Origin}) with sts:GetCallerIdentity failed: {e.ErrorCode}: {e.Message}",
            e.ErrorCode,
            e),
        // No credentials found, an SSO token missing or expired, a credential_process failing, ...
        AmazonClientException e => new AccountAccessException(
            AccountAccessError.NoValidCredentials,
            $"No usable credentials for {reach.Who} (account {accountId}, {reach.Origin}): {e.Message} {reach.CredentialsFix}",
            inner: e),
        HttpRequestException e => new AccountAccessException(
            AccountAccessError.Unreachable,
            $"Checking {reach.Who} (account {accountId}, {reach.Origin}) could not reach STS in {StsRegion}: {e.Message}",
            inner: e),
        _ => null,
    };

    private static bool IsInvalidCredentials(AmazonServiceException e) =>
        e.ErrorCode is "ExpiredToken" or "ExpiredTokenException" or "InvalidClientTokenId"
            or "UnrecognizedClientException" or "SignatureDoesNotMatch" or "InvalidAccessKeyId";

    private static Reach ProfileReach(string who, string profile, string accountField) => new(
        who,
        $"profile \"{profile}\"",
        accountField,
        "Fix the profile or the account id.",
        $"Run \"aws sso login --profile {profile}\" (or refresh the profile's keys) and try again.",
        $"Check the IAM permissions of profile \"{profile}\".");

    /// <summary>How an account is reached, in the words the messages use.</summary>
    private sealed record Reach(
        string Who, string Origin, string AccountField, string MismatchFix, string CredentialsFix, string DeniedFix);
}
