namespace PipelineKit.LocalPipeline;

using System.Globalization;
using Amazon.Runtime;
using PipelineKit.Aws;

/// <summary>
/// CodePipeline's API for a pipeline run locally: StartPipelineExecution starts an <see cref="ExecutionRunner"/> run in the
/// background; GetPipelineState, ListPipelineExecutions and GetPipelineExecution report it as CodePipeline would; and
/// PutApprovalResult answers its approvals. The kit's <c>PipelineFollower</c> follows a local run through this exactly as
/// it follows a run on AWS, so both print the same lines, and the security gate (SecurityCheck, run by the local build)
/// approves through it. Executions run one at a time, in the order they were started.
/// </summary>
public sealed class LocalCodePipeline(
    PipelineDefinition pipeline,
    ExecutionRunner runner,
    Func<CancellationToken, Task<IReadOnlyList<SourceRevision>>> sourceRevisions,
    TimeProvider time,
    CancellationToken lifetime) : ICodePipeline
{
    private readonly object gate = new();
    private readonly List<LocalExecution> executions = [];
    private readonly Dictionary<string, string> tokens = new(StringComparer.Ordinal);
    private readonly List<Task> running = [];
    private readonly SemaphoreSlim oneAtATime = new(1, 1);

    public PipelineDefinition Definition => pipeline;

    public async Task<string> StartPipelineExecutionAsync(string pipelineName, string clientRequestToken, CancellationToken ct = default)
    {
        Known(pipelineName);
        lock (gate)
        {
            if (tokens.TryGetValue(clientRequestToken, out var known)) return known;
        }

        var revisions = await sourceRevisions(ct).ConfigureAwait(false);
        lock (gate)
        {
            if (tokens.TryGetValue(clientRequestToken, out var known)) return known;
            var execution = new LocalExecution(Guid.NewGuid().ToString(), time.GetUtcNow(), revisions);
            executions.Insert(0, execution);
            tokens[clientRequestToken] = execution.Id;
            running.Add(Task.Run(() => RunAsync(execution), CancellationToken.None));
            return execution.Id;
        }
    }

    /// <summary>Ends when every execution started so far has finished (or stopped because the run was interrupted).</summary>
    public Task IdleAsync()
    {
        lock (gate) return Task.WhenAll(running);
    }

    public Task<PipelineState> GetPipelineStateAsync(string pipelineName, CancellationToken ct = default)
    {
        Known(pipelineName);
        LocalExecution[] all;
        lock (gate) all = [.. executions];
        var stages = pipeline.Stages.Select(stage =>
        {
            var latest = all.FirstOrDefault(e => e.StageStatus(stage.Name) is not null);
            return new StageState(stage.Name,
                latest is null ? null : new StageExecution(latest.Id, latest.StageStatus(stage.Name)!),
                stage.Actions.Select(a => new ActionState(a.Name, all.Select(e => e.ActionState(stage.Name, a.Name)).FirstOrDefault(s => s is not null), null))
                    .ToArray());
        }).ToArray();
        return Task.FromResult(new PipelineState(pipeline.Name, 1, stages));
    }

    public Task<PipelineExecutionPage> ListPipelineExecutionsAsync(string pipelineName, int? maxResults = null, string? nextToken = null,
        CancellationToken ct = default)
    {
        Known(pipelineName);
        var start = nextToken is null ? 0 : int.Parse(nextToken, CultureInfo.InvariantCulture);
        var size = maxResults ?? 100;
        lock (gate)
        {
            var page = executions.Skip(start).Take(size).Select(e => e.Summary()).ToArray();
            var next = start + size < executions.Count ? (start + size).ToString(CultureInfo.InvariantCulture) : null;
            return Task.FromResult(new PipelineExecutionPage(page, next));
        }
    }

    public Task<PipelineExecutionPage> ListPipelineExecutionsAsync(string pipelineName, string succeededInStage, int? maxResults = null,
        string? nextToken = null, CancellationToken ct = default)
    {
        Known(pipelineName);
        var start = nextToken is null ? 0 : int.Parse(nextToken, CultureInfo.InvariantCulture);
        var size = maxResults ?? 100;
        lock (gate)
        {
            var succeeded = executions.Where(e => e.StageStatus(succeededInStage) == PipelineExecutionStatus.Succeeded).ToList();
            var page = succeeded.Skip(start).Take(size).Select(e => e.Summary()).ToArray();
            var next = start + size < succeeded.Count ? (start + size).ToString(CultureInfo.InvariantCulture) : null;
            return Task.FromResult(new PipelineExecutionPage(page, next));
        }
    }

    /// <summary>A local run does not roll stages back (README, "The pipeline, run locally"): refused as CodePipeline refuses
    /// a rollback it cannot make.</summary>
    public Task<string> RollbackStageAsync(string pipelineName, string stageName, string targetPipelineExecutionId, CancellationToken ct = default)
    {
        Known(pipelineName);
        throw Error("UnableToRollbackStageException",
            $"The local run of {pipelineName} does not roll back stages; roll an environment back with ./build.sh Rollback --environment NAME --direct.");
    }

    public Task<PipelineExecution> GetPipelineExecutionAsync(string pipelineName, string pipelineExecutionId, CancellationToken ct = default)
    {
        Known(pipelineName);
        lock (gate)
        {
            var execution = executions.FirstOrDefault(e => e.Id == pipelineExecutionId)
                            ?? throw Error("PipelineExecutionNotFoundException", $"No execution {pipelineExecutionId} of {pipelineName}.");
            return Task.FromResult(execution.Describe(pipelineName));
        }
    }

    public Task PutApprovalResultAsync(string pipelineName, string stageName, string actionName, string token, bool approved, string summary,
        CancellationToken ct = default)
    {
        Known(pipelineName);
        var action = pipeline.Stages.FirstOrDefault(s => s.Name == stageName)?.Actions.FirstOrDefault(a => a.Name == actionName);
        if (action is null || action.Type != ActionType.ManualApproval)
        {
            throw Error("ActionNotFoundException", $"{stageName}/{actionName} is not an approval action of {pipelineName}.");
        }

        return runner.Answer(stageName, actionName, token, new ApprovalDecision(approved, summary, ApprovalDecision.ThroughApi))
            ? Task.CompletedTask
            : throw Error("InvalidApprovalTokenException", $"The approval token of {stageName}/{actionName} is not the one waiting, or none waits.");
    }

    private async Task RunAsync(LocalExecution execution)
    {
        try
        {
            await oneAtATime.WaitAsync(lifetime).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            execution.Finish(PipelineExecutionStatus.Stopped, "The local run was interrupted before this execution started.", time.GetUtcNow());
            return;
        }

        try
        {
            await runner.RunAsync(execution, lifetime).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (lifetime.IsCancellationRequested)
        {
            // The execution says Stopped; whoever interrupted the run reports it.
        }
        catch (Exception e)
        {
            // Anything an action did not turn into its own failure fails the execution, said as such, instead of leaving it InProgress.
            execution.Finish(PipelineExecutionStatus.Failed, $"The local run failed: {e.Message}", time.GetUtcNow());
        }
        finally
        {
            oneAtATime.Release();
        }
    }

    private void Known(string pipelineName)
    {
        if (pipelineName != pipeline.Name)
        {
            throw Error("PipelineNotFoundException", $"The local run knows pipeline {pipeline.Name}, not {pipelineName}.");
        }
    }

    private static AmazonServiceException Error(string code, string message) => new(message) { ErrorCode = code };
}
