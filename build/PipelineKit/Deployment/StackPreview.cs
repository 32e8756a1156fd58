namespace PipelineKit.Deployment;

using PipelineKit.Aws;

/// <summary>
/// Shows what a deployment would change: prepares the change set the deployer would execute, describes it and
/// deletes it again. It prepares exactly as a deployment does and so shares its repairs: a stack in ROLLBACK_COMPLETE
/// is deleted, termination protection is brought in line, a new stack is left in REVIEW_IN_PROGRESS. The read-only
/// steps it would need to change nothing (<see cref="StackWatcher.SettleAsync"/>, <see cref="StartingPoints"/>,
/// <see cref="DeployedComparison"/>) are classes of their own.
/// </summary>
internal sealed class StackPreview(StackContext context, ITemplateStore? templateStore)
{
    /// <summary>The change set a deployment would execute; null when the stack is already as desired.</summary>
    public async Task<ChangeSetDescription?> PreviewAsync(StackDeployment desired, CancellationToken ct)
    {
        var prepared = await new ChangeSetPreparation(context, templateStore).PrepareAsync(_ => desired, ct).ConfigureAwait(false);
        if (prepared.ChangeSet is null) return null;
        await context.Cfn.DeleteChangeSetAsync(desired.StackName, prepared.ChangeSet.ChangeSetName, ct).ConfigureAwait(false);
        return prepared.ChangeSet;
    }
}
