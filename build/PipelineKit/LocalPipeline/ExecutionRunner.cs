namespace PipelineKit.LocalPipeline;

using System.Collections.Concurrent;
using Amazon.Runtime;
using PipelineKit.Aws;
using PipelineKit.Errors;

/// <summary>
/// Runs one execution of a pipeline definition the way CodePipeline does: stages in order; in a stage, actions grouped by
/// run order, each group in parallel, the next group once the whole group succeeded; the first stage with a failed action
/// fails the execution after its running actions have finished. Each action gets its inputs in its own region's store
/// (replicated there by the pipeline's role, as CodePipeline copies artifacts across regions), its configuration with
/// <c>#{Namespace.Variable}</c> resolved, and its role's credentials. Every transition is written to the
/// <see cref="LocalExecution"/>, which the CodePipeline API of the local run reports.
/// </summary>
public sealed class ExecutionRunner(
    PipelineDefinition pipeline,
    IReadOnlyList<IActionExecutor> executors,
    ILocalRoles roles,
    IArtifactStore store,
    IApprovalDecider approver,
    string logDirectory,
    TimeProvider time)
{
    /// <summary>Told of every action that succeeded, with its execution (its summary: "no changes", "3 files in BuildOutput").</summary>
    public Action<ActionDefinition, ActionExecution>? Succeeded { get; init; }

    /// <summary>CodePipeline fails a manual approval no one answered within seven days.</summary>
    public TimeSpan ApprovalTimeout { get; init; } = TimeSpan.FromDays(7);

    private readonly ConcurrentDictionary<string, (string Stage, string Action, TaskCompletionSource<ApprovalDecision> Answer)> waiting =
        new(StringComparer.Ordinal);

    /// <summary>PutApprovalResult: answers the approval waiting with <paramref name="token"/> at that stage and action.</summary>
    /// <returns>False when no approval waits there with that token.</returns>
    public bool Answer(string stage, string action, string token, ApprovalDecision decision) =>
        waiting.TryGetValue(token, out var entry) && entry.Stage == stage && entry.Action == action && entry.Answer.TrySetResult(decision);

    public async Task RunAsync(LocalExecution execution, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(execution);
        var run = new RunArtifacts(pipeline, store, roles, execution.Id, Path.Combine(logDirectory, execution.Id));
        var variables = new ActionVariables(execution.Id);
        try
        {
            foreach (var stage in pipeline.Stages)
            {
                execution.Stage(stage.Name, PipelineExecutionStatus.InProgress, time.GetUtcNow());
                var failed = false;
                foreach (var group in stage.Actions.GroupBy(a => a.RunOrder).OrderBy(g => g.Key))
                {
                    var done = group.ToDictionary(a => a.Name, _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
                    var runs = group.Select(action => RunActionAsync(execution, action, run, variables,
                        Task.WhenAll(done.Where(d => d.Key != action.Name).Select(d => d.Value.Task)), done[action.Name], ct)).ToArray();
                    failed = (await Task.WhenAll(runs).ConfigureAwait(false)).Contains(false);
                    if (failed) break;
                }

                execution.Stage(stage.Name, failed ? PipelineExecutionStatus.Failed : PipelineExecutionStatus.Succeeded, time.GetUtcNow());
                if (!failed) continue;
                execution.Finish(PipelineExecutionStatus.Failed, $"Stage {stage.Name} failed.", time.GetUtcNow());
                return;
            }

            execution.Finish(PipelineExecutionStatus.Succeeded, null, time.GetUtcNow());
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            execution.Finish(PipelineExecutionStatus.Stopped, "The local run was interrupted.", time.GetUtcNow());
            throw;
        }
    }

    private async Task<bool> RunActionAsync(LocalExecution execution, ActionDefinition action, RunArtifacts run, ActionVariables variables,
        Task neighboursDone, TaskCompletionSource done, CancellationToken ct)
    {
        var id = Guid.NewGuid().ToString();
        void State(string status, string? summary = null, string? token = null, string? code = null, string? message = null)
        {
            var state = new ActionExecution(status, id, summary, null, token, code, message, time.GetUtcNow());
            execution.Action(action.Stage, action.Name, state);
            if (status == PipelineExecutionStatus.Succeeded) Succeeded?.Invoke(action, state);
        }

        State(PipelineExecutionStatus.InProgress);
        try
        {
            var configuration = variables.Resolve(action);
            if (action.Type == ActionType.ManualApproval)
            {
                var decision = await ApproveAsync(execution, action, configuration, neighboursDone, t => State(PipelineExecutionStatus.InProgress, token: t), ct)
                    .ConfigureAwait(false);
                if (decision.Approved) State(PipelineExecutionStatus.Succeeded, decision.Text);
                else State(PipelineExecutionStatus.Failed, decision.Summary, code: "Rejected", message: decision.Text);
                return decision.Approved;
            }

            var executor = executors.FirstOrDefault(e => e.Handles(action.Type))
                           ?? throw new ActionFailedException("ConfigurationError", $"{action}: the local run has no executor for {action.Type}.");
            var inputs = new List<ArtifactLocation>();
            foreach (var name in action.InputArtifacts) inputs.Add(await run.InRegionAsync(name, action.Region, ct).ConfigureAwait(false));
            var revision = Revision(execution, action);
            using var log = run.OpenLog(action);
            var outcome = await executor.RunAsync(
                new ActionRun(pipeline, action, execution.Id, configuration, inputs, roles.Action(action.RoleArn), revision, log.WriteLine), ct)
                .ConfigureAwait(false);
            foreach (var output in outcome.Outputs) run.Produced(output);
            variables.Add(action, outcome.Variables);
            State(PipelineExecutionStatus.Succeeded, outcome.Summary);
            return true;
        }
        catch (ActionFailedException e)
        {
            State(PipelineExecutionStatus.Failed, code: e.ErrorCode, message: e.Message);
            return false;
        }
        catch (AmazonServiceException e) when (!ct.IsCancellationRequested)
        {
            State(PipelineExecutionStatus.Failed, code: e.ErrorCode ?? "AwsError", message: $"{e.ErrorCode}: {e.Message}");
            return false;
        }
        catch (KitException e)
        {
            // A buildspec or configuration the local run refuses: the action fails naming it, like CodePipeline's ConfigurationError.
            State(PipelineExecutionStatus.Failed, code: e.Code, message: e.Message);
            return false;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidDataException or FormatException)
        {
            State(PipelineExecutionStatus.Failed, code: "JobFailed", message: $"{e.GetType().Name}: {e.Message}");
            return false;
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            State(PipelineExecutionStatus.Abandoned, "The local run was interrupted.");
            throw;
        }
        finally
        {
            done.TrySetResult();
        }
    }

    /// <summary>Waits for the first answer: PutApprovalResult with the approval's token, the run's approver, or the timeout.</summary>
    private async Task<ApprovalDecision> ApproveAsync(LocalExecution execution, ActionDefinition action, IReadOnlyDictionary<string, string> configuration,
        Task neighboursDone, Action<string> waitingWith, CancellationToken ct)
    {
        var token = Guid.NewGuid().ToString();
        var answer = new TaskCompletionSource<ApprovalDecision>(TaskCreationOptions.RunContinuationsAsynchronously);
        waiting[token] = (action.Stage, action.Name, answer);
        waitingWith(token);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        try
        {
            var request = new ApprovalRequest(action, execution.Id, token, configuration.GetValueOrDefault("CustomData"),
                configuration.GetValueOrDefault("ExternalEntityLink"));
            var asked = approver.DecideAsync(request, neighboursDone, stop.Token);
            var timeout = Task.Delay(ApprovalTimeout, time, stop.Token);
            var first = await Task.WhenAny(answer.Task, asked, timeout).ConfigureAwait(false);
            ct.ThrowIfCancellationRequested();
            if (first == timeout)
            {
                throw new ActionFailedException("ApprovalTimedOut", $"{action}: no one answered the approval within {ApprovalTimeout.TotalDays:0} days.");
            }

            // An answer through the API wins over the approver's, which is then no longer needed.
            return answer.Task.IsCompleted ? await answer.Task.ConfigureAwait(false) : await asked.ConfigureAwait(false);
        }
        finally
        {
            await stop.CancelAsync().ConfigureAwait(false);
            waiting.TryRemove(token, out _);
        }
    }

    /// <summary>A source action's own revision; for another action, the revision of the source action that produced its
    /// (primary, first) input artifact: what CodeBuild gives a build as CODEBUILD_RESOLVED_SOURCE_VERSION ("the source
    /// revision provided by CodePipeline", CodeBuild user guide, "Environment variables in build environments").</summary>
    private string? Revision(LocalExecution execution, ActionDefinition action)
    {
        var input = action.Configuration.GetValueOrDefault("PrimarySource") ?? action.InputArtifacts.FirstOrDefault();
        var source = input is null ? null
            : pipeline.Stages.SelectMany(s => s.Actions).FirstOrDefault(a => a.OutputArtifacts.Contains(input, StringComparer.Ordinal))?.Name;
        return (execution.Revisions.FirstOrDefault(r => r.ActionName == action.Name)
            ?? execution.Revisions.FirstOrDefault(r => r.ActionName == source))?.RevisionId;
    }
}
