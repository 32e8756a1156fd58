namespace PipelineKit.Deployment;

using PipelineKit.Aws;

/// <summary>
/// Deletes one of the kit's stacks for Destroy: settle -> gone already (done) -> refuse a stack that does not carry the
/// kit's tag for this pipeline -> lift termination protection -> DeleteStack -> wait. A stack in DELETE_FAILED is simply
/// deleted again (AWS allows that); a second failure names the failing resources' command to run.
/// </summary>
public sealed class StackDeletion(TimeProvider time, PollingPolicy policy, IDeploymentObserver observer)
{
    /// <summary>The tag every stack of the kit carries (FoundationPlan, SampleParameterFiles); its value is the pipeline's name.</summary>
    public const string PipelineTag = "pipelinekit:pipeline";

    private readonly Poller poller = new(time, policy);

    /// <summary>Whether a described stack is this pipeline's: only then may Destroy lift its protection and delete it.</summary>
    public static bool IsKits(StackDescription stack, string pipelineName) =>
        stack.Tags.TryGetValue(PipelineTag, out var value) && value == pipelineName;

    /// <summary>Deletes the stack and waits until it is gone. The result's outcome is Deleted; its status is
    /// DELETE_COMPLETE when this call deleted it and null when it was gone already.</summary>
    public async Task<StackResult> DeleteAsync(ICloudFormation cfn, StackRef stack, string pipelineName, CancellationToken ct = default)
    {
        var context = new StackContext(cfn, stack, poller, policy, observer);
        var started = context.Now;
        return await DeploymentGuard.RunAsync(stack, "Re-run Destroy once the stack has settled; it waits for a stack in progress.", async () =>
        {
            var watcher = new StackWatcher(context);
            var existing = await watcher.SettleAsync(ct).ConfigureAwait(false);
            if (existing is null) return Done(context, started, status: null);
            if (!IsKits(existing, pipelineName))
            {
                throw context.Fail(DeploymentErrorCode.NeedsOperator,
                    $"the stack does not carry the tag {PipelineTag}={pipelineName}; Destroy deletes only the kit's own stacks.",
                    "Delete it yourself if it is yours to delete, then re-run.", existing.Status);
            }

            if (existing.TerminationProtection)
            {
                context.Progress("lifting termination protection");
                await cfn.UpdateTerminationProtectionAsync(context.Name, false, ct).ConfigureAwait(false);
            }

            context.Progress(existing.Status == StackStatus.DeleteFailed ? "deleting again after DELETE_FAILED" : "deleting", existing.Status);
            // A new token per attempt: CloudFormation ignores a DeleteStack whose token it has seen, and a retry after
            // DELETE_FAILED must run; the SDK's own retries of this one request reuse it.
            var token = ClientTokens.For("destroy", $"{existing.StackId}/{existing.Status}/{context.Now.UtcTicks}");
            await cfn.DeleteStackAsync(context.Name, token, ct).ConfigureAwait(false);
            var gone = await watcher.WhileInProgressAsync("to be deleted", new WaitingLine(context, "waiting for the stack to be deleted"), ct)
            .ConfigureAwait(false);
            if (gone is not null && gone.Status != StackStatus.DeleteComplete)
            {
                throw context.Fail(DeploymentErrorCode.DeleteFailed,
                    $"the delete ended in {gone.Status}{NextSteps.Reason(gone.StatusReason)}",
                    "Re-run Destroy: it deletes the stack again. If it fails again, " +
                    NextSteps.ForOperator(gone.Status, context.Name, stack.Location), gone.Status);
            }

            return Done(context, started, StackStatus.DeleteComplete);
        }).ConfigureAwait(false);
    }

    private static StackResult Done(StackContext context, DateTimeOffset started, StackStatus? status) =>
        new(context.Name, context.Stack.Location, StackOutcome.Deleted, status, new Dictionary<string, string>(), context.Now - started);
}
