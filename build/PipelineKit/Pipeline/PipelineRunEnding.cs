namespace PipelineKit.Pipeline;

using PipelineKit.Aws;

/// <summary>
/// Says how a followed run ended when it did not succeed, in CodePipeline's own terms (API reference,
/// PipelineExecution.status), with where it ended and what to do next:
/// Failed: an action failed; Stopped: someone stopped it (StopPipelineExecution or the console), with the reason given;
/// Cancelled: the pipeline's definition was updated before the run could complete (CodePipeline cancels the runs in
/// progress when the pipeline is updated, e.g. by CreatePipeline or BootstrapAll, or when its execution mode changes);
/// Superseded: while it waited to enter the next stage, a newer run advanced instead.
/// https://docs.aws.amazon.com/codepipeline/latest/APIReference/API_PipelineExecution.html
/// </summary>
internal sealed class PipelineRunEnding(string pipelineName, string pipelineConsoleUrl, string executionConsoleUrl)
{
    /// <param name="stopReason">stopTrigger.reason of a Stopped run, when the stop gave one.</param>
    /// <param name="newerRun">The newest other run, for a Superseded one.</param>
    public PipelineRunFailedException Explain(PipelineExecution execution, PipelineState state, string? stopReason, string? newerRun)
    {
        var id = execution.PipelineExecutionId;
        var ours = state.Stages.Where(s => s.LatestExecution?.PipelineExecutionId == id).ToList();
        var where = $"Pipeline {pipelineName}: execution {id} {execution.Status}";
        var summary = execution.StatusSummary is { } s ? $" ({s})" : "";
        var stoppedAt = ours.FirstOrDefault(st => st.LatestExecution!.Status is not PipelineExecutionStatus.Succeeded) ?? ours.LastOrDefault();
        var at = stoppedAt is null ? "" : $" at stage {stoppedAt.StageName}";
        switch (execution.Status)
        {
            case PipelineExecutionStatus.Failed:
            {
                var stage = ours.FirstOrDefault(st => st.LatestExecution!.Status == PipelineExecutionStatus.Failed) ?? ours.LastOrDefault();
                var action = stage?.Actions.FirstOrDefault(a => a.LatestExecution?.Status == PipelineExecutionStatus.Failed);
                var inStage = stage is null ? "" : action is null ? $" in stage {stage.StageName}" : $" in stage {stage.StageName}, action {action.ActionName}";
                var error = action?.LatestExecution is { } failed
                    ? $": {PipelineFollower.ErrorText(failed)}"
                    : execution.StatusSummary is { } text ? $": {text}" : "";
                var details = action?.LatestExecution?.ExternalExecutionUrl ?? executionConsoleUrl;
                return new PipelineRunFailedException("PipelineRunFailed",
                    $"{where}{inStage}{error}. Next: read the details at {details}, fix the cause, commit, and run ./build.sh DeploySampleApp again " +
                    $"(or, for a passing problem, Retry the stage in the console: {executionConsoleUrl}).",
                    id, stage?.StageName, action?.ActionName, action?.LatestExecution?.ErrorCode);
            }

            case PipelineExecutionStatus.Stopped:
                return new PipelineRunFailedException("PipelineRunStopped",
                    $"{where}{at}: someone stopped it (StopPipelineExecution or the console; " +
                    $"{(stopReason is { Length: > 0 } ? $"reason: \"{stopReason}\"" : "no reason given")}){summary}. " +
                    $"Next: if the stop was not meant to cancel this delivery, run ./build.sh DeploySampleApp again to start a new run ({executionConsoleUrl}).",
                    id, stoppedAt?.StageName);

            case PipelineExecutionStatus.Cancelled:
                return new PipelineRunFailedException("PipelineRunCancelled",
                    $"{where}{at}: the pipeline's definition was updated while it ran, and CodePipeline cancels a run then (an update of the " +
                    $"pipeline stack by CreatePipeline or BootstrapAll, an edit in the console, or a change of execution mode){summary}. " +
                    $"Next: wait until the pipeline's update is done ({pipelineConsoleUrl}), then run ./build.sh DeploySampleApp again.",
                    id, stoppedAt?.StageName);

            case PipelineExecutionStatus.Superseded:
            {
                var after = ours.LastOrDefault()?.StageName;
                return new PipelineRunFailedException("PipelineRunSuperseded",
                    $"{where}{(after is null ? "" : $" after stage {after}")}: a newer run{(newerRun is null ? "" : $" ({newerRun})")} " +
                    $"took its place (a later upload or push). Next: follow the newer run in the console, {pipelineConsoleUrl}, " +
                    "or run ./build.sh DeploySampleApp again to ship this repository's state.",
                    id, after);
            }

            default:
                return new PipelineRunFailedException("PipelineRunFailed",
                    $"{where}{at}{summary}: a status the kit does not know. Next: read the run's page, {executionConsoleUrl}, " +
                    "and run ./build.sh DeploySampleApp again once the pipeline is idle.",
                    id, stoppedAt?.StageName);
        }
    }
}
