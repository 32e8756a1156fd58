namespace PipelineKit.Planning;

using System.Collections.Concurrent;
using PipelineKit.Aws;
using PipelineKit.Deployment;

/// <summary>
/// Answers the foundation graph's stack set calls with what would happen, with reads only: a unit's stack set would be
/// created, updated (its template, parameters, tags or automatic deployment differ, or an active account of the unit has
/// no instance) or left unchanged; the stack set of a unit pipeline.json no longer names would be deleted with its
/// instances. Each plan names the accounts; the resources are the template's, flagged where they bear permissions.
/// </summary>
public sealed class StackSetPlanner(StackSetDeployer deployer) : IStackSetDeployer
{
    private readonly ConcurrentDictionary<string, IReadOnlyList<StackPlan>> plans = new(StringComparer.Ordinal);

    /// <summary>The plans made for a node of the graph (none for a node that found nothing to say).</summary>
    public IReadOnlyList<StackPlan> PlansFor(string key) => plans.GetValueOrDefault(key) ?? [];

    public async Task<StackResult> DeployAsync(ICloudFormationStackSets sets, StackRef stack, StackSetDeployment desired, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(stack);
        ArgumentNullException.ThrowIfNull(desired);
        StackSetPreview preview;
        try
        {
            preview = await deployer.PreviewAsync(sets, desired, ct).ConfigureAwait(false);
        }
        catch (DeploymentException e)
        {
            plans[stack.Key] = [StackPlans.Failed(stack, $"{e.Reason} {e.NextStep}")];
            throw;
        }

        var request = desired.Request;
        var accounts = $"accounts of {desired.OrganizationalUnitId}: {string.Join(", ", desired.Accounts)}";
        plans[stack.Key] = [preview.Kind switch
        {
            PreviewKind.Create => Plan(stack, PlanStatus.Create, Resources("Add", request.TemplateBody, request.Parameters),
                $"stack set with an instance in each of the {accounts}"),
            PreviewKind.Unchanged => Plan(stack, PlanStatus.Unchanged, [], accounts),
            _ => Plan(stack, PlanStatus.Update, Widening(preview.Existing!, request), string.Join("; ", Differences(preview, request).Prepend(accounts))),
        }];
        return new StackResult(stack.StackName, stack.Location, StackOutcome.Unchanged, null, new Dictionary<string, string>(), TimeSpan.Zero,
            DeployedParameters: request.Parameters);
    }

    public async Task<StackResult> RemoveDroppedAsync(ICloudFormationStackSets sets, StackRef stack, IReadOnlyList<KitStackSet> dropped, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(sets);
        ArgumentNullException.ThrowIfNull(stack);
        ArgumentNullException.ThrowIfNull(dropped);
        var found = new List<StackPlan>();
        foreach (var set in dropped)
        {
            var at = stack with { Key = $"{stack.Key}:{set.OrganizationalUnitId}", StackName = set.StackSetName };
            if (!set.IsKits)
            {
                found.Add(Plan(at, PlanStatus.Unchanged, [], $"organizational unit {set.OrganizationalUnitId} is not in pipeline.json, but this stack set is not the kit's: left alone"));
                continue;
            }

            var instances = await sets.ListStackInstancesAsync(set.StackSetName, set.CallAs, ct).ConfigureAwait(false);
            var accounts = instances.Select(i => i.Account).Distinct(StringComparer.Ordinal).ToArray();
            found.Add(Plan(at, PlanStatus.Delete, Resources("Remove", set.Description.TemplateBody, set.Description.Parameters),
                $"organizational unit {set.OrganizationalUnitId} is no longer in pipeline.json: its instances ({(accounts.Length == 0 ? "none" : "accounts " + string.Join(", ", accounts))}) and the stack set would be deleted, and the target roles with them"));
        }

        plans[stack.Key] = found;
        return new StackResult(stack.StackName, stack.Location, StackOutcome.Unchanged, null, new Dictionary<string, string>(), TimeSpan.Zero);
    }

    private static StackPlan Plan(StackRef stack, PlanStatus status, IReadOnlyList<PlannedResource> resources, string note) =>
        new(stack.Key, stack.StackName, stack.Location, status, resources, note);

    private static List<PlannedResource> Resources(string action, string template, IReadOnlyDictionary<string, string> parameters) =>
        [.. TemplateResources.Of(template, parameters)
            .Select(r => new PlannedResource(action, r.LogicalId, r.ResourceType, null, PolicyResources.IsSecurityRelevant(r.ResourceType), []))];

    /// <summary>The policy-bearing resources whose grants the update would widen (a stack set has no change set to list the rest).</summary>
    private static List<PlannedResource> Widening(StackSetDescription existing, StackSetRequest request)
    {
        var types = TemplateResources.Of(request.TemplateBody, request.Parameters).ToDictionary(r => r.LogicalId, r => r.ResourceType, StringComparer.Ordinal);
        return [.. TemplateWidening.Of(existing.TemplateBody, existing.Parameters, request.TemplateBody, request.Parameters)
            .Select(w => new PlannedResource("Modify", w.Key, types.GetValueOrDefault(w.Key) ?? "?", null, true, w.Value))];
    }

    private static IEnumerable<string> Differences(StackSetPreview preview, StackSetRequest request)
    {
        var existing = preview.Existing!;
        if (DeployedComparison.Normalize(existing.TemplateBody) != DeployedComparison.Normalize(request.TemplateBody)) yield return "template differs";
        var parameters = request.Parameters.Where(p => existing.Parameters.GetValueOrDefault(p.Key) != p.Value).Select(p => p.Key).Order(StringComparer.Ordinal).ToArray();
        if (parameters.Length > 0 || existing.Parameters.Count != request.Parameters.Count) yield return $"parameters differ: {string.Join(", ", parameters)}".TrimEnd(',', ' ', ':');
        if (!DeployedComparison.SameEntries(request.Tags, existing.Tags, subset: false)) yield return "tags differ";
        if (existing.AutoDeployment != StackSetAutoDeployment.Kit) yield return "automatic deployment is not on with stacks removed with the account";
        if (preview.MissingAccounts.Count > 0) yield return $"instances would be created for {string.Join(", ", preview.MissingAccounts)}";
    }
}
