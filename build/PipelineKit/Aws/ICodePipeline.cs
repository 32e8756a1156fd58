namespace PipelineKit.Aws;

/// <summary>
/// The CodePipeline operations the kit uses to follow a pipeline run, shaped like the official
/// AmazonCodePipelineClient's so that swapping it in later is mechanical. Names and fields follow the API reference:
/// https://docs.aws.amazon.com/codepipeline/latest/APIReference/API_Operations.html
/// </summary>
public interface ICodePipeline
{
    /// <summary>Every stage with its latest execution and its actions' latest executions.</summary>
    Task<PipelineState> GetPipelineStateAsync(string pipelineName, CancellationToken ct = default);

    /// <summary>One page of executions, the most recent first: at most <paramref name="maxResults"/> (1-100; CodePipeline's
    /// default is 100), after <paramref name="nextToken"/> (the previous page's <see cref="PipelineExecutionPage.NextToken"/>).</summary>
    Task<PipelineExecutionPage> ListPipelineExecutionsAsync(string pipelineName, int? maxResults = null, string? nextToken = null,
        CancellationToken ct = default);

    /// <summary>ListPipelineExecutions with its filter: only the executions that succeeded in <paramref name="succeededInStage"/>
    /// in the pipeline's current version, the most recent first (V2 pipelines).</summary>
    Task<PipelineExecutionPage> ListPipelineExecutionsAsync(string pipelineName, string succeededInStage, int? maxResults = null,
        string? nextToken = null, CancellationToken ct = default);

    /// <summary>RollbackStage: re-runs <paramref name="stageName"/> with the source revisions, artifacts and variables of
    /// <paramref name="targetPipelineExecutionId"/>, which must have succeeded in that stage and not be a rollback itself;
    /// returns the new (ROLLBACK) execution's id. Errors: StageNotFoundException, PipelineExecutionNotFoundException,
    /// UnableToRollbackStageException (the stage is running, the target did not succeed in it, or the pipeline changed since).
    /// https://docs.aws.amazon.com/codepipeline/latest/APIReference/API_RollbackStage.html</summary>
    Task<string> RollbackStageAsync(string pipelineName, string stageName, string targetPipelineExecutionId, CancellationToken ct = default);

    Task<PipelineExecution> GetPipelineExecutionAsync(string pipelineName, string pipelineExecutionId, CancellationToken ct = default);

    /// <summary>Starts a run on the latest source revision; returns its execution id. The same token within a few
    /// minutes returns the same execution instead of starting another.</summary>
    Task<string> StartPipelineExecutionAsync(string pipelineName, string clientRequestToken, CancellationToken ct = default);

    /// <summary>Approves or rejects the manual approval waiting with <paramref name="token"/> (its latest execution's token).</summary>
    Task PutApprovalResultAsync(string pipelineName, string stageName, string actionName, string token, bool approved, string summary,
        CancellationToken ct = default);
}

/// <summary>Execution statuses as CodePipeline spells them (pipeline, stage and action executions share most). For a
/// pipeline execution (API reference, PipelineExecution.status): Cancelled: the pipeline's definition was updated before
/// the execution could complete; Stopping: a stop was requested and in-progress actions finish or are abandoned;
/// Stopped: it was stopped (StopPipelineExecution or the console); Superseded: while it waited for the next stage, a
/// newer execution advanced instead.</summary>
public static class PipelineExecutionStatus
{
    public const string InProgress = "InProgress";
    public const string Stopping = "Stopping";
    public const string Stopped = "Stopped";
    public const string Succeeded = "Succeeded";
    public const string Superseded = "Superseded";
    public const string Failed = "Failed";
    public const string Cancelled = "Cancelled";
    public const string Abandoned = "Abandoned";

    /// <summary>True when the execution will not change any more.</summary>
    public static bool IsFinished(string status) =>
        status is Stopped or Succeeded or Superseded or Failed or Cancelled or Abandoned;
}

/// <summary>GetPipelineState's answer.</summary>
public sealed record PipelineState(string PipelineName, int? PipelineVersion, IReadOnlyList<StageState> Stages);

/// <summary>A stage: its latest execution (null before its first run) and its actions.</summary>
public sealed record StageState(string StageName, StageExecution? LatestExecution, IReadOnlyList<ActionState> Actions);

/// <summary>Status: Cancelled | InProgress | Failed | Stopped | Stopping | Succeeded (and Skipped for V2 conditions).</summary>
public sealed record StageExecution(string PipelineExecutionId, string Status);

public sealed record ActionState(string ActionName, ActionExecution? LatestExecution, string? EntityUrl);

/// <summary>An action's latest execution. A manual approval waits as InProgress with a <see cref="Token"/>.
/// Status: InProgress | Abandoned | Succeeded | Failed.</summary>
public sealed record ActionExecution(
    string Status,
    string? ActionExecutionId = null,
    string? Summary = null,
    string? ExternalExecutionUrl = null,
    string? Token = null,
    string? ErrorCode = null,
    string? ErrorMessage = null,
    DateTimeOffset? LastStatusChange = null);

/// <summary>One page of ListPipelineExecutions; <see cref="NextToken"/> is null on the last page.</summary>
public sealed record PipelineExecutionPage(IReadOnlyList<PipelineExecutionSummary> Executions, string? NextToken);

/// <summary>One entry of ListPipelineExecutions. <see cref="StopReason"/> is stopTrigger.reason: the reason given to
/// StopPipelineExecution (the API gives it only here, not in GetPipelineExecution). <see cref="ExecutionType"/>:
/// STANDARD or ROLLBACK; a rollback's <see cref="RollbackTargetExecutionId"/> is the execution it rolled back to.</summary>
public sealed record PipelineExecutionSummary(
    string PipelineExecutionId,
    string Status,
    DateTimeOffset? StartTime,
    DateTimeOffset? LastUpdateTime,
    IReadOnlyList<SourceRevision> SourceRevisions,
    string? TriggerType = null,
    string? StopReason = null,
    string? ExecutionType = null,
    string? RollbackTargetExecutionId = null)
{
    public const string Rollback = "ROLLBACK";

    public bool IsRollback => ExecutionType == Rollback;
}

/// <summary>For an S3 source action the revision id is the object's version id.</summary>
public sealed record SourceRevision(string ActionName, string? RevisionId, string? RevisionSummary, string? RevisionUrl);

/// <summary>GetPipelineExecution's answer.</summary>
public sealed record PipelineExecution(
    string PipelineName,
    string PipelineExecutionId,
    string Status,
    string? StatusSummary,
    IReadOnlyList<ArtifactRevision> ArtifactRevisions);

public sealed record ArtifactRevision(string Name, string? RevisionId, string? RevisionSummary);
