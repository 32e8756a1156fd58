namespace PipelineKit.Orchestration;

using PipelineKit.Aws;
using PipelineKit.Configuration;
using PipelineKit.Deployment;
using PipelineKit.Naming;

/// <summary>
/// Finds the stack sets of this pipeline's organizational units in the build account, with reads only: ListStackSets (the
/// ACTIVE ones), then DescribeStackSet of each whose name is <see cref="KitNames.TargetRolesStackSet"/> of some unit. A set
/// is the kit's when it is service-managed, carries the tag pipelinekit:pipeline with this pipeline's name, as the kit
/// tags every stack and stack set it makes, and its BuildAccountId is this build account; another set of such a name is
/// found but marked, and never deleted.
/// </summary>
public static class UnitStackSets
{
    /// <param name="droppedOnly">Only the sets of units pipeline.json no longer names (the others are not described).</param>
    public static async Task<IReadOnlyList<KitStackSet>> FindAsync(
        ICloudFormationStackSets sets, PipelineConfig config, string callAs, CancellationToken ct, bool droppedOnly = false)
    {
        ArgumentNullException.ThrowIfNull(sets);
        ArgumentNullException.ThrowIfNull(config);
        var named = config.OrganizationalUnits.ToHashSet(StringComparer.Ordinal);
        var found = new List<KitStackSet>();
        foreach (var summary in await sets.ListStackSetsAsync(callAs, ct).ConfigureAwait(false))
        {
            if (summary.Status == "DELETED" || KitNames.UnitOfTargetRolesStackSet(config.Name, summary.StackSetName) is not { } unit) continue;
            if (droppedOnly && named.Contains(unit)) continue;
            if (await sets.DescribeStackSetAsync(summary.StackSetName, callAs, ct).ConfigureAwait(false) is not { } description) continue;
            found.Add(new KitStackSet(summary.StackSetName, unit, callAs, description, IsKits(description, config)));
        }

        return [.. found.OrderBy(s => s.StackSetName, StringComparer.Ordinal)];
    }

    /// <summary>Service-managed, tagged with this pipeline's name, and its roles trusting this build account: with a delegated
    /// administrator every stack set of the organization lives in the management account and ListStackSets returns them
    /// all, so another build account's pipeline of the same name has sets of the same names.</summary>
    internal static bool IsKits(StackSetDescription set, PipelineConfig config) =>
        set.PermissionModel is null or "SERVICE_MANAGED" &&
        set.Tags.TryGetValue(StackDeletion.PipelineTag, out var value) && value == config.Name &&
        set.Parameters.TryGetValue(StackSetDeployer.BuildAccountParameter, out var account) && account == config.Build.Account;
}
