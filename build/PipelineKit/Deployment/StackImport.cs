namespace PipelineKit.Deployment;

using PipelineKit.Aws;

/// <summary>
/// Brings existing resources into a stack that does not exist yet: an IMPORT change set whose template holds just them
/// (<see cref="ImportTemplate"/>), waited for, executed, followed until IMPORT_COMPLETE. The stack's own template then
/// follows as an UPDATE change set.
/// https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/resource-import-new-stack.html
/// </summary>
internal sealed class StackImport(StackContext context)
{
    public async Task<StackDescription> ImportAsync(StackDeployment desired, IReadOnlyList<Adoptee> adoptees, CancellationToken ct)
    {
        var template = ImportTemplate.For(context.Name, adoptees);
        var name = $"{StackDeployer.ChangeSetPrefix}import-{context.Now:yyyyMMdd-HHmmss}-{ClientTokens.Hash(context.Name + "\n" + template)[..8]}";
        context.Progress($"creating change set (import {string.Join(", ", adoptees.Select(a => a.Label))})");
        await context.Cfn.CreateChangeSetAsync(new CreateChangeSetRequest(context.Name, name, ChangeSetType.Import, template, null,
            new Dictionary<string, string>(), new Dictionary<string, string>(), desired.Capabilities, ClientTokens.For("cs", name),
            "Imported by PipelineKit", desired.RoleArn, [.. adoptees.Select(a => a.ToImport())]), ct).ConfigureAwait(false);

        var watcher = new StackWatcher(context);
        var changeSet = await watcher.ChangeSetComputedAsync(name, ct).ConfigureAwait(false);
        if (changeSet.Status != ChangeSetStatus.CreateComplete)
        {
            await context.Cfn.DeleteChangeSetAsync(context.Name, name, ct).ConfigureAwait(false);
            throw context.Fail(DeploymentErrorCode.ChangeSetFailed, $"CloudFormation rejected the import of the retained resources: {changeSet.StatusReason}",
                $"Read the reason above; a resource another stack holds must leave that stack first. The stack was not created (delete it if it is left in REVIEW_IN_PROGRESS: {DeleteCommand()}).");
        }

        var events = await watcher.EventsFromNowAsync(ct).ConfigureAwait(false);
        context.Progress($"executing change set ({changeSet.Changes.Count} resource import(s))");
        await context.Cfn.ExecuteChangeSetAsync(context.Name, name, ClientTokens.For("exec", name), ct).ConfigureAwait(false);
        var final = await watcher.FollowAsync(events, StackStatus.ReviewInProgress, ct).ConfigureAwait(false);
        if (final.Status != StackStatus.ImportComplete)
        {
            var cause = events.FirstFailure();
            var what = cause is null ? final.StatusReason ?? "no failing resource was reported" : $"{cause.LogicalResourceId} ({cause.ResourceType}): {cause.ResourceStatusReason}";
            // A new stack whose import rolled back holds nothing; left as it is, the next run would take it for a stack to update.
            throw context.Fail(DeploymentErrorCode.StackFailed, $"the import of the retained resources ended in {final.Status}; first failure: {what}",
                $"Fix the cause above, delete the empty stack ({DeleteCommand()}), then run the target again.", final.Status);
        }

        return final;
    }

    private string DeleteCommand() =>
        $"aws cloudformation delete-stack --stack-name {context.Name} --region {context.Stack.Location.Region} with credentials for account {context.Stack.Location.AccountId}";
}
