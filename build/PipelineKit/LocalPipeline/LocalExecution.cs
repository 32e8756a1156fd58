namespace PipelineKit.LocalPipeline;

using PipelineKit.Aws;

/// <summary>
/// The state of one local execution as CodePipeline reports it (GetPipelineState, ListPipelineExecutions): its status, the
/// latest execution of every stage and action it reached, its source revisions. Written by <see cref="ExecutionRunner"/>,
/// read by the API of <see cref="LocalCodePipeline"/> from other threads; every member is guarded by one lock.
/// </summary>
public sealed class LocalExecution(string id, DateTimeOffset started, IReadOnlyList<SourceRevision> revisions)
{
    private readonly object gate = new();
    private readonly Dictionary<string, string> stages = new(StringComparer.Ordinal);
    private readonly Dictionary<(string Stage, string Action), ActionExecution> actions = [];
    private string status = PipelineExecutionStatus.InProgress;
    private string? summary;
    private DateTimeOffset updated = started;

    public string Id { get; } = id;

    public DateTimeOffset Started { get; } = started;

    public IReadOnlyList<SourceRevision> Revisions { get; } = revisions;

    public string Status
    {
        get
        {
            lock (gate) return status;
        }
    }

    public void Finish(string finalStatus, string? statusSummary, DateTimeOffset at)
    {
        lock (gate)
        {
            status = finalStatus;
            summary = statusSummary;
            updated = at;
        }
    }

    public void Stage(string stage, string stageStatus, DateTimeOffset at)
    {
        lock (gate)
        {
            stages[stage] = stageStatus;
            updated = at;
        }
    }

    public void Action(string stage, string action, ActionExecution execution)
    {
        lock (gate)
        {
            actions[(stage, action)] = execution;
            updated = execution.LastStatusChange ?? updated;
        }
    }

    /// <summary>The stage's status in this execution, null when it has not reached it.</summary>
    public string? StageStatus(string stage)
    {
        lock (gate) return stages.GetValueOrDefault(stage);
    }

    public ActionExecution? ActionState(string stage, string action)
    {
        lock (gate) return actions.GetValueOrDefault((stage, action));
    }

    public PipelineExecutionSummary Summary()
    {
        lock (gate) return new PipelineExecutionSummary(Id, status, Started, updated, Revisions, "StartPipelineExecution");
    }

    public PipelineExecution Describe(string pipelineName)
    {
        lock (gate)
        {
            return new PipelineExecution(pipelineName, Id, status, summary,
                Revisions.Select(r => new ArtifactRevision(r.ActionName, r.RevisionId, r.RevisionSummary)).ToArray());
        }
    }
}
