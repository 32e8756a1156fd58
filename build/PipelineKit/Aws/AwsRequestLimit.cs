namespace PipelineKit.Aws;

using Amazon.Runtime;
using Amazon.Runtime.Internal;

/// <summary>
/// The most requests a factory's clients have on the wire at once, every service, account and region together. Each client
/// (one per credentials, region and service, so per account-region) already paces itself with the SDK's adaptive token
/// bucket and backs off on throttling (<see cref="AwsRetryPolicy"/>); this bound keeps the sum in check when hundreds of
/// accounts' stacks are in flight, so the kit's total request rate, polls included, is capped by it and not by the number
/// of stacks. A slot is held for one attempt only: a retry's back-off waits outside it.
/// </summary>
public sealed class AwsRequestLimit
{
    /// <summary>Twice <c>--parallelism</c>'s default of 16 stacks (a stack has one call on the wire at a time), so a default
    /// run never fills it; with <c>--parallelism 64</c> (the most allowed) it is what bounds the request rate.</summary>
    public const int DefaultMaxInFlight = 32;

    private readonly SemaphoreSlim slots;
    private int inFlight;
    private int peak;

    public AwsRequestLimit(int maxInFlight = DefaultMaxInFlight)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxInFlight, 1);
        MaxInFlight = maxInFlight;
        slots = new SemaphoreSlim(maxInFlight, maxInFlight);
    }

    public int MaxInFlight { get; }

    /// <summary>The most requests that were on the wire at once so far.</summary>
    public int Peak => Volatile.Read(ref peak);

    /// <summary>Just inside the signer: a request's credentials are fetched (an assumed role refreshed through STS, itself a
    /// request) before it takes a slot, never while holding one; each attempt the retry handler makes takes its own.</summary>
    internal void Install(RuntimePipeline pipeline) => pipeline.AddHandlerAfter<Signer>(new Handler(this));

    private void Entered()
    {
        var now = Interlocked.Increment(ref inFlight);
        int seen;
        while (now > (seen = Volatile.Read(ref peak)) && Interlocked.CompareExchange(ref peak, now, seen) != seen)
        {
        }
    }

    private void Left()
    {
        Interlocked.Decrement(ref inFlight);
        slots.Release();
    }

    private sealed class Handler(AwsRequestLimit limit) : PipelineHandler
    {
        public override void InvokeSync(IExecutionContext executionContext)
        {
            limit.slots.Wait(executionContext.RequestContext.CancellationToken);
            limit.Entered();
            try
            {
                base.InvokeSync(executionContext);
            }
            finally
            {
                limit.Left();
            }
        }

        public override async Task<T> InvokeAsync<T>(IExecutionContext executionContext)
        {
            await limit.slots.WaitAsync(executionContext.RequestContext.CancellationToken).ConfigureAwait(false);
            limit.Entered();
            try
            {
                return await base.InvokeAsync<T>(executionContext).ConfigureAwait(false);
            }
            finally
            {
                limit.Left();
            }
        }
    }
}
