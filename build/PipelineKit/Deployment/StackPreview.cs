namespace PipelineKit.Deployment;

using PipelineKit.Aws;

/// <summary>What a deployment of one stack would do.</summary>
public enum PreviewKind
{
    /// <summary>Template, parameters and tags equal what is deployed (or CloudFormation found no changes).</summary>
    Unchanged,
    /// <summary>An existing stack would be updated; <see cref="StackPreviewResult.Changes"/> lists how.</summary>
    Update,
    /// <summary>The stack does not exist (or only as REVIEW_IN_PROGRESS): it would be created.</summary>
    Create,
    /// <summary>The stack's creation rolled back (ROLLBACK_COMPLETE): it would be deleted and created anew.</summary>
    Recreate,
}

/// <param name="Existing">The settled stack as deployed; null when there is none.</param>
/// <param name="DeployedTemplate">The deployed template body, read for an existing stack that can be updated.</param>
/// <param name="Changes">The change set's resource changes, all pages; empty unless <see cref="PreviewKind.Update"/>.</param>
public sealed record StackPreviewResult(
    PreviewKind Kind,
    StackDescription? Existing,
    string? DeployedTemplate,
    IReadOnlyList<ResourceChange> Changes);

/// <summary>
/// Shows what a deployment would change, and changes nothing else: it composes only the read-only steps of a
/// deployment (<see cref="StackWatcher.SettleAsync"/>, <see cref="StartingPoints"/>, <see cref="DeployedComparison"/>)
/// with a change set created, described and deleted on an existing stack. A stack in ROLLBACK_COMPLETE is reported, not
/// deleted; termination protection is not touched; no stale change set is removed; a new stack gets no change set,
/// because a CREATE change set would leave a REVIEW_IN_PROGRESS stack behind.
/// </summary>
internal sealed class StackPreview(StackContext context, ITemplateStore? templateStore)
{
    public async Task<StackPreviewResult> PreviewAsync(StackDeployment desired, CancellationToken ct)
    {
        var existing = await new StackWatcher(context).SettleAsync(ct).ConfigureAwait(false);
        var start = StartingPoints.Of(existing, context);
        if (start == StartingPoint.Create) return new StackPreviewResult(PreviewKind.Create, existing, null, []);
        if (start == StartingPoint.Recreate) return new StackPreviewResult(PreviewKind.Recreate, existing, null, []);

        var deployed = await context.Poller.ReadAsync(token => context.Cfn.GetTemplateBodyAsync(context.Name, token), "the deployed template", ct)
            .ConfigureAwait(false);
        if (DeployedComparison.IsAsDesired(existing!, desired, deployed))
        {
            return new StackPreviewResult(PreviewKind.Unchanged, existing, deployed, []);
        }

        var changeSet = await new ChangeSets(context, templateStore).CreateAsync(desired, ChangeSetType.Update, ct).ConfigureAwait(false);
        if (changeSet is null) return new StackPreviewResult(PreviewKind.Unchanged, existing, deployed, []);

        context.Progress("deleting the change set (preview only)");
        await context.Cfn.DeleteChangeSetAsync(context.Name, changeSet.ChangeSetName, ct).ConfigureAwait(false);
        return new StackPreviewResult(PreviewKind.Update, existing, deployed, changeSet.Changes);
    }
}
