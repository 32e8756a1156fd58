namespace PipelineKit.Aws;

using Amazon.Runtime;
using Amazon.Runtime.Internal;

/// <summary>
/// Puts the kit's retries into a client's SDK pipeline, the way AWSSDK.S3 puts its own: the pipeline's RetryHandler is
/// replaced by one with <see cref="AwsRetryPolicy"/> (built around the policy the SDK chose, which keeps deciding what is
/// retryable). Inside it, every attempt is counted in the <see cref="AwsCallLog"/>; outside it, a 5xx that explains
/// nothing (an HTML page, an empty body) becomes <see cref="AwsErrors.Explained"/> once the retries are spent.
/// </summary>
internal static class AwsRetryPipeline
{
    public static void Install(RuntimePipeline pipeline, IClientConfig config, AwsRetrySettings settings, string service, string region,
        AwsCallLog callLog, Action<AwsRetry>? onRetry)
    {
        ArgumentNullException.ThrowIfNull(pipeline);
        var sdk = pipeline.Handlers.OfType<RetryHandler>().Single();
        pipeline.ReplaceHandler<RetryHandler>(new RetryHandler(new AwsRetryPolicy(config, sdk.RetryPolicy, settings, service, region, onRetry)));
        pipeline.AddHandlerAfter<RetryHandler>(new AttemptCounter(service, region, callLog));
        pipeline.AddHandlerBefore<RetryHandler>(new ServerErrorExplainer(service, region));
    }

    private static AwsCall Call(IExecutionContext context, string service, string region) =>
        new(service, AwsClientFactory.OperationName(context.RequestContext.OriginalRequest), region);

    /// <summary>Runs once per attempt (it sits inside the RetryHandler); the first attempt of a call is marked in its context.</summary>
    private sealed class AttemptCounter(string service, string region, AwsCallLog callLog) : PipelineHandler
    {
        private const string SentKey = "PipelineKit.Sent";

        public override void InvokeSync(IExecutionContext executionContext)
        {
            Count(executionContext);
            base.InvokeSync(executionContext);
        }

        public override Task<T> InvokeAsync<T>(IExecutionContext executionContext)
        {
            Count(executionContext);
            return base.InvokeAsync<T>(executionContext);
        }

        private void Count(IExecutionContext executionContext)
        {
            var attributes = executionContext.RequestContext.ContextAttributes;
            var retry = attributes.ContainsKey(SentKey);
            attributes[SentKey] = true;
            callLog.RecordAttempt(Call(executionContext, service, region), retry);
        }
    }

    private sealed class ServerErrorExplainer(string service, string region) : PipelineHandler
    {
        public override void InvokeSync(IExecutionContext executionContext)
        {
            try
            {
                base.InvokeSync(executionContext);
            }
            catch (AmazonServiceException e) when (AwsErrors.IsUnexplainedServerError(e))
            {
                throw AwsErrors.Explained(e, Call(executionContext, service, region));
            }
        }

        public override async Task<T> InvokeAsync<T>(IExecutionContext executionContext)
        {
            try
            {
                return await base.InvokeAsync<T>(executionContext).ConfigureAwait(false);
            }
            catch (AmazonServiceException e) when (AwsErrors.IsUnexplainedServerError(e))
            {
                throw AwsErrors.Explained(e, Call(executionContext, service, region));
            }
        }
    }
}
