namespace PipelineKit.Deployment;

using PipelineKit.Aws;

/// <summary>The change-set flow from execution on: execute (request token) -> stream events until the stack
/// settles -> report, naming the first failing resource when the stack did not end complete.</summary>
internal sealed class ChangeSetExecution(StackContext context)
{
    public async Task<StackResult> ExecuteAsync(PreparedChangeSet prepared, DateTimeOffset started, CancellationToken ct)
    {
        var changeSet = prepared.ChangeSet!;
        var watcher = new StackWatcher(context);
        var events = await watcher.EventsFromNowAsync(ct).ConfigureAwait(false);
        context.Progress($"executing change set ({changeSet.Changes.Count} resource change(s))");
        await context.Cfn.ExecuteChangeSetAsync(context.Name, changeSet.ChangeSetName, ClientTokens.For("exec", changeSet.ChangeSetName), ct)
            .ConfigureAwait(false);

        var final = await watcher.FollowAsync(events, ct).ConfigureAwait(false);
        var creating = prepared.Type == ChangeSetType.Create;
        if (final.Status != (creating ? StackStatus.CreateComplete : StackStatus.UpdateComplete))
        {
            throw Failed(final, events.FirstFailure(), prepared.Desired);
        }

        var desired = prepared.Desired;
        await TerminationProtection.AlignAsync(context, final.TerminationProtection, desired.TerminationProtection, ct).ConfigureAwait(false);

        // A stack made by importing its retained resources and then updated was created by this run.
        var outcome = prepared.Recreated ? StackOutcome.Recreated : creating || prepared.Adopted ? StackOutcome.Created : StackOutcome.Updated;
        return new StackResult(context.Name, desired.Location, outcome, final.Status, final.Outputs, context.Now - started,
            DeployedParameters: final.Parameters);
    }

    private DeploymentException Failed(StackDescription final, StackEvent? cause, StackDeployment desired)
    {
        var what = cause is null
            ? final.StatusReason ?? "no failing resource was reported"
            : $"{cause.LogicalResourceId} ({cause.ResourceType}) {cause.ResourceStatus}: {cause.ResourceStatusReason}";
        return context.Fail(DeploymentErrorCode.StackFailed, $"the change set ended in {final.Status}; first failure: {what}",
            NextSteps.ForNameTaken(final.Status, cause, desired) ?? NextSteps.AfterFailedChangeSet(final.Status, context.Name, context.Stack.Location),
            final.Status);
    }
}
