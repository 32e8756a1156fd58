namespace PipelineKit.Aws;

using Amazon.Runtime;

/// <summary>
/// How the kit's AWS clients retry (see <see cref="AwsRetryPolicy"/>): how many attempts a call gets, and how long to
/// wait between them. Calls that are safe to repeat (reads, and mutations that carry an idempotency token or are
/// idempotent themselves) get <see cref="SafeAttempts"/>; other mutations the SDK's standard
/// <see cref="StandardAttempts"/>. The wait before retry n is a random part ("full jitter") of
/// min(<see cref="MaxDelay"/>, base x 2^(n-1)), the base being longer after throttling.
/// https://docs.aws.amazon.com/sdkref/latest/guide/feature-retry-behavior.html
/// </summary>
public sealed record AwsRetrySettings(
    int SafeAttempts,
    int StandardAttempts,
    TimeSpan BaseDelay,
    TimeSpan ThrottleBaseDelay,
    TimeSpan MaxDelay,
    TimeProvider Time)
{
    /// <summary>Mutations a retry cannot do twice: the service matches the token (or the same object is written again).</summary>
    private static readonly (string Service, string Operation, string? Token)[] SafeMutations =
    [
        (AwsServiceIds.CloudFormation, "CreateChangeSet", "ClientToken"),
        (AwsServiceIds.CloudFormation, "ExecuteChangeSet", "ClientRequestToken"),
        (AwsServiceIds.CloudFormation, "DeleteStack", "ClientRequestToken"),
        (AwsServiceIds.CodePipeline, "StartPipelineExecution", "clientRequestToken"),
        (AwsServiceIds.S3, "PutObject", null),
    ];

    /// <summary>Calls that change nothing but start work: each call starts another drift detection. The SDK's budget, as
    /// for mutations; an endpoint that does not offer drift detection (the emulator answers HTTP 500) is asked 3 times, not 8.</summary>
    private static readonly (string Service, string Operation)[] StartWork = [(AwsServiceIds.CloudFormation, "DetectStackDrift")];

    /// <summary>8 attempts for safe calls, the SDK's 3 for the others; waits from 100 ms (1 s after throttling) up to 20 s,
    /// the SDK's own cap.</summary>
    public static AwsRetrySettings Default { get; } = new(
        8, 3, TimeSpan.FromMilliseconds(100), TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(20), TimeProvider.System);

    /// <summary>Attempts, the first included, for <paramref name="request"/> of <paramref name="service"/>.</summary>
    public int MaxAttempts(string service, AmazonWebServiceRequest? request) =>
        IsSafeToRepeat(service, request) ? SafeAttempts : StandardAttempts;

    /// <summary>The wait before retry <paramref name="retry"/> (1 for the second attempt); <paramref name="jitter"/> in [0, 1).</summary>
    public TimeSpan Delay(int retry, bool throttled, double jitter)
    {
        var baseDelay = throttled ? ThrottleBaseDelay : BaseDelay;
        var ceiling = Math.Min(MaxDelay.TotalMilliseconds, baseDelay.TotalMilliseconds * Math.Pow(2, Math.Max(0, retry - 1)));
        return TimeSpan.FromMilliseconds(Math.Round(jitter * ceiling));
    }

    internal static bool IsSafeToRepeat(string service, AmazonWebServiceRequest? request)
    {
        var operation = AwsClientFactory.OperationName(request);
        if (StartWork.Contains((service, operation))) return false;
        if (!AwsCallLog.IsMutating(service, operation)) return true;
        var safe = SafeMutations.FirstOrDefault(m => m.Service == service && m.Operation == operation);
        if (safe.Service is null) return false;
        return safe.Token is null
               || (RequestParameters.From(request, null).TryGetValue(safe.Token, out var token) && token.Length > 0);
    }
}
