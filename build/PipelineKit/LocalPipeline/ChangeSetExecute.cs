namespace PipelineKit.LocalPipeline;

using Amazon.Runtime;
using PipelineKit.Aws;
using PipelineKit.Deployment;

/// <summary>
/// CHANGE_SET_EXECUTE: executes the named change set and waits for the stack to finish, following its events. A change set
/// that CloudFormation found without changes (FAILED, "didn't contain changes", left so by <see cref="ChangeSetReplace"/>) is not
/// executed: the action succeeds, "no changes", as CodePipeline's does. The output variables are the stack's outputs (CodePipeline's
/// variables reference: change set execution produces the values of the stack's Outputs section). A stack that did not end
/// complete fails the action with its first failing resource and reason, as CodePipeline reports it from DescribeStackEvents.
/// </summary>
internal sealed class ChangeSetExecute(StackContext context, ActionRun run, CloudFormationSettings settings)
{
    public async Task<ActionOutcome> RunAsync(CancellationToken ct)
    {
        var watcher = new StackWatcher(context);
        var before = await watcher.SettleAsync(ct).ConfigureAwait(false)
            ?? throw new ActionFailedException("JobFailed", $"Stack {settings.StackName} does not exist: there is no change set {settings.ChangeSetName} to execute.");
        ChangeSetDescription changeSet;
        try
        {
            changeSet = await watcher.ChangeSetComputedAsync(settings.ChangeSetName, ct).ConfigureAwait(false);
        }
        catch (AmazonServiceException e)
        {
            throw CloudFormationAction.Failed(e, $"Reading change set {settings.ChangeSetName} of stack {settings.StackName}");
        }

        if (changeSet.Status == ChangeSetStatus.Failed && ChangeSets.IsNoChanges(changeSet.StatusReason))
        {
            context.Progress($"change set {settings.ChangeSetName} has no changes: nothing to execute");
            return new ActionOutcome("no changes", [], await OutputsAsync(before.Outputs, ct).ConfigureAwait(false));
        }

        if (changeSet.Status != ChangeSetStatus.CreateComplete || changeSet.ExecutionStatus != "AVAILABLE")
        {
            throw new ActionFailedException("JobFailed",
                $"Change set {settings.ChangeSetName} of stack {settings.StackName} cannot be executed: {changeSet.Status}" +
                $"{(changeSet.ExecutionStatus is { } execution ? $", execution status {execution}" : "")}" +
                $"{(string.IsNullOrEmpty(changeSet.StatusReason) ? "" : $": {changeSet.StatusReason}")}.");
        }

        var events = await watcher.EventsFromNowAsync(ct).ConfigureAwait(false);
        context.Progress($"executing change set {settings.ChangeSetName} ({changeSet.Changes.Count} resource change(s))");
        try
        {
            await context.Cfn.ExecuteChangeSetAsync(settings.StackName, settings.ChangeSetName,
                ClientTokens.For("exec", $"{run.ExecutionId}\n{changeSet.ChangeSetId}"), ct).ConfigureAwait(false);
        }
        catch (AmazonServiceException e)
        {
            throw CloudFormationAction.Failed(e, $"Executing change set {settings.ChangeSetName} of stack {settings.StackName}");
        }

        var creating = before.Status == StackStatus.ReviewInProgress;
        var final = await watcher.FollowAsync(events, creating ? StackStatus.ReviewInProgress : null, ct).ConfigureAwait(false);
        if (final.Status != (creating ? StackStatus.CreateComplete : StackStatus.UpdateComplete))
        {
            throw new ActionFailedException("JobFailed", FailureOf(final, events.FirstFailure()));
        }

        return new ActionOutcome($"{final.Status}, {final.Outputs.Count} output(s)", [], await OutputsAsync(final.Outputs, ct).ConfigureAwait(false));
    }

    /// <summary>The stack's outputs as the action's variables, with those the emulator leaves out given empty (<see cref="EmulatedOutputs"/>).</summary>
    private async Task<IReadOnlyDictionary<string, string>> OutputsAsync(IReadOnlyDictionary<string, string> outputs, CancellationToken ct)
    {
        var template = await context.Cfn.GetTemplateBodyAsync(settings.StackName, ct).ConfigureAwait(false);
        return EmulatedOutputs.Complete(outputs, template, run.Log);
    }

    private string FailureOf(StackDescription final, StackEvent? failure) => failure is null
        ? $"Stack {settings.StackName} ended in {final.Status}{(string.IsNullOrEmpty(final.StatusReason) ? "" : $": {final.StatusReason}")}."
        : $"Stack {settings.StackName} ended in {final.Status}: {failure.LogicalResourceId} ({failure.ResourceType}) {failure.ResourceStatus}: " +
          $"{failure.ResourceStatusReason}";
}
