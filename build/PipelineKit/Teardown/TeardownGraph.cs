namespace PipelineKit.Teardown;

using PipelineKit.Aws;
using PipelineKit.Configuration;
using PipelineKit.Deployment;
using PipelineKit.Naming;
using PipelineKit.Orchestration;
using PipelineKit.SampleApp;

/// <summary>One stack Destroy deletes, and the keys of the stacks that must be gone first.</summary>
public sealed record TeardownStack(StackRef Ref, IReadOnlyList<string> After)
{
    public string Key => Ref.Key;
}

/// <summary>
/// The bootstrap graph reversed: a stack is deleted once every stack that was deployed from it is gone. The app stacks
/// come first (the target accounts' execution role, which CloudFormation deletes them as, must still exist), then the
/// pipeline (deleted as the primary stack's execution role), then the target roles, then the build account's stacks.
/// policy:X nodes deploy no stack of their own (they re-apply X): they are contracted, so what followed them follows X.
/// </summary>
public static class TeardownGraph
{
    public static IReadOnlyList<TeardownStack> Reverse(IReadOnlyList<StackNode> foundation, PipelineConfig config)
    {
        ArgumentNullException.ThrowIfNull(foundation);
        ArgumentNullException.ThrowIfNull(config);
        var apps = config.Environments.Select(e => new TeardownStack(
            new StackRef(SampleAppPlan.Key(e), KitNames.AppStack(config.Name, e.Name), new StackLocation(e.Account, e.Region)),
            [])).ToList();

        var dependents = foundation.SelectMany(n => n.DependsOn.Select(d => (Of: d, By: n.Key)))
            .ToLookup(p => p.Of, p => p.By, StringComparer.Ordinal);
        IEnumerable<string> Dependents(string key) =>
            dependents[key].SelectMany(d => IsContracted(d) ? Dependents(d) : [d]);

        // The target roles no longer depend on the build account's stacks (they name its buckets and keys by name), but
        // Destroy still takes the build account's stacks last, after every roles stack, as it always has.
        var roles = foundation.Select(n => n.Key).Where(k => k.StartsWith(FoundationPlan.RolesPrefix, StringComparison.Ordinal)).ToArray();
        IEnumerable<string> Also(string key) =>
            key == FoundationPlan.PipelineKey ? apps.Select(a => a.Key)
            : key == FoundationPlan.PrimaryKey || key.StartsWith(FoundationPlan.RegionalPrefix, StringComparison.Ordinal) ? roles
            : [];
        var stacks = foundation.Where(n => !IsContracted(n.Key) && !IsUnitSet(n.Key)).Reverse().Select(n => new TeardownStack(n.Ref,
            [.. Dependents(n.Key).Concat(Also(n.Key)).Distinct().Order(StringComparer.Ordinal)]));
        return [.. apps, .. stacks];
    }

    /// <summary>The unit stack sets found (<see cref="TeardownInventory.StackSets"/>, configured or not) placed in the graph
    /// like the roles stacks: after the app stacks (deleted as the execution role the sets give the unit's accounts) and the
    /// pipeline (which assumes their action role), before the build account's stacks.</summary>
    public static IReadOnlyList<TeardownStack> WithStackSets(IReadOnlyList<TeardownStack> graph, IReadOnlyList<StackRef> sets)
    {
        ArgumentNullException.ThrowIfNull(graph);
        ArgumentNullException.ThrowIfNull(sets);
        if (sets.Count == 0) return graph;
        var first = graph.Where(s => s.Key == FoundationPlan.PipelineKey || s.Key.StartsWith(SampleAppPlan.KeyPrefix, StringComparison.Ordinal))
            .Select(s => s.Key).ToArray();
        var keys = sets.Select(s => s.Key).ToArray();
        return
        [
            .. graph.Select(s => IsBuildAccountStack(s.Key) ? s with { After = [.. s.After.Concat(keys).Distinct().Order(StringComparer.Ordinal)] } : s),
            .. sets.Select(s => new TeardownStack(s, first)),
        ];
    }

    public static bool IsUnitSet(string key) => key.StartsWith(FoundationPlan.UnitRolesPrefix, StringComparison.Ordinal);

    private static bool IsBuildAccountStack(string key) =>
        key == FoundationPlan.PrimaryKey || key.StartsWith(FoundationPlan.RegionalPrefix, StringComparison.Ordinal);

    private static bool IsContracted(string key) => key.StartsWith(FoundationPlan.PolicyPrefix, StringComparison.Ordinal);
}
