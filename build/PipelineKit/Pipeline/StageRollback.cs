namespace PipelineKit.Pipeline;

using Amazon.Runtime;
using PipelineKit.Aws;
using PipelineKit.Configuration;
using PipelineKit.Errors;
using PipelineKit.Messages;
using PipelineKit.Reporting;
using PipelineKit.SampleApp;

/// <summary>What a stage rollback rolled back to: the stage, the target execution and its source revision, and the
/// rollback's own execution (followed to its end).</summary>
public sealed record StageRollbackResult(string StageName, string TargetExecutionId, string? TargetRevision, PipelineRun Run);

/// <summary>
/// Rollback --environment NAME in pipeline mode: rolls the environment's deploy stage back with CodePipeline's
/// RollbackStage to the most recent execution before the stage's current one that succeeded in that stage
/// (ListPipelineExecutions filtered by succeededInStage), skipping rollback executions, which cannot be targets; then
/// follows the rollback's execution. In a wave, the stage holds every environment of the wave: they roll back together.
/// https://docs.aws.amazon.com/codepipeline/latest/userguide/stage-rollback.html
/// </summary>
public sealed class StageRollback(PipelineConfig config, ICodePipeline pipeline, string pipelineName, PipelineFollower follower, IKitMessages messages)
{
    /// <summary>A search reads at most this many pages of 100 executions.</summary>
    private const int MaxPages = 10;

    public async Task<StageRollbackResult> RunAsync(string? environmentName, CancellationToken ct)
    {
        var environment = RollbackEnvironment.Find(config, environmentName);
        var stage = config.DeployStages.Single(s => s.Environments.Contains(environment));
        var together = stage.Environments.Where(e => e != environment).Select(e => e.Name).ToArray();
        try
        {
            var state = await pipeline.GetPipelineStateAsync(pipelineName, ct).ConfigureAwait(false);
            var current = state.Stages.FirstOrDefault(s => s.StageName == stage.Name)?.LatestExecution
                ?? throw Nothing(environment.Name, stage.Name, "the stage has never run");
            var target = await TargetAsync(stage.Name, current.PipelineExecutionId, ct).ConfigureAwait(false)
                ?? throw Nothing(environment.Name, stage.Name, $"no execution before its current one ({current.PipelineExecutionId}) succeeded in it");
            var revision = target.SourceRevisions.FirstOrDefault()?.RevisionId;
            messages.Report(MessageCodes.RollbackStarting,
                $"Rollback of {environment.Name}: stage {stage.Name} of pipeline {pipelineName} goes back to execution {target.PipelineExecutionId}" +
                (revision is null ? "" : $" (source version {revision})") + $", the last one that succeeded in it before {current.PipelineExecutionId}" +
                (together.Length == 0 ? "." : $"; the wave's {string.Join(", ", together)} roll back with it."));
            var id = await pipeline.RollbackStageAsync(pipelineName, stage.Name, target.PipelineExecutionId, ct).ConfigureAwait(false);
            var run = await follower.FollowAsync(id, startedByKit: true, ct).ConfigureAwait(false);
            return new StageRollbackResult(stage.Name, target.PipelineExecutionId, revision, run);
        }
        catch (AmazonServiceException e) when (e.ErrorCode is "UnableToRollbackStageException" or "StageNotFoundException" or "PipelineExecutionNotFoundException")
        {
            throw new KitRunFailedException(ErrorCodes.RollbackRefused,
                $"Rollback of {environment.Name}: CodePipeline refused to roll back stage {stage.Name} of {pipelineName}: {e.ErrorCode}: {e.Message}",
                $"wait until the stage is not running, or re-create the pipeline (./build.sh CreatePipeline) and deploy again; {follower.PipelineConsoleUrl}", e);
        }
        catch (PipelineRunFailedException e)
        {
            throw new KitRunFailedException(e);
        }
    }

    /// <summary>The newest execution that succeeded in the stage and may be a target: not the current one, not a rollback,
    /// and, when the current one is a rollback, older than the execution it rolled back to (that one is what is deployed).</summary>
    private async Task<PipelineExecutionSummary?> TargetAsync(string stageName, string currentId, CancellationToken ct)
    {
        string? skipThrough = null;
        string? next = null;
        for (var page = 0; page < MaxPages; page++)
        {
            var listed = await pipeline.ListPipelineExecutionsAsync(pipelineName, stageName, 100, next, ct).ConfigureAwait(false);
            foreach (var execution in listed.Executions)
            {
                if (execution.PipelineExecutionId == currentId)
                {
                    if (execution.IsRollback) skipThrough = execution.RollbackTargetExecutionId;
                    continue;
                }

                if (skipThrough is not null)
                {
                    if (execution.PipelineExecutionId == skipThrough) skipThrough = null;
                    continue;
                }

                // The stage's current execution is its latest: every other one listed ran in it before.
                if (!execution.IsRollback) return execution;
            }

            next = listed.NextToken;
            if (next is null) return null;
        }

        return null;
    }

    private static KitRunFailedException Nothing(string environment, string stage, string why) =>
        new(ErrorCodes.NothingToRollBack,
            $"Rollback of {environment}: nothing to roll back to in stage {stage}: {why}.",
            "deploy a fixed version instead (./build.sh DeploySampleApp), or check the stage's history in the console");
}
