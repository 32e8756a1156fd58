namespace PipelineKit.Pipeline;

using Amazon.Runtime;
using PipelineKit.Aws;
using PipelineKit.Messages;

/// <summary>How long the follower's CodePipeline calls retry the errors <see cref="RetryingCodePipeline"/> knows to pass:
/// the wait between tries doubles from <see cref="Initial"/> up to <see cref="Max"/>; a busy pipeline is retried for
/// <see cref="BusyFor"/>, a run not readable yet for <see cref="NotFoundFor"/>.</summary>
public sealed record CodePipelineRetryPolicy(TimeSpan Initial, TimeSpan Max, TimeSpan BusyFor, TimeSpan NotFoundFor)
{
    /// <summary>A pipeline update takes seconds to a minute; a run of another upload can take many minutes to leave room.</summary>
    public static CodePipelineRetryPolicy Default { get; } = new(
        TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(30), TimeSpan.FromMinutes(10), TimeSpan.FromMinutes(1));
}

/// <summary>
/// <see cref="ICodePipeline"/> that retries the errors CodePipeline's API reference names for the calls the follower makes
/// and that pass by themselves, reporting each retry as a line. The SDK already retries throttling and 5xx; these are
/// 400s it does not retry:
/// StartPipelineExecution: ConflictException ("the pipeline is busy handling ongoing activities. Try again later", e.g.
/// while it is being updated) and ConcurrentPipelineExecutionsLimitExceededException; every try sends the same client
/// request token, so a retry never starts a second run.
/// GetPipelineExecution: PipelineExecutionNotFoundException, for a short while (a run just started may not be readable
/// yet). ListPipelineExecutions, GetPipelineState and PutApprovalResult document no such error (their errors are
/// validation, not-found and approval-state errors that do not pass by waiting); no CodePipeline call the kit makes
/// documents TokenAlreadyExistsException (a CloudFormation error).
/// https://docs.aws.amazon.com/codepipeline/latest/APIReference/API_StartPipelineExecution.html#API_StartPipelineExecution_Errors
/// </summary>
public sealed class RetryingCodePipeline(ICodePipeline inner, TimeProvider time, IKitMessages messages, CodePipelineRetryPolicy? policy = null)
    : ICodePipeline
{
    public const string Conflict = "ConflictException";
    public const string ConcurrentLimit = "ConcurrentPipelineExecutionsLimitExceededException";
    public const string ExecutionNotFound = "PipelineExecutionNotFoundException";

    private readonly CodePipelineRetryPolicy policy = policy ?? CodePipelineRetryPolicy.Default;

    /// <summary>True for the errors that mean "the pipeline is busy, try again later".</summary>
    public static bool IsBusy(string? errorCode) => errorCode is Conflict or ConcurrentLimit;

    public Task<PipelineState> GetPipelineStateAsync(string pipelineName, CancellationToken ct = default)
        => inner.GetPipelineStateAsync(pipelineName, ct);

    public Task<PipelineExecutionPage> ListPipelineExecutionsAsync(string pipelineName, int? maxResults = null, string? nextToken = null,
        CancellationToken ct = default)
        => inner.ListPipelineExecutionsAsync(pipelineName, maxResults, nextToken, ct);

    public Task<PipelineExecutionPage> ListPipelineExecutionsAsync(string pipelineName, string succeededInStage, int? maxResults = null,
        string? nextToken = null, CancellationToken ct = default)
        => inner.ListPipelineExecutionsAsync(pipelineName, succeededInStage, maxResults, nextToken, ct);

    /// <summary>A busy pipeline (ConflictException) rolled back nothing: the call is tried again, as a start is.</summary>
    public Task<string> RollbackStageAsync(string pipelineName, string stageName, string targetPipelineExecutionId, CancellationToken ct = default)
        => RetryAsync(pipelineName, "RollbackStage", token => inner.RollbackStageAsync(pipelineName, stageName, targetPipelineExecutionId, token),
            code => code == Conflict ? policy.BusyFor : null, ct);

    public Task<PipelineExecution> GetPipelineExecutionAsync(string pipelineName, string pipelineExecutionId, CancellationToken ct = default)
        => RetryAsync(pipelineName, "GetPipelineExecution", token => inner.GetPipelineExecutionAsync(pipelineName, pipelineExecutionId, token),
            code => code == ExecutionNotFound ? policy.NotFoundFor : null, ct);

    public Task<string> StartPipelineExecutionAsync(string pipelineName, string clientRequestToken, CancellationToken ct = default)
        => RetryAsync(pipelineName, "StartPipelineExecution", token => inner.StartPipelineExecutionAsync(pipelineName, clientRequestToken, token),
            code => IsBusy(code) ? policy.BusyFor : null, ct);

    public Task PutApprovalResultAsync(string pipelineName, string stageName, string actionName, string token, bool approved, string summary,
        CancellationToken ct = default)
        => inner.PutApprovalResultAsync(pipelineName, stageName, actionName, token, approved, summary, ct);

    /// <param name="retryFor">For an error code, how long after the first failure it is retried; null: not at all.</param>
    private async Task<T> RetryAsync<T>(string pipelineName, string operation, Func<CancellationToken, Task<T>> call,
        Func<string?, TimeSpan?> retryFor, CancellationToken ct)
    {
        DateTimeOffset? firstFailure = null;
        var wait = policy.Initial;
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await call(ct).ConfigureAwait(false);
            }
            catch (AmazonServiceException e) when (retryFor(e.ErrorCode) is { } window
                && time.GetUtcNow() + wait - (firstFailure ??= time.GetUtcNow()) <= window)
            {
                messages.Report(MessageCodes.PipelineRetrying,
                    $"Pipeline {pipelineName}: {operation} answered {e.ErrorCode} ({Meaning(e.ErrorCode)}); " +
                    $"trying again in {PipelineFollower.Duration(wait)} (try {attempt + 1}, for up to {PipelineFollower.Duration(window)}).");
            }

            await Task.Delay(wait, time, ct).ConfigureAwait(false);
            wait = wait * 2 > policy.Max ? policy.Max : wait * 2;
        }
    }

    private static string Meaning(string? code) => code switch
    {
        Conflict => "the pipeline is busy, e.g. being updated",
        ConcurrentLimit => "the pipeline has as many runs in progress as it allows",
        ExecutionNotFound => "a run that just started may not be readable yet",
        _ => "a passing error",
    };
}
