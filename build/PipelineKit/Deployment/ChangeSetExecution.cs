namespace PipelineKit.Deployment;

using Amazon.Runtime;
using PipelineKit.Aws;

/// <summary>The change-set flow from execution on: execute (request token) -> stream events until the stack
/// settles -> report, naming the first failing resource when the stack did not end complete, or the outputs its
/// dependents read when it ended without them. A change set executed or removed by another run first is a
/// <see cref="ConcurrentChangeException"/>: the deployment starts over.</summary>
internal sealed class ChangeSetExecution(StackContext context)
{
    public async Task<StackResult> ExecuteAsync(PreparedChangeSet prepared, DateTimeOffset started, CancellationToken ct)
    {
        var changeSet = prepared.ChangeSet!;
        var watcher = new StackWatcher(context);
        var events = await watcher.EventsFromNowAsync(ct).ConfigureAwait(false);
        context.Progress($"executing change set ({changeSet.Changes.Count} resource change(s))");
        try
        {
            await context.Cfn.ExecuteChangeSetAsync(context.Name, changeSet.ChangeSetName, ClientTokens.For("exec", changeSet.ChangeSetName), ct)
                .ConfigureAwait(false);
        }
        catch (AmazonServiceException e) when (ConcurrentChange.ChangeSetTaken(e))
        {
            throw ConcurrentChange.Because("another operation executed or removed the change set first", e);
        }

        var creating = prepared.Type == ChangeSetType.Create;
        context.Executing(creating);
        var final = await watcher.FollowAsync(events, creating ? StackStatus.ReviewInProgress : null, ct).ConfigureAwait(false);
        if (final.Status == StackStatus.ReviewInProgress)
        {
            throw context.Fail(DeploymentErrorCode.Timeout,
                $"the change set was executed, but the stack is still in REVIEW_IN_PROGRESS after {WaitingLine.Elapsed(context.Policy.ChangeSetDeadline)}",
                "Check the stack's events in the CloudFormation console, then re-run; the kit resumes from the stack's state.", final.Status);
        }

        if (final.Status != (creating ? StackStatus.CreateComplete : StackStatus.UpdateComplete))
        {
            throw Failed(final, events.FirstFailure(), prepared.Desired);
        }

        var desired = prepared.Desired;
        await TerminationProtection.AlignAsync(context, final.TerminationProtection, desired.TerminationProtection, ct).ConfigureAwait(false);
        RequiredOutputs.Require(context, final, desired, cloudFormationFoundNoChanges: false);

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
