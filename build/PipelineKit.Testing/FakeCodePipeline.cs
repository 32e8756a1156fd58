namespace PipelineKit.Testing;

using System.Net;
using System.Text;
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
    /// <summary>The API reference's messages for the errors a test can script with <see cref="FailNext"/>.</summary>
    private static readonly Dictionary<string, string> Messages = new(StringComparer.Ordinal)
    {
        ["ConflictException"] = "Your request cannot be handled because the pipeline is busy handling ongoing activities. Try again later.",
        ["ConcurrentPipelineExecutionsLimitExceededException"] = "The pipeline has reached the limit for concurrent pipeline executions.",
        ["ThrottlingException"] = "Rate exceeded",
    };

    private readonly object gate = new();
    private readonly List<FakePipelineRun> executions = [];
    private readonly FakeScript script = new(stages);
    private readonly Dictionary<string, string> startedByToken = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Queue<string>> failNext = new(StringComparer.Ordinal);
    private readonly List<string> calls = [];
    private readonly List<string> startTokens = [];

    /// <summary>How long each action takes (an approval action: as long as <see cref="ApproveAfter"/> says).</summary>
    public TimeSpan ActionDuration { get => script.ActionDuration; set => script.ActionDuration = value; }

    /// <summary>How long after StartPipelineExecution the new run is still unknown to GetPipelineExecution
    /// (CodePipeline's reads are eventually consistent).</summary>
    public TimeSpan StartedRunReadLag { get; set; } = TimeSpan.Zero;

    /// <summary>The newest object version of the source key: what a started execution takes.</summary>
    public string? LatestSourceRevision { get; private set; }

    public IReadOnlyList<string> Calls { get { lock (gate) return calls.ToArray(); } }

    /// <summary>The clientRequestToken of every StartPipelineExecution call, failed ones too, in order.</summary>
    public IReadOnlyList<string> StartRequestTokens { get { lock (gate) return startTokens.ToArray(); } }

    /// <summary>Every run's id (a UUID, as CodePipeline's), in the order the runs were created.</summary>
    public IReadOnlyList<string> ExecutionIds { get { lock (gate) return executions.Select(e => e.Id).ToArray(); } }

    public string PipelineName => pipelineName;

    /// <summary>The id of the first run of <paramref name="revisionId"/>.</summary>
    public string ExecutionOf(string revisionId)
    {
        lock (gate) return executions.First(e => e.Revision == revisionId).Id;
    }

    /// <summary>A new source version. With <paramref name="detectedAfter"/>, an execution of it starts that long from
    /// now (the S3 source's poll); without, no run picks it up until one is started.</summary>
    public void SourceChanged(string revisionId, TimeSpan? detectedAfter)
    {
        lock (gate)
        {
            LatestSourceRevision = revisionId;
            if (detectedAfter is { } delay) Add(revisionId, time.GetUtcNow() + delay, "PollForSourceChanges");
        }
    }

    /// <summary>Every run fails at this action with this error (errorDetails code and message).</summary>
    public void FailAction(string stage, string action, string code, string message)
    {
        lock (gate) script.Failures[(stage, action)] = (code, message);
    }

    /// <summary>The runs of <paramref name="revisionId"/> only fail at this action with this error (a bad version).</summary>
    public void FailAction(string stage, string action, string code, string message, string revisionId)
    {
        lock (gate) script.RevisionFailures[(revisionId, stage, action)] = (code, message);
    }

    /// <summary>This action is a manual approval: InProgress with a token for <paramref name="wait"/>, then approved.</summary>
    public void ApproveAfter(string stage, string action, TimeSpan wait)
    {
        lock (gate) script.Approvals[(stage, action)] = wait;
    }

    /// <summary>The run of this source revision is superseded when it would enter <paramref name="stage"/>.</summary>
    public void Supersede(string revisionId, string stage)
    {
        lock (gate) script.SupersededAt[revisionId] = stage;
    }

    /// <summary>Someone stops the run of this revision <paramref name="after"/> its start, with <paramref name="reason"/>:
    /// it is Stopping for <paramref name="stoppingFor"/>, then Stopped with its in-progress actions Abandoned.</summary>
    public void Stop(string revisionId, TimeSpan after, string? reason, TimeSpan stoppingFor)
    {
        lock (gate) script.Interruptions[revisionId] = new FakeInterruption(after, Cancel: false, reason, stoppingFor);
    }

    /// <summary>The pipeline's definition is updated <paramref name="after"/> the run of this revision starts: the run and
    /// its current stage are Cancelled, its in-progress actions Abandoned.</summary>
    public void UpdateDefinition(string revisionId, TimeSpan after)
    {
        lock (gate) script.Interruptions[revisionId] = new FakeInterruption(after, Cancel: true, null, TimeSpan.Zero);
    }

    /// <summary>The next <paramref name="times"/> calls of <paramref name="operation"/> fail with <paramref name="code"/>
    /// (HTTP 400) and do nothing else.</summary>
    public void FailNext(string operation, string code, int times = 1)
    {
        lock (gate)
        {
            if (!failNext.TryGetValue(operation, out var queue)) failNext[operation] = queue = new Queue<string>();
            for (var i = 0; i < times; i++) queue.Enqueue(code);
        }
    }

    public Task<PipelineState> GetPipelineStateAsync(string name, CancellationToken ct = default)
    {
        lock (gate)
        {
            Record("GetPipelineState", name);
            var now = time.GetUtcNow();
            var views = Started(now).OrderBy(e => e.Start).ThenBy(e => e.Order).Select(e => (Execution: e, View: e.View(now, script))).ToList();
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

    public Task<PipelineExecutionPage> ListPipelineExecutionsAsync(string name, int? maxResults = null, string? nextToken = null,
        CancellationToken ct = default)
    {
        lock (gate)
        {
            Record("ListPipelineExecutions", name);
            if (maxResults is < 1 or > 100)
            {
                throw Error("ValidationException", $"1 validation error detected: Value '{maxResults}' at 'maxResults' failed to satisfy constraint: " +
                    "Member must have value less than or equal to 100");
            }

            var now = time.GetUtcNow();
            var newestFirst = Started(now).OrderByDescending(e => e.Start).ThenByDescending(e => e.Order).ToList();
            var from = 0;
            if (nextToken is not null)
            {
                from = newestFirst.FindIndex(e => Token(e.Id) == nextToken);
                if (from < 0) throw Error("InvalidNextTokenException", "The next token was specified in an invalid format. Make sure that the next token you provide is the token returned by a previous call.");
            }

            return Task.FromResult(Page(newestFirst, from, maxResults, now));
        }
    }

    public Task<PipelineExecutionPage> ListPipelineExecutionsAsync(string name, string succeededInStage, int? maxResults = null,
        string? nextToken = null, CancellationToken ct = default)
    {
        lock (gate)
        {
            Record("ListPipelineExecutions", name);
            var now = time.GetUtcNow();
            var succeeded = Started(now).OrderByDescending(e => e.Start).ThenByDescending(e => e.Order)
                .Where(e => e.View(now, script).Stages.TryGetValue(succeededInStage, out var stage) && stage.Status == PipelineExecutionStatus.Succeeded)
                .ToList();
            var from = nextToken is null ? 0 : succeeded.FindIndex(e => Token(e.Id) == nextToken);
            if (from < 0) throw Error("InvalidNextTokenException", "The next token was specified in an invalid format. Make sure that the next token you provide is the token returned by a previous call.");
            return Task.FromResult(Page(succeeded, from, maxResults, now));
        }
    }

    /// <summary>RollbackStage as the API reference and the user guide's "Considerations for rollbacks" describe it: not the
    /// first (source) stage, not while the stage runs, only to an execution that succeeded in that stage and is no rollback
    /// itself. The new run (trigger RollbackStage, type ROLLBACK) takes the target's source revision and runs that stage only.</summary>
    public Task<string> RollbackStageAsync(string name, string stageName, string targetPipelineExecutionId, CancellationToken ct = default)
    {
        lock (gate)
        {
            Record("RollbackStage", name);
            var now = time.GetUtcNow();
            var index = Array.FindIndex(stages, s => s.Name == stageName);
            if (index < 0) throw Error("StageNotFoundException", $"Stage {stageName} does not exist in pipeline {pipelineName}");
            if (index == 0) throw Error("UnableToRollbackStageException", $"Stage {stageName} is a source stage and cannot be rolled back.");
            var runs = Started(now).Select(e => (Execution: e, View: e.View(now, script))).ToList();
            if (runs.Any(r => r.View.Stages.TryGetValue(stageName, out var s) && s.Status is PipelineExecutionStatus.InProgress or PipelineExecutionStatus.Stopping))
            {
                throw Error("UnableToRollbackStageException", $"Stage {stageName} is currently running and cannot be rolled back.");
            }

            var target = runs.FirstOrDefault(r => r.Execution.Id == targetPipelineExecutionId);
            if (target.Execution is null)
            {
                throw Error("PipelineExecutionNotFoundException", $"Pipeline execution {targetPipelineExecutionId} does not exist in pipeline {pipelineName}");
            }

            if (target.Execution.IsRollback || !(target.View.Stages.TryGetValue(stageName, out var stage) && stage.Status == PipelineExecutionStatus.Succeeded))
            {
                throw Error("UnableToRollbackStageException",
                    $"Pipeline execution {targetPipelineExecutionId} did not succeed in stage {stageName}, or is a rollback itself; it cannot be a rollback target.");
            }

            var run = new FakePipelineRun(Guid.NewGuid().ToString(), target.Execution.Revision, now, "RollbackStage", Guid.NewGuid().ToString(),
                executions.Count, stageName, targetPipelineExecutionId);
            executions.Add(run);
            return Task.FromResult(run.Id);
        }
    }

    private PipelineExecutionPage Page(List<FakePipelineRun> newestFirst, int from, int? maxResults, DateTimeOffset now)
    {
        var page = newestFirst.Skip(from).Take(maxResults ?? 100).ToList();
        var more = from + page.Count < newestFirst.Count ? Token(newestFirst[from + page.Count].Id) : null;
        return new PipelineExecutionPage(page.Select(e =>
        {
            var view = e.View(now, script);
            return new PipelineExecutionSummary(e.Id, view.Status, e.Start, now,
                e.Revision is null ? [] : [new SourceRevision("Source", e.Revision, null, null)], e.Trigger, view.StopReason,
                e.IsRollback ? PipelineExecutionSummary.Rollback : "STANDARD", e.RollbackTo);
        }).ToArray(), more);
    }

    public Task<PipelineExecution> GetPipelineExecutionAsync(string name, string pipelineExecutionId, CancellationToken ct = default)
    {
        lock (gate)
        {
            Record("GetPipelineExecution", name);
            var now = time.GetUtcNow();
            var execution = Started(now).FirstOrDefault(e => e.Id == pipelineExecutionId);
            if (execution is null || (execution.Trigger == "StartPipelineExecution" && now < execution.Start + StartedRunReadLag))
            {
                throw Error("PipelineExecutionNotFoundException",
                    $"Pipeline execution {pipelineExecutionId} does not exist in pipeline {pipelineName}");
            }

            var view = execution.View(now, script);
            return Task.FromResult(new PipelineExecution(pipelineName, execution.Id, view.Status, view.Summary,
                execution.Revision is null ? [] : [new ArtifactRevision("Source", execution.Revision, null)]));
        }
    }

    public Task<string> StartPipelineExecutionAsync(string name, string clientRequestToken, CancellationToken ct = default)
    {
        lock (gate)
        {
            startTokens.Add(clientRequestToken);
            Record("StartPipelineExecution", name);
            if (!startedByToken.TryGetValue(clientRequestToken, out var id))
            {
                id = Add(LatestSourceRevision, time.GetUtcNow(), "StartPipelineExecution");
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
                .Select(e => (Execution: e, View: e.View(now, script)))
                .Where(v => v.View.Stages.TryGetValue(stageName, out var stage) && stage.Actions.TryGetValue(actionName, out var a)
                            && a.Status == PipelineExecutionStatus.InProgress && a.Token is not null)
                .ToList();
            if (!script.Approvals.ContainsKey((stageName, actionName)) || waiting.Count == 0)
            {
                throw Error("ApprovalAlreadyCompletedException", $"The approval action {actionName} in stage {stageName} is not waiting for a result.");
            }

            var match = waiting.FirstOrDefault(v => v.View.Stages[stageName].Actions[actionName].Token == token);
            if (match.Execution is null)
            {
                throw Error("InvalidApprovalTokenException", $"The token {token} is not the token of the waiting approval {actionName}.");
            }

            script.Decisions[(match.Execution.Id, stageName, actionName)] = (approved, now, summary);
            return Task.CompletedTask;
        }
    }

    private string Add(string? revision, DateTimeOffset start, string trigger)
    {
        var run = new FakePipelineRun(Guid.NewGuid().ToString(), revision, start, trigger, Guid.NewGuid().ToString(), executions.Count);
        executions.Add(run);
        return run.Id;
    }

    private void Record(string operation, string name)
    {
        calls.Add(operation);
        if (name != pipelineName)
        {
            throw Error("PipelineNotFoundException", $"Account '123456789012' does not have a pipeline with name '{name}'");
        }

        if (failNext.TryGetValue(operation, out var queue) && queue.TryDequeue(out var code))
        {
            throw Error(code, Messages.GetValueOrDefault(code, $"{code} (scripted)"));
        }
    }

    private IEnumerable<FakePipelineRun> Started(DateTimeOffset now) => executions.Where(e => e.Start <= now);

    private static string Token(string executionId) => Convert.ToBase64String(Encoding.UTF8.GetBytes($"after:{executionId}"));

    private static AmazonCodePipelineException Error(string code, string message) =>
        new(message, null, ErrorType.Sender, code, "fake-request", HttpStatusCode.BadRequest);
}
