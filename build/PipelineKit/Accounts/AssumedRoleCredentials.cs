namespace PipelineKit.Accounts;

using Amazon.Runtime;
using PipelineKit.Aws;

/// <summary>How hard to try sts:AssumeRole on a role that may have been created moments ago.</summary>
/// <param name="MaxAttempts">Attempts in all, the first included.</param>
/// <param name="FirstDelay">Wait after the first AccessDenied; doubles after each further one.</param>
/// <param name="MaxDelay">Cap on a single wait.</param>
/// <param name="Delay">Waits; tests pass one that returns at once and records the waits.</param>
public sealed record AssumeRoleRetry(int MaxAttempts, TimeSpan FirstDelay, TimeSpan MaxDelay, Func<TimeSpan, CancellationToken, Task> Delay)
{
    /// <summary>6 attempts, waiting 2, 4, 8, 16 and 30 s between them: about a minute in all.</summary>
    public static AssumeRoleRetry Default { get; } = new(
        6, TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(30), (d, ct) => Task.Delay(d, TimeProvider.System, ct));

    public TimeSpan DelayBefore(int attempt) // attempt >= 2
    {
        var seconds = FirstDelay.TotalSeconds * Math.Pow(2, attempt - 2);
        return seconds >= MaxDelay.TotalSeconds ? MaxDelay : TimeSpan.FromSeconds(seconds);
    }
}

/// <summary>
/// Credentials of an IAM role, assumed with <see cref="ISecurityTokens"/> made from the source (build)
/// credentials, and assumed again shortly before they expire. The kit uses this instead of the SDK's
/// AssumeRoleAWSCredentials because that class builds its own STS client, which the kit cannot point at
/// its endpoint settings (AWS_ENDPOINT_URL, the sandbox's moto server).
/// </summary>
public sealed class AssumedRoleCredentials : RefreshingAWSCredentials
{
    /// <summary>Role sessions last an hour, the most a chained role session may (role chaining caps it at 1 h).</summary>
    public static readonly TimeSpan SessionDuration = TimeSpan.FromHours(1);

    private readonly ISecurityTokens _sourceTokens;
    private readonly AssumeRoleRetry _retry;

    public AssumedRoleCredentials(ISecurityTokens sourceTokens, string roleArn, string sessionName, AssumeRoleRetry? retry = null)
    {
        _sourceTokens = sourceTokens;
        _retry = retry ?? AssumeRoleRetry.Default;
        RoleArn = roleArn;
        SessionName = sessionName;
        // Refresh well before expiry so a long CloudFormation wait never runs on credentials about to lapse.
        PreemptExpiryTime = TimeSpan.FromMinutes(10);
    }

    public string RoleArn { get; }

    public string SessionName { get; }

    /// <summary>The role session name the kit uses in <paramref name="accountId"/>; visible in CloudTrail.</summary>
    public static string SessionNameFor(string accountId) => $"pipelinekit-{accountId}";

    protected override CredentialsRefreshState GenerateNewCredentials() =>
        GenerateNewCredentialsAsync().GetAwaiter().GetResult();

    protected override async Task<CredentialsRefreshState> GenerateNewCredentialsAsync()
    {
        var credentials = await AssumeAsync(CancellationToken.None).ConfigureAwait(false);
        return new CredentialsRefreshState(
            new ImmutableCredentials(credentials.AccessKeyId, credentials.SecretAccessKey, credentials.SessionToken),
            credentials.Expiration);
    }

    private async Task<TemporaryCredentials> AssumeAsync(CancellationToken ct)
    {
        var waited = TimeSpan.Zero;
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await _sourceTokens.AssumeRoleAsync(RoleArn, SessionName, SessionDuration, ct).ConfigureAwait(false);
            }
            // IAM is eventually consistent: a role (or its trust policy) created seconds ago can still be
            // refused for a while. https://docs.aws.amazon.com/IAM/latest/UserGuide/troubleshoot_general.html#troubleshoot_general_eventual-consistency
            catch (AmazonServiceException e) when (IsAccessDenied(e) && attempt < _retry.MaxAttempts)
            {
                var delay = _retry.DelayBefore(attempt + 1);
                waited += delay;
                await _retry.Delay(delay, ct).ConfigureAwait(false);
            }
            catch (AmazonServiceException e) when (IsAccessDenied(e))
            {
                throw new AccountAccessException(
                    AccountAccessError.AccessDenied,
                    $"sts:AssumeRole on {RoleArn} was denied {attempt} times over {waited.TotalSeconds:0} s "
                    + $"({e.ErrorCode}: {e.Message})",
                    e.ErrorCode,
                    e);
            }
        }
    }

    internal static bool IsAccessDenied(AmazonServiceException e) =>
        e.ErrorCode is "AccessDenied" or "AccessDeniedException";
}
