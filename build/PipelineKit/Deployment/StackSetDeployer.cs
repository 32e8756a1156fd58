namespace PipelineKit.Deployment;

using PipelineKit.Aws;

/// <summary>A service-managed stack set as the kit deploys it, in the build account and region: its request, the unit it
/// targets, the region of its instances and the unit's accounts as resolved, each of which must have an instance.</summary>
public sealed record StackSetDeployment(
    StackSetRequest Request, string OrganizationalUnitId, string InstanceRegion, IReadOnlyList<string> Accounts, StackLocation Location);

/// <summary>
/// Deploys a service-managed stack set with automatic deployment, idempotently: created when missing; updated only when its
/// template, parameters, tags or automatic deployment differ from the kit's; instances created in the unit only when one
/// of its active accounts has none in the region. A re-run with nothing changed makes no mutating call. Each operation is
/// waited for (DescribeStackSetOperation) under the deployer's polling policy; a failed one fails the deployment, naming
/// the operation and how to see each account's result.
/// https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/stacksets-orgs-manage-auto-deployment.html
/// </summary>
public sealed class StackSetDeployer(TimeProvider time, PollingPolicy policy)
{
    private readonly Poller poller = new(time, policy);

    public async Task<StackResult> DeployAsync(ICloudFormationStackSets sets, StackSetDeployment desired, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(sets);
        ArgumentNullException.ThrowIfNull(desired);
        var started = time.GetUtcNow();
        var request = desired.Request;
        var existing = await poller.ReadAsync(c => sets.DescribeStackSetAsync(request.StackSetName, request.CallAs, c), $"stack set {request.StackSetName}", ct).ConfigureAwait(false);
        var outcome = StackOutcome.Unchanged;
        if (existing is null)
        {
            await sets.CreateStackSetAsync(request, ct).ConfigureAwait(false);
            outcome = StackOutcome.Created;
        }
        else if (existing.PermissionModel is { } model && model != "SERVICE_MANAGED")
        {
            // A stack set of the kit's name that the kit did not make: its instances are not the unit's, and updating it
            // would leave the unit's new accounts without roles.
            throw new DeploymentException(DeploymentErrorCode.ResourceNameTaken, request.StackSetName, desired.Location,
                $"stack set {request.StackSetName} exists with permission model {model}; the kit's is SERVICE_MANAGED, deployed to organizational unit {desired.OrganizationalUnitId} automatically",
                $"Delete that stack set (after its instances) or rename the pipeline, then re-run DeployTargetRoles.");
        }
        else if (!IsAsDesired(existing, request))
        {
            var operation = await sets.UpdateStackSetAsync(request, NewOperationId(), ct).ConfigureAwait(false);
            await WaitAsync(sets, desired, operation, "UpdateStackSet", ct).ConfigureAwait(false);
            outcome = StackOutcome.Updated;
        }

        var instances = existing is null ? [] : await sets.ListStackInstancesAsync(request.StackSetName, request.CallAs, ct).ConfigureAwait(false);
        var covered = instances.Where(i => i.Region == desired.InstanceRegion).Select(i => i.Account).ToHashSet(StringComparer.Ordinal);
        if (desired.Accounts.Any(a => !covered.Contains(a)))
        {
            var operation = await sets.CreateStackInstancesAsync(
                request.StackSetName, [desired.OrganizationalUnitId], [desired.InstanceRegion], request.CallAs, NewOperationId(), ct).ConfigureAwait(false);
            await WaitAsync(sets, desired, operation, "CreateStackInstances", ct).ConfigureAwait(false);
            if (outcome == StackOutcome.Unchanged) outcome = StackOutcome.Updated;
        }

        return new StackResult(request.StackSetName, desired.Location, outcome, null, new Dictionary<string, string>(), time.GetUtcNow() - started,
            DeployedParameters: request.Parameters);
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

    private async Task WaitAsync(ICloudFormationStackSets sets, StackSetDeployment desired, string operationId, string action, CancellationToken ct)
    {
        var name = desired.Request.StackSetName;
        StackSetOperation done;
        try
        {
            done = await poller.UntilAsync(c => sets.DescribeStackSetOperationAsync(name, operationId, desired.Request.CallAs, c),
                o => !o.IsInProgress, policy.StackDeadline, () => $"waiting for {action} operation {operationId} of stack set {name}", null, ct).ConfigureAwait(false);
        }
        catch (TimeoutException e)
        {
            throw new DeploymentException(DeploymentErrorCode.Timeout, name, desired.Location, e.Message,
                $"The operation goes on in CloudFormation; see it with aws cloudformation describe-stack-set-operation --stack-set-name {name} --operation-id {operationId} --call-as {desired.Request.CallAs}, then re-run DeployTargetRoles.", inner: e);
        }

        if (!done.Succeeded)
        {
            throw new DeploymentException(DeploymentErrorCode.StackFailed, name, desired.Location,
                $"{action} operation {operationId} of the stack set ended {done.Status}{(done.StatusReason is { } reason ? ": " + reason : "")}.",
                $"See each account's result with aws cloudformation list-stack-set-operation-results --stack-set-name {name} --operation-id {operationId} --call-as {desired.Request.CallAs}; fix the account it names, then re-run DeployTargetRoles.");
        }
    }

    private static string NewOperationId() => "pipelinekit-" + Guid.NewGuid().ToString("N");
}
