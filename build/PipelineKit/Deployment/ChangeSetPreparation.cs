namespace PipelineKit.Deployment;

using PipelineKit.Aws;

/// <summary>Where a deployment stands once its change set is prepared: no change set when the stack is already as
/// desired, else the change set to execute.</summary>
internal sealed record PreparedChangeSet(
    StackDeployment Desired,
    StackDescription? Existing,
    ChangeSetType Type,
    ChangeSetDescription? ChangeSet,
    bool Recreated,
    bool Adopted = false)
{
    /// <summary>The result when there was nothing to execute: the stack as it is deployed.</summary>
    public StackResult Unchanged(TimeSpan elapsed) =>
        new(Desired.StackName, Desired.Location, StackOutcome.Unchanged, Existing!.Status, Existing.Outputs, elapsed,
            DeployedParameters: Existing.Parameters);
}

/// <summary>
/// The change-set flow up to execution: settle -> repair or refuse -> skip when nothing differs (and no output the
/// dependents read is missing) -> remove stale kit change sets -> create (client token) -> wait -> "no changes" is
/// success. The read-only steps (settle, starting point, comparison) are classes of their own; repairs (recreate,
/// termination protection, stale change sets) are the mutating ones.
/// </summary>
internal sealed class ChangeSetPreparation(StackContext context, ITemplateStore? templateStore)
{
    /// <param name="desiredFor">Sees the settled stack, or null when there is none; the stack is described once for both.</param>
    public async Task<PreparedChangeSet> PrepareAsync(Func<StackDescription?, StackDeployment> desiredFor, CancellationToken ct)
    {
        var watcher = new StackWatcher(context);
        var existing = await watcher.SettleAsync(ct).ConfigureAwait(false);
        var desired = desiredFor(existing);
        if (desired.StackName != context.Name || desired.Location != context.Stack.Location)
        {
            throw new InvalidOperationException($"The deployment of {desired.StackName} does not match the stack {context.Name}.");
        }

        var start = StartingPoints.Of(existing, context);
        var adoption = await StackAdoption.BeforeCreateAsync(context, start, desired, ct).ConfigureAwait(false);
        if (start == StartingPoint.Recreate)
        {
            await new StackRecreation(context, watcher).DeleteAsync(existing!, ct).ConfigureAwait(false);
            existing = null;
        }
        else if (start == StartingPoint.Update)
        {
            if (await new DeployedComparison(context).DifferenceAsync(existing!, desired, ct).ConfigureAwait(false) is { } difference)
            {
                context.Progress($"differs from the deployed stack: {difference}");
            }
            else
            {
                var missing = RequiredOutputs.MissingFrom(existing!, desired);
                if (missing.Count == 0) return await UnchangedAsync(desired, existing!, ChangeSetType.Update, ct).ConfigureAwait(false);
                context.Progress($"the stack lacks the output(s) {string.Join(", ", missing)}; deploying it again");
            }
        }

        existing = await adoption.ImportAsync(existing, ct).ConfigureAwait(false);
        var type = start == StartingPoint.Update || adoption.Imported ? ChangeSetType.Update : ChangeSetType.Create;
        var changeSets = new ChangeSets(context, templateStore);
        if (existing is not null)
        {
            await changeSets.RemoveStaleAsync(ct).ConfigureAwait(false);
        }

        var changeSet = await changeSets.CreateAsync(desired, type, ct).ConfigureAwait(false);
        // No change set: the same template, parameters and tags in CloudFormation's eyes; nothing to do but the stack setting.
        return changeSet is null
            ? await UnchangedAsync(desired, existing!, type, ct).ConfigureAwait(false)
            : new PreparedChangeSet(desired, existing, type, changeSet, start == StartingPoint.Recreate, adoption.Imported);
    }

    private async Task<PreparedChangeSet> UnchangedAsync(StackDeployment desired, StackDescription existing, ChangeSetType type, CancellationToken ct)
    {
        RequiredOutputs.Require(context, existing, desired, cloudFormationFoundNoChanges: true);
        await TerminationProtection.AlignAsync(context, existing.TerminationProtection, desired.TerminationProtection, ct).ConfigureAwait(false);
        return new PreparedChangeSet(desired, existing, type, null, false);
    }
}
