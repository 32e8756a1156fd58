namespace PipelineKit.Planning;

using PipelineKit.Deployment;
using PipelineKit.Orchestration;

/// <summary>
/// Plan: the whole foundation graph (BootstrapAll's stacks, every account and region) run as a deployment would run it,
/// with the same parallelism, but every deploy answered by a <see cref="StackPlanner"/> (a unit's stack set by a
/// <see cref="StackSetPlanner"/>). policy:X nodes follow X with the
/// parameters X would be left with, so each stack is planned once. The app stacks, when given, are planned beside them.
/// </summary>
public sealed class PlanRun(
    FoundationPlan foundation, AppStackPlan? apps, StackDeployer deployer, int parallelism, TimeProvider time, IDeploymentObserver observer)
{
    public async Task<PlanReport> RunAsync(string pipeline, CancellationToken ct = default)
    {
        var planner = new StackPlanner(deployer);
        var setPlanner = new StackSetPlanner(new StackSetDeployer(time, PollingPolicy.Default));
        IReadOnlyList<StackNode> nodes =
        [
            .. foundation.WithDeployer(planner, setPlanner).For(KitTarget.BootstrapAll, new Dictionary<string, StackResult>()),
            .. apps?.Nodes(planner) ?? [],
        ];
        var outcome = await new DagRunner(parallelism, time, observer).RunAsync(nodes, null, ct).ConfigureAwait(false);

        var plans = new List<StackPlan>();
        foreach (var (stackRef, result) in outcome)
        {
            if (planner.Plans.TryGetValue(stackRef.Key, out var plan)) plans.Add(plan);
            else if (setPlanner.PlansFor(stackRef.Key) is { Count: > 0 } setPlans) plans.AddRange(setPlans);
            else if (!result.Succeeded) plans.Add(StackPlans.Failed(stackRef, $"{result.Error} {result.NextStep}".Trim()));
        }

        return new PlanReport(pipeline, plans);
    }

    /// <summary>Writes plan.json and plan.md into <paramref name="directory"/>; returns their paths.</summary>
    public static IReadOnlyList<string> Write(PlanReport report, string directory)
    {
        Directory.CreateDirectory(directory);
        var json = Path.Combine(directory, "plan.json");
        var markdown = Path.Combine(directory, "plan.md");
        File.WriteAllText(json, report.ToJson());
        File.WriteAllText(markdown, report.ToMarkdown());
        return [json, markdown];
    }
}
