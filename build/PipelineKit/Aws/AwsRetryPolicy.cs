namespace PipelineKit.Aws;

using Amazon.Runtime;
using Amazon.Runtime.Internal;

/// <summary>One retry about to happen: the call, why the last attempt failed, the attempt that comes next of how many,
/// and the wait before it.</summary>
public sealed record AwsRetry(AwsCall Call, string ErrorCode, int Attempt, int MaxAttempts, TimeSpan Delay)
{
    public override string ToString() =>
        $"AWS {Call} failed ({ErrorCode}); retrying in {Delay.TotalSeconds:0.0} s (attempt {Attempt} of {MaxAttempts}).";
}

/// <summary>
/// The retry policy of every client <see cref="AwsClientFactory"/> makes, in place of the one the SDK put in the client's
/// RetryHandler. The SDK's policy still decides what is retryable (throttling, 5xx, transient network errors, S3's own
/// cases); this one adds the throttling the SDK misses (<see cref="AwsErrors.IsThrottling"/>), leaves out a quota the SDK
/// takes for throttling (<see cref="AwsErrors.IsQuotaExceeded"/>), gives each call its budget
/// (<see cref="AwsRetrySettings.MaxAttempts"/>), waits with capped, jittered exponential back-off in the settings' time,
/// and tells <c>onRetry</c> before each wait. Adaptive mode: the SDK's token bucket slows the client after throttling.
/// </summary>
internal sealed class AwsRetryPolicy : AdaptiveRetryPolicy
{
    private const string LastErrorKey = "PipelineKit.LastError";

    private readonly RetryPolicy sdkPolicy;
    private readonly AwsRetrySettings settings;
    private readonly string service;
    private readonly string region;
    private readonly Action<AwsRetry>? onRetry;

    public AwsRetryPolicy(IClientConfig config, RetryPolicy sdkPolicy, AwsRetrySettings settings, string service, string region, Action<AwsRetry>? onRetry)
        : base(config)
    {
        this.sdkPolicy = sdkPolicy;
        this.settings = settings;
        this.service = service;
        this.region = region;
        this.onRetry = onRetry;
        MaxRetries = settings.SafeAttempts - 1;
        TokenBucket = new ClockTokenBucket(settings.Time);
    }

    public override bool IsThrottlingError(Exception exception) => AwsErrors.IsThrottling(exception);

    public override bool RetryForException(IExecutionContext executionContext, Exception exception) =>
        !AwsErrors.IsQuotaExceeded(service, exception)
        && (IsThrottlingError(exception) || sdkPolicy.RetryForException(executionContext, exception));

    public override async Task<bool> RetryForExceptionAsync(IExecutionContext executionContext, Exception exception) =>
        !AwsErrors.IsQuotaExceeded(service, exception)
        && (IsThrottlingError(exception) || await sdkPolicy.RetryForExceptionAsync(executionContext, exception).ConfigureAwait(false));

    public override bool RetryLimitReached(IExecutionContext executionContext) =>
        executionContext.RequestContext.Retries + 1 >= MaxAttempts(executionContext);

    /// <summary>Every failed attempt: the token bucket learns of throttling, and the error is kept for the retry line.</summary>
    public override void NotifyError(IExecutionContext executionContext, Exception exception)
    {
        base.NotifyError(executionContext, exception);
        executionContext.RequestContext.ContextAttributes[LastErrorKey] = exception;
    }

    public override Task WaitBeforeRetryAsync(IExecutionContext executionContext) =>
        Task.Delay(Announce(executionContext), settings.Time, executionContext.RequestContext.CancellationToken);

    public override void WaitBeforeRetry(IExecutionContext executionContext) => WaitBeforeRetryAsync(executionContext).GetAwaiter().GetResult();

    private int MaxAttempts(IExecutionContext executionContext) => settings.MaxAttempts(service, executionContext.RequestContext.OriginalRequest);

    /// <summary>The wait before the next attempt, told to <c>onRetry</c>. The SDK counted the retry already.</summary>
    private TimeSpan Announce(IExecutionContext executionContext)
    {
        var context = executionContext.RequestContext;
        var error = context.ContextAttributes.TryGetValue(LastErrorKey, out var last) ? last as Exception : null;
        var delay = settings.Delay(context.Retries, error is not null && IsThrottlingError(error), Random.Shared.NextDouble());
        var call = new AwsCall(service, AwsClientFactory.OperationName(context.OriginalRequest), region);
        onRetry?.Invoke(new AwsRetry(call, error is null ? "an error" : AwsErrors.Code(error), context.Retries + 1, MaxAttempts(executionContext), delay));
        return delay;
    }

    /// <summary>The SDK's token bucket, on the settings' clock: it waits for send capacity in that time too.</summary>
    private sealed class ClockTokenBucket(TimeProvider time) : TokenBucket
    {
        // A field initializer: set before the base constructor, which reads the clock already.
        private readonly TimeProvider clock = time;

        protected override double GetTimestamp() => clock.GetUtcNow().ToUnixTimeMilliseconds() / 1000.0;

        protected override void WaitForToken(int delayMs) => WaitForTokenAsync(delayMs, CancellationToken.None).GetAwaiter().GetResult();

        /// <summary>AWSSDK.Core 4.0.102 refills the bucket before the first try only (unless AWS_NEW_RETRIES_2026 is set), so a
        /// wait for capacity never ends with capacity and the call fails with "insufficient capacity" after 15 waits: refill after
        /// each wait. The refill runs outside the SDK's private lock; a race costs a fraction of a token, not a call.</summary>
        protected override async Task WaitForTokenAsync(int delayMs, CancellationToken cancellationToken)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(delayMs), clock, cancellationToken).ConfigureAwait(false);
            TokenBucketRefill();
        }
    }
}
