namespace PipelineKit.Deployment;

using PipelineKit.Aws;

/// <summary>
/// A stack whose creation rolled back (ROLLBACK_COMPLETE, CREATE_FAILED) cannot be updated; CloudFormation needs it
/// deleted before a stack of the same name can be created.
/// https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/troubleshooting.html#troubleshooting-errors-update-rollback-failed
/// </summary>
internal sealed class StackRecreation(StackContext context, StackWatcher watcher)
{
    /// <summary>Deletes the stack, turning termination protection off first, and waits until it is gone.</summary>
    public async Task DeleteAsync(StackDescription existing, CancellationToken ct)
    {
        context.Progress($"deleting the stack left in {existing.Status} to create it again");
        if (existing.TerminationProtection)
        {
            await context.Cfn.UpdateTerminationProtectionAsync(context.Name, false, ct).ConfigureAwait(false);
        }

        await context.Cfn.DeleteStackAsync(context.Name, ClientTokens.For("delete", existing.StackId), ct).ConfigureAwait(false);
        var gone = await watcher.WhileInProgressAsync("to be deleted", new WaitingLine(context, "waiting for the stack to be deleted"), ct)
            .ConfigureAwait(false);
        if (gone is not null && gone.Status != StackStatus.DeleteComplete)
        {
            throw context.Fail(DeploymentErrorCode.DeleteFailed,
                $"deleting the stack left in {existing.Status} ended in {gone.Status}{NextSteps.Reason(gone.StatusReason)}",
                NextSteps.ForOperator(gone.Status, context.Name, context.Stack.Location), gone.Status);
        }
    }
}
