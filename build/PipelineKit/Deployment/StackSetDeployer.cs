namespace PipelineKit.Deployment;

using PipelineKit.Aws;
using PipelineKit.Messages;

/// <summary>A service-managed stack set as the kit deploys it, in the build account and region: its request, the unit it
/// targets, the region of its instances and the unit's accounts as resolved, each of which must have an instance.</summary>
public sealed record StackSetDeployment(
    StackSetRequest Request, string OrganizationalUnitId, string InstanceRegion, IReadOnlyList<string> Accounts, StackLocation Location);

/// <param name="Existing">The stack set as deployed; null when there is none.</param>
/// <param name="MissingAccounts">The unit's active accounts that have no instance in the region.</param>
public sealed record StackSetPreview(
    PreviewKind Kind, StackSetDescription? Existing, IReadOnlyList<StackInstanceSummary> Instances, IReadOnlyList<string> MissingAccounts);

/// <summary>
/// Deploys a service-managed stack set with automatic deployment, idempotently: created when missing; updated only when its
/// template, parameters, tags or automatic deployment differ from the kit's; instances created in the unit only when one
/// of its active accounts has none in the region. A re-run with nothing changed makes no mutating call. Each operation is
/// waited for (DescribeStackSetOperation) under the deployer's polling policy; a failed one fails the deployment, naming
/// the operation and how to see each account's result. The stack sets of units pipeline.json no longer names are deleted.
/// https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/stacksets-orgs-manage-auto-deployment.html
/// </summary>
public sealed class StackSetDeployer(TimeProvider time, PollingPolicy policy, IKitMessages? messages = null) : IStackSetDeployer
{
    /// <summary>The target roles template's parameter naming the build account the roles trust.</summary>
    public const string BuildAccountParameter = "BuildAccountId";

    private readonly StackSetOperations operations = new(time, policy);
    private readonly StackSetDeletion deletion = new(time, policy);

    Task<StackResult> IStackSetDeployer.DeployAsync(ICloudFormationStackSets sets, StackRef stack, StackSetDeployment desired, CancellationToken ct) =>
        DeployAsync(sets, desired, ct);

    /// <summary>Deletes each stack set of a unit that pipeline.json no longer names (instances, then the set), one after the
    /// other, saying so before and after each; the first failure stops and names the set. Deleted when any was, else Unchanged.</summary>
    public async Task<StackResult> RemoveDroppedAsync(ICloudFormationStackSets sets, StackRef stack, IReadOnlyList<KitStackSet> dropped, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(stack);
        ArgumentNullException.ThrowIfNull(dropped);
        var started = time.GetUtcNow();
        foreach (var foreign in dropped.Where(s => !s.IsKits))
        {
            messages?.Report(MessageCodes.StackSetNotKits,
                $"Stack set {foreign.StackSetName} has the name of this pipeline's stack set for organizational unit {foreign.OrganizationalUnitId}, which pipeline.json does not name, but it is not the kit's (permission model {foreign.Description.PermissionModel ?? "unknown"}, tag {StackDeletion.PipelineTag} {Tag(foreign)}, roles trusting build account {foreign.Description.Parameters.GetValueOrDefault(BuildAccountParameter) ?? "unknown"}): the kit leaves it alone.");
        }

        var kits = dropped.Where(s => s.IsKits).ToArray();
        foreach (var set in kits)
        {
            messages?.Report(MessageCodes.StackSetOfDroppedUnitDeleting,
                $"Organizational unit {set.OrganizationalUnitId} is no longer in pipeline.json: deleting stack set {set.StackSetName} (its instances first), so that the unit's accounts no longer hold target roles that trust this pipeline.");
            var result = await deletion.DeleteAsync(sets, set, stack.Location, "DeployTargetRoles", ct).ConfigureAwait(false);
            messages?.Report(MessageCodes.StackSetOfDroppedUnitDeleted, result.Status is null
                ? $"Stack set {set.StackSetName} was gone already."
                : $"Stack set {set.StackSetName} deleted, with its instances in {Accounts(result)}.");
        }

        return new StackResult(stack.StackName, stack.Location, kits.Length > 0 ? StackOutcome.Deleted : StackOutcome.Unchanged, null,
            new Dictionary<string, string>(), time.GetUtcNow() - started);
    }

    private static string Tag(KitStackSet set) => set.Description.Tags.GetValueOrDefault(StackDeletion.PipelineTag) is { } value ? $"\"{value}\"" : "missing";

    private static string Accounts(StackResult result) =>
        result.Outputs.TryGetValue(StackSetDeletion.AccountsOutput, out var accounts) && accounts.Length > 0 ? "account(s) " + accounts : "no account";

