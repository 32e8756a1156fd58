namespace PipelineKit.Testing;

using PipelineKit.Aws;

/// <summary>How a scripted run of a <see cref="FakeCodePipeline"/> ends early: stopped (a stop is requested
/// <see cref="After"/> its start; it is Stopping for <see cref="StoppingFor"/>, then Stopped) or cancelled (the pipeline's
/// definition was updated <see cref="After"/> its start).</summary>
internal sealed record FakeInterruption(TimeSpan After, bool Cancel, string? Reason, TimeSpan StoppingFor);

/// <summary>Where one run of a <see cref="FakeCodePipeline"/> is at a moment: the stages it entered with their actions,
/// and its status. Pure: computed from the run's start, the pipeline's stages and the scripted outcomes.</summary>
/// <param name="rollbackTo">For a RollbackStage run: the execution it rolls back to; it runs <paramref name="onlyStage"/> only.</param>
internal sealed class FakePipelineRun(
    string id, string? revision, DateTimeOffset start, string trigger, string approvalToken, int order,
    string? onlyStage = null, string? rollbackTo = null)
{
    public string? OnlyStage => onlyStage;

    public string? RollbackTo => rollbackTo;

    public bool IsRollback => rollbackTo is not null;

    public string Id => id;

    public string? Revision => revision;

    public DateTimeOffset Start => start;

    public string Trigger => trigger;

    public int Order => order;

    public FakeRunView View(DateTimeOffset now, FakeScript script)
    {
        var interruption = revision is null ? null : script.Interruptions.GetValueOrDefault(revision);
        var at = interruption is null ? now : Min(now, start + interruption.After);
        var view = Progress(at, script);
        if (interruption is null || now < start + interruption.After || view.Status != PipelineExecutionStatus.InProgress) return view;
        if (interruption.Cancel) return Interrupt(view, PipelineExecutionStatus.Cancelled, PipelineExecutionStatus.Abandoned, null);
        return now < start + interruption.After + interruption.StoppingFor
            ? Interrupt(view, PipelineExecutionStatus.Stopping, null, interruption.Reason)
            : Interrupt(view, PipelineExecutionStatus.Stopped, PipelineExecutionStatus.Abandoned, interruption.Reason);
    }

    private FakeRunView Progress(DateTimeOffset now, FakeScript script)
    {
        var left = now - start;
        var elapsed = TimeSpan.Zero;
        var entered = new Dictionary<string, (string, Dictionary<string, ActionExecution>)>(StringComparer.Ordinal);
        foreach (var stage in script.Stages.Where(s => onlyStage is null || s.Name == onlyStage))
        {
            if (revision is not null && script.SupersededAt.TryGetValue(revision, out var at) && at == stage.Name)
            {
                return new FakeRunView(PipelineExecutionStatus.Superseded, $"Superseded at {stage.Name} by a newer execution", entered);
            }

            var actions = new Dictionary<string, ActionExecution>(StringComparer.Ordinal);
            entered[stage.Name] = (PipelineExecutionStatus.InProgress, actions);
            foreach (var action in stage.Actions)
            {
                var actionId = $"{id}-{action}";
                var approval = script.Approvals.TryGetValue((stage.Name, action), out var wait);
                var decided = script.Decisions.TryGetValue((id, stage.Name, action), out var decision);
                var duration = decided ? decision.At - (start + elapsed) : approval ? wait : script.ActionDuration;
                if (left < duration)
                {
                    actions[action] = new ActionExecution(PipelineExecutionStatus.InProgress, actionId, Token: approval ? approvalToken : null);
                    return new FakeRunView(PipelineExecutionStatus.InProgress, null, entered);
                }

                left -= duration;
                elapsed += duration;
                if (decided && !decision.Approved)
                {
                    actions[action] = new ActionExecution(PipelineExecutionStatus.Failed, actionId, Summary: decision.Summary);
                    entered[stage.Name] = (PipelineExecutionStatus.Failed, actions);
                    return new FakeRunView(PipelineExecutionStatus.Failed, $"Stage {stage.Name} failed", entered);
                }

                if (script.Failures.TryGetValue((stage.Name, action), out var failure)
                    || (revision is not null && script.RevisionFailures.TryGetValue((revision, stage.Name, action), out failure)))
                {
                    actions[action] = new ActionExecution(PipelineExecutionStatus.Failed, actionId,
                        ErrorCode: failure.Code, ErrorMessage: failure.Message, ExternalExecutionUrl: $"https://console.example/{action}");
                    entered[stage.Name] = (PipelineExecutionStatus.Failed, actions);
                    return new FakeRunView(PipelineExecutionStatus.Failed, $"Stage {stage.Name} failed", entered);
                }

                actions[action] = new ActionExecution(PipelineExecutionStatus.Succeeded, actionId,
                    Summary: decided ? decision.Summary : approval ? "Approved" : null);
            }

            entered[stage.Name] = (PipelineExecutionStatus.Succeeded, actions);
        }

        return new FakeRunView(PipelineExecutionStatus.Succeeded, null, entered);
    }

    /// <summary>The run and the stage it is in take <paramref name="status"/>; with <paramref name="abandoned"/>, so do
    /// the actions still in progress (a stop that abandons them, or a cancellation).</summary>
    private static FakeRunView Interrupt(FakeRunView view, string status, string? abandoned, string? stopReason)
    {
        var stages = new Dictionary<string, (string Status, Dictionary<string, ActionExecution> Actions)>(view.Stages, StringComparer.Ordinal);
        foreach (var (name, stage) in view.Stages.Where(s => s.Value.Status == PipelineExecutionStatus.InProgress))
        {
            var actions = stage.Actions.ToDictionary(
                a => a.Key,
                a => abandoned is not null && a.Value.Status == PipelineExecutionStatus.InProgress ? a.Value with { Status = abandoned, Token = null } : a.Value,
                StringComparer.Ordinal);
            stages[name] = (status, actions);
        }

        return new FakeRunView(status, null, stages, stopReason);
    }

    private static DateTimeOffset Min(DateTimeOffset a, DateTimeOffset b) => a < b ? a : b;
}

/// <summary>A run at a moment: its status and summary, the stages it entered, and a stop's reason.</summary>
internal sealed record FakeRunView(
    string Status,
    string? Summary,
    Dictionary<string, (string Status, Dictionary<string, ActionExecution> Actions)> Stages,
    string? StopReason = null);

/// <summary>What a test scripted for a <see cref="FakeCodePipeline"/>'s runs.</summary>
internal sealed class FakeScript(IReadOnlyList<FakeStage> stages)
{
    public IReadOnlyList<FakeStage> Stages => stages;

    public TimeSpan ActionDuration { get; set; } = TimeSpan.FromSeconds(30);

    public Dictionary<(string Stage, string Action), (string Code, string Message)> Failures { get; } = [];

    /// <summary>Failures of the runs of one source revision only (a rollback to an earlier revision passes).</summary>
    public Dictionary<(string Revision, string Stage, string Action), (string Code, string Message)> RevisionFailures { get; } = [];

    public Dictionary<(string Stage, string Action), TimeSpan> Approvals { get; } = [];

    public Dictionary<string, string> SupersededAt { get; } = new(StringComparer.Ordinal);

    public Dictionary<string, FakeInterruption> Interruptions { get; } = new(StringComparer.Ordinal);

    public Dictionary<(string Execution, string Stage, string Action), (bool Approved, DateTimeOffset At, string Summary)> Decisions { get; } = [];
}
