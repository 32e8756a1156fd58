namespace PipelineKit.Deployment;

using Amazon.Runtime;
using PipelineKit.Aws;

/// <summary>
/// Deletes one of the kit's unit stack sets, for Destroy and for a unit removed from pipeline.json: gone already (done) ->
/// refuse one that is not this pipeline's (<see cref="KitStackSet.IsKits"/>) -> DeleteStackInstances of the unit in every
/// region it has instances, RetainStacks false (the roles go with them) -> wait -> DeleteStackSet. Everything is read before
/// the first deletion; a re-run resumes from what is left.
/// https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/stacksets-delete.html
/// </summary>
public sealed class StackSetDeletion(TimeProvider time, PollingPolicy policy)
{
    /// <summary>The result's output that lists the accounts whose instances were deleted, comma-separated.</summary>
    public const string AccountsOutput = "Accounts";

    private readonly StackSetOperations operations = new(time, policy);

    /// <param name="resume">The kit target that resumes after a failure.</param>
    /// <returns>Outcome Deleted; status DELETE_COMPLETE when this call deleted it, null when it was gone already.</returns>
    public async Task<StackResult> DeleteAsync(ICloudFormationStackSets sets, KitStackSet set, StackLocation location, string resume, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(sets);
        ArgumentNullException.ThrowIfNull(set);
        var started = time.GetUtcNow();
        var (name, unit, callAs) = (set.StackSetName, set.OrganizationalUnitId, set.CallAs);
        if (!set.IsKits)
        {
            throw new DeploymentException(DeploymentErrorCode.NeedsOperator, name, location,
                $"the stack set is not this pipeline's (it is not SERVICE_MANAGED with the tag {StackDeletion.PipelineTag} of this pipeline); the kit deletes only its own.",
                $"Delete it yourself if it is yours to delete, then re-run {resume}.");
        }

        var existing = await operations.Poller.ReadAsync(c => sets.DescribeStackSetAsync(name, callAs, c), $"stack set {name}", ct).ConfigureAwait(false);
        if (existing is null) return Done(set, location, started, null, []);
        var instances = await sets.ListStackInstancesAsync(name, callAs, ct).ConfigureAwait(false);
        var regions = instances.Select(i => i.Region).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray();
        if (regions.Length > 0)
        {
            var operation = await sets.DeleteStackInstancesAsync(name, [unit], regions, callAs, StackSetOperations.NewOperationId(), ct).ConfigureAwait(false);
            await operations.WaitAsync(sets, name, callAs, location, operation, "DeleteStackInstances", resume, ct).ConfigureAwait(false);
        }

        try
        {
            await sets.DeleteStackSetAsync(name, callAs, ct).ConfigureAwait(false);
        }
        catch (AmazonServiceException e) when (e.ErrorCode == "StackSetNotEmptyException")
        {
            var left = await sets.ListStackInstancesAsync(name, callAs, ct).ConfigureAwait(false);
            throw new DeploymentException(DeploymentErrorCode.DeleteFailed, name, location,
                $"the stack set still has instances after their deletion in {unit}: {string.Join(", ", left.Select(i => $"{i.Account}/{i.Region}"))} (an account moved out of the unit keeps its instance only when retained).",
                $"Delete them with aws cloudformation delete-stack-instances --stack-set-name {name} --deployment-targets OrganizationalUnitIds=<their unit> --regions {string.Join(" ", regions)} --no-retain-stacks --call-as {callAs}, then re-run {resume}.",
                awsErrorCode: e.ErrorCode, inner: e);
        }

        return Done(set, location, started, StackStatus.DeleteComplete, instances.Select(i => i.Account).Distinct(StringComparer.Ordinal));
    }

    private StackResult Done(KitStackSet set, StackLocation location, DateTimeOffset started, StackStatus? status, IEnumerable<string> accounts) =>
        new(set.StackSetName, location, StackOutcome.Deleted, status,
            new Dictionary<string, string> { [AccountsOutput] = string.Join(", ", accounts) }, time.GetUtcNow() - started);
}
