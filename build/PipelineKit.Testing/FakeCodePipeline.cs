namespace PipelineKit.Testing;

using System.Net;
using Amazon.Runtime;
using PipelineKit.Aws;

/// <summary>One stage of a <see cref="FakeCodePipeline"/>: its actions run one after another.</summary>
public sealed record FakeStage(string Name, params string[] Actions);

/// <summary>
/// An in-memory <see cref="ICodePipeline"/> for one pipeline whose runs advance with the clock. Behaviour:
/// FakeCodePipeline.md; its own tests: FakeCodePipelineTests.
/// </summary>
public sealed class FakeCodePipeline(TimeProvider time, string pipelineName, params FakeStage[] stages) : ICodePipeline
{
    private readonly object gate = new();
    private readonly List<Execution> executions = [];
    private readonly Dictionary<(string Stage, string Action), (string Code, string Message)> failures = [];
    private readonly Dictionary<(string Stage, string Action), TimeSpan> approvals = [];
    private readonly Dictionary<string, string> supersededAt = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> startedByToken = new(StringComparer.Ordinal);
    private readonly List<string> calls = [];
    private readonly Dictionary<(string Execution, string Stage, string Action), (bool Approved, DateTimeOffset At, string Summary)> decisions = [];

    /// <summary>How long each action takes (an approval action: as long as <see cref="ApproveAfter"/> says).</summary>
    public TimeSpan ActionDuration { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>The newest object version of the source key: what a started execution takes.</summary>
    public string? LatestSourceRevision { get; private set; }

    public IReadOnlyList<string> Calls { get { lock (gate) return calls.ToArray(); } }

    public string PipelineName => pipelineName;

    /// <summary>A new source version. With <paramref name="detectedAfter"/>, an execution of it starts that long from
    /// now (the S3 source's poll); without, no run picks it up until one is started.</summary>
    public void SourceChanged(string revisionId, TimeSpan? detectedAfter)
    {
        lock (gate)
        {
            LatestSourceRevision = revisionId;
            if (detectedAfter is { } delay)
            {
                executions.Add(new Execution($"exec-{executions.Count + 1}", revisionId, time.GetUtcNow() + delay, "PollForSourceChanges"));
            }
        }
    }

    /// <summary>Every run fails at this action with this error (errorDetails code and message).</summary>
    public void FailAction(string stage, string action, string code, string message)
    {
        lock (gate) failures[(stage, action)] = (code, message);
    }

    /// <summary>This action is a manual approval: InProgress with a token for <paramref name="wait"/>, then approved.</summary>
    public void ApproveAfter(string stage, string action, TimeSpan wait)
    {
        lock (gate) approvals[(stage, action)] = wait;
    }

    /// <summary>The run of this source revision is superseded when it would enter <paramref name="stage"/>.</summary>
    public void Supersede(string revisionId, string stage)
    {
        lock (gate) supersededAt[revisionId] = stage;
    }

    public Task<PipelineState> GetPipelineStateAsync(string name, CancellationToken ct = default)
    {
        lock (gate)
        {
            Record("GetPipelineState", name);
            var now = time.GetUtcNow();
            var views = Started(now).OrderBy(e => e.Start).Select(e => (Execution: e, View: View(e, now))).ToList();
            var stageStates = stages.Select(stage =>
            {
                var latest = views.LastOrDefault(v => v.View.Stages.ContainsKey(stage.Name));
                if (latest.Execution is null)
                {
                    return new StageState(stage.Name, null, stage.Actions.Select(a => new ActionState(a, null, null)).ToArray());
                }

                var (status, actions) = latest.View.Stages[stage.Name];
                return new StageState(
                    stage.Name,
                    new StageExecution(latest.Execution.Id, status),
                    stage.Actions.Select(a => new ActionState(a, actions.GetValueOrDefault(a), null)).ToArray());
            }).ToArray();
            return Task.FromResult(new PipelineState(pipelineName, 1, stageStates));
        }
    }

    public Task<IReadOnlyList<PipelineExecutionSummary>> ListPipelineExecutionsAsync(string name, int maxResults, CancellationToken ct = default)
    {
        lock (gate)
        {
            Record("ListPipelineExecutions", name);
            var now = time.GetUtcNow();
            IReadOnlyList<PipelineExecutionSummary> summaries = Started(now)
                .OrderByDescending(e => e.Start)
                .Take(maxResults)
                .Select(e => new PipelineExecutionSummary(
                    e.Id, View(e, now).Status, e.Start, now,
                    e.Revision is null ? [] : [new SourceRevision("Source", e.Revision, null, null)],
                    e.Trigger))
                .ToArray();
            return Task.FromResult(summaries);
        }
    }

    public Task<PipelineExecution> GetPipelineExecutionAsync(string name, string pipelineExecutionId, CancellationToken ct = default)
    {
        lock (gate)
        {
            Record("GetPipelineExecution", name);
            var now = time.GetUtcNow();
            var execution = Started(now).FirstOrDefault(e => e.Id == pipelineExecutionId)
                ?? throw Error("PipelineExecutionNotFoundException",
                    $"Pipeline execution {pipelineExecutionId} does not exist in pipeline {pipelineName}");
            var view = View(execution, now);
            return Task.FromResult(new PipelineExecution(pipelineName, execution.Id, view.Status, view.Summary,
                execution.Revision is null ? [] : [new ArtifactRevision("Source", execution.Revision, null)]));
        }
    }

    public Task<string> StartPipelineExecutionAsync(string name, string clientRequestToken, CancellationToken ct = default)
    {
        lock (gate)
        {
            Record("StartPipelineExecution", name);
            if (!startedByToken.TryGetValue(clientRequestToken, out var id))
            {
                id = $"exec-{executions.Count + 1}";
                executions.Add(new Execution(id, LatestSourceRevision, time.GetUtcNow(), "StartPipelineExecution"));
                startedByToken[clientRequestToken] = id;
            }

            return Task.FromResult(id);
        }
    }

    public Task PutApprovalResultAsync(string name, string stageName, string actionName, string token, bool approved, string summary,
        CancellationToken ct = default)
    {
        lock (gate)
        {
            Record("PutApprovalResult", name);
            var now = time.GetUtcNow();
            var waiting = Started(now)
                .Select(e => (Execution: e, View: View(e, now)))
                .Where(v => v.View.Stages.TryGetValue(stageName, out var stage) && stage.Actions.TryGetValue(actionName, out var a)
                            && a.Status == PipelineExecutionStatus.InProgress && a.Token is not null)
                .ToList();
            if (!approvals.ContainsKey((stageName, actionName)) || waiting.Count == 0)
            {
                throw Error("ApprovalAlreadyCompletedException", $"The approval action {actionName} in stage {stageName} is not waiting for a result.");
            }

            var match = waiting.FirstOrDefault(v => v.View.Stages[stageName].Actions[actionName].Token == token);
            if (match.Execution is null)
            {
                throw Error("InvalidApprovalTokenException", $"The token {token} is not the token of the waiting approval {actionName}.");
            }

            decisions[(match.Execution.Id, stageName, actionName)] = (approved, now, summary);
            return Task.CompletedTask;
        }
    }

    private void Record(string operation, string name)
    {
        calls.Add(operation);
        if (name != pipelineName)
        {
            throw Error("PipelineNotFoundException", $"Account '123456789012' does not have a pipeline with name '{name}'");
        }
    }

    private IEnumerable<Execution> Started(DateTimeOffset now) => executions.Where(e => e.Start <= now);

    /// <summary>Where a run is at <paramref name="now"/>: stages it entered with their actions, and its status.</summary>
    private RunView View(Execution execution, DateTimeOffset now)
    {
        var left = now - execution.Start;
        var elapsed = TimeSpan.Zero;
        var entered = new Dictionary<string, (string, Dictionary<string, ActionExecution>)>(StringComparer.Ordinal);
        foreach (var stage in stages)
        {
            if (execution.Revision is { } revision && supersededAt.TryGetValue(revision, out var at) && at == stage.Name)
            {
                return new RunView(PipelineExecutionStatus.Superseded, $"Superseded at {stage.Name} by a newer execution", entered);
            }

            var actions = new Dictionary<string, ActionExecution>(StringComparer.Ordinal);
            entered[stage.Name] = (PipelineExecutionStatus.InProgress, actions);
            foreach (var action in stage.Actions)
            {
                var approval = approvals.TryGetValue((stage.Name, action), out var wait);
                var decided = decisions.TryGetValue((execution.Id, stage.Name, action), out var decision);
                var duration = decided ? decision.At - (execution.Start + elapsed) : approval ? wait : ActionDuration;
                if (left < duration)
                {
                    actions[action] = new ActionExecution(PipelineExecutionStatus.InProgress, $"{execution.Id}-{action}",
                        Token: approval ? $"token-{execution.Id}" : null);
                    return new RunView(PipelineExecutionStatus.InProgress, null, entered);
                }

                left -= duration;
                elapsed += duration;
                if (decided && !decision.Approved)
                {
                    actions[action] = new ActionExecution(PipelineExecutionStatus.Failed, $"{execution.Id}-{action}", Summary: decision.Summary);
                    entered[stage.Name] = (PipelineExecutionStatus.Failed, actions);
                    return new RunView(PipelineExecutionStatus.Failed, $"Stage {stage.Name} failed", entered);
                }

                if (failures.TryGetValue((stage.Name, action), out var failure))
                {
                    actions[action] = new ActionExecution(PipelineExecutionStatus.Failed, $"{execution.Id}-{action}",
                        ErrorCode: failure.Code, ErrorMessage: failure.Message, ExternalExecutionUrl: $"https://console.example/{action}");
                    entered[stage.Name] = (PipelineExecutionStatus.Failed, actions);
                    return new RunView(PipelineExecutionStatus.Failed, $"Stage {stage.Name} failed", entered);
                }

                actions[action] = new ActionExecution(PipelineExecutionStatus.Succeeded, $"{execution.Id}-{action}",
                    Summary: decided ? decision.Summary : approval ? "Approved" : null);
            }

            entered[stage.Name] = (PipelineExecutionStatus.Succeeded, actions);
        }

        return new RunView(PipelineExecutionStatus.Succeeded, null, entered);
    }

    private static AmazonCodePipelineException Error(string code, string message) =>
        new(message, null, ErrorType.Sender, code, "fake-request", HttpStatusCode.BadRequest);

    private sealed record Execution(string Id, string? Revision, DateTimeOffset Start, string Trigger);

    private sealed record RunView(
        string Status, string? Summary, Dictionary<string, (string Status, Dictionary<string, ActionExecution> Actions)> Stages);
}