    public async Task<StackResult> DeployAsync(ICloudFormationStackSets sets, StackSetDeployment desired, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(sets);
        ArgumentNullException.ThrowIfNull(desired);
        var started = time.GetUtcNow();
        var request = desired.Request;
        var existing = await operations.Poller.ReadAsync(c => sets.DescribeStackSetAsync(request.StackSetName, request.CallAs, c), $"stack set {request.StackSetName}", ct).ConfigureAwait(false);
        var outcome = StackOutcome.Unchanged;
        if (existing is null)
        {
            await sets.CreateStackSetAsync(request, ct).ConfigureAwait(false);
            outcome = StackOutcome.Created;
        }
        else
        {
            RefuseNotServiceManaged(existing, desired);
        }

        if (existing is not null && !IsAsDesired(existing, request))
        {
            var operation = await sets.UpdateStackSetAsync(request, NewOperationId(), ct).ConfigureAwait(false);
            await WaitAsync(sets, desired, operation, "UpdateStackSet", ct).ConfigureAwait(false);
            outcome = StackOutcome.Updated;
        }

        var instances = existing is null ? [] : await sets.ListStackInstancesAsync(request.StackSetName, request.CallAs, ct).ConfigureAwait(false);
        if (Missing(desired, instances).Count > 0)
        {
            var operation = await sets.CreateStackInstancesAsync(
                request.StackSetName, [desired.OrganizationalUnitId], [desired.InstanceRegion], request.CallAs, NewOperationId(), ct).ConfigureAwait(false);
            await WaitAsync(sets, desired, operation, "CreateStackInstances", ct).ConfigureAwait(false);
            if (outcome == StackOutcome.Unchanged) outcome = StackOutcome.Updated;
        }

        return new StackResult(request.StackSetName, desired.Location, outcome, null, new Dictionary<string, string>(), time.GetUtcNow() - started,
            DeployedParameters: request.Parameters);
    }

    /// <summary>What <see cref="DeployAsync(ICloudFormationStackSets, StackSetDeployment, CancellationToken)"/> would do, with
    /// reads only (DescribeStackSet, ListStackInstances): Create, Update (the set differs, or an active account of the unit has
    /// no instance in the region) or Unchanged.</summary>
    public async Task<StackSetPreview> PreviewAsync(ICloudFormationStackSets sets, StackSetDeployment desired, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(sets);
        ArgumentNullException.ThrowIfNull(desired);
        var request = desired.Request;
        var existing = await operations.Poller.ReadAsync(c => sets.DescribeStackSetAsync(request.StackSetName, request.CallAs, c), $"stack set {request.StackSetName}", ct).ConfigureAwait(false);
        if (existing is null) return new StackSetPreview(PreviewKind.Create, null, [], desired.Accounts);
        RefuseNotServiceManaged(existing, desired);
        var instances = await sets.ListStackInstancesAsync(request.StackSetName, request.CallAs, ct).ConfigureAwait(false);
        var missing = Missing(desired, instances);
        return new StackSetPreview(IsAsDesired(existing, request) && missing.Count == 0 ? PreviewKind.Unchanged : PreviewKind.Update, existing, instances, missing);
    }

    /// <summary>The unit's active accounts without an instance in the set's region.</summary>
    public static IReadOnlyList<string> Missing(StackSetDeployment desired, IEnumerable<StackInstanceSummary> instances)
    {
        ArgumentNullException.ThrowIfNull(desired);
        var covered = instances.Where(i => i.Region == desired.InstanceRegion).Select(i => i.Account).ToHashSet(StringComparer.Ordinal);
        return [.. desired.Accounts.Where(a => !covered.Contains(a))];
    }

    /// <summary>A stack set of the kit's name that the kit did not make for this pipeline: not service-managed (its instances
    /// are not the unit's, and updating it would leave the unit's new accounts without roles), or the roles of another build
    /// account's pipeline of the same name (with a delegated administrator, every stack set of the organization lives in the
    /// management account under one namespace): updating that one would make its roles trust this build account.</summary>
    private static void RefuseNotServiceManaged(StackSetDescription existing, StackSetDeployment desired)
    {
        var name = desired.Request.StackSetName;
        if (existing.PermissionModel is { } model && model != "SERVICE_MANAGED")
        {
            throw new DeploymentException(DeploymentErrorCode.ResourceNameTaken, name, desired.Location,
                $"stack set {name} exists with permission model {model}; the kit's is SERVICE_MANAGED, deployed to organizational unit {desired.OrganizationalUnitId} automatically",
                $"Delete that stack set (after its instances) or rename the pipeline, then re-run DeployTargetRoles.");
        }

        if (existing.Parameters.GetValueOrDefault(BuildAccountParameter) is { } other
            && desired.Request.Parameters.GetValueOrDefault(BuildAccountParameter) is { } mine && other != mine)
        {
            throw new DeploymentException(DeploymentErrorCode.ResourceNameTaken, name, desired.Location,
                $"stack set {name} holds the target roles of the pipeline of the same name in build account {other}; this run's build account is {mine}, and updating the set would make those roles trust it",
                "Give this pipeline another name in pipeline.json (stack set names are shared across the organization), then re-run DeployTargetRoles.");
        }
    }

    /// <summary>Template, parameters and tags as the kit's, automatic deployment on and stacks removed with the account.</summary>
    public static bool IsAsDesired(StackSetDescription existing, StackSetRequest request)
    {
        ArgumentNullException.ThrowIfNull(existing);
        ArgumentNullException.ThrowIfNull(request);
        return DeployedComparison.Normalize(existing.TemplateBody) == DeployedComparison.Normalize(request.TemplateBody)
               && DeployedComparison.SameEntries(request.Parameters, existing.Parameters, subset: false)
               && DeployedComparison.SameEntries(request.Tags, existing.Tags, subset: false)
               && existing.AutoDeployment == StackSetAutoDeployment.Kit;
    }

    private Task WaitAsync(ICloudFormationStackSets sets, StackSetDeployment desired, string operationId, string action, CancellationToken ct) =>
        operations.WaitAsync(sets, desired.Request.StackSetName, desired.Request.CallAs, desired.Location, operationId, action, "DeployTargetRoles", ct);

    private static string NewOperationId() => StackSetOperations.NewOperationId();
}
