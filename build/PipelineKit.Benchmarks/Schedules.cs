namespace PipelineKit.Benchmarks;

using PipelineKit.Aws;
using PipelineKit.Configuration;
using PipelineKit.Deployment;
using PipelineKit.Orchestration;

/// <summary>
/// The two schedules the critical-path row compares, as graphs the kit's engine runs: the kit's BootstrapAll graph, and
/// the original bootstrap script's seven phases one after another (primary, target roles, primary update, regional stacks,
/// target-role update, primary update, pipeline). Each of the script's phases was a stack operation: its update passes
/// changed a parameter (the grants, once the roles existed); here each pass carries its phase number as a tag, so every
/// phase changes its stacks as the script's did.
/// </summary>
public static class Schedules
{
    /// <summary>The engine measures the deploy engine, not the CDK: the pipeline template is a fixed stand-in.</summary>
    public static string PipelineStub(FoundationOutputs outputs) => "Resources: {}";

    public static IReadOnlyList<StackNode> Kit(PipelineConfig config, Func<StackLocation, CancellationToken, Task<ICloudFormation>> cloudFormationAt, IStackDeployer deployer) =>
        new FoundationPlan(config, cloudFormationAt, deployer, PipelineStub).For(KitTarget.BootstrapAll, new Dictionary<string, StackResult>());

    public static IReadOnlyList<StackNode> Script(PipelineConfig config, Func<StackLocation, CancellationToken, Task<ICloudFormation>> cloudFormationAt, IStackDeployer deployer)
    {
        ArgumentNullException.ThrowIfNull(config);
        var deployments = new FoundationDeployments(config, PipelineStub);
        var accounts = config.TargetAccounts;
        var build = new StackLocation(config.Build.Account, config.Build.Region);
        var primary = Phase(1, "primary", build, [], _ => deployments.Foundation(config.Build.Region));
        var roles = accounts.Select(a => Phase(2, "roles:" + a.AccountId, new StackLocation(a.AccountId, config.Build.Region), [primary.Key],
            _ => deployments.TargetRoles(a))).ToList();
        var primaryUpdate = Phase(3, "primary", build, Keys(roles), _ => deployments.Foundation(config.Build.Region));
        var regional = config.ExtraRegions.Select(r => Phase(4, "regional:" + r, build with { Region = r }, [primaryUpdate.Key],
            _ => deployments.Foundation(r))).ToList();
        string[] afterRegional = regional.Count > 0 ? Keys(regional) : [primaryUpdate.Key];
        var rolesUpdate = accounts.Select(a => Phase(5, "roles:" + a.AccountId, new StackLocation(a.AccountId, config.Build.Region), afterRegional,
            _ => deployments.TargetRoles(a))).ToList();
        var lastPrimary = Phase(6, "primary", build, Keys(rolesUpdate), _ => deployments.Foundation(config.Build.Region));
        // The pipeline reads every region's bucket and key: the last primary pass's, and the regional stacks'.
        string[] stores = [lastPrimary.Key, .. Keys(regional)];
        var pipeline = Phase(7, "pipeline", build, stores, inputs => deployments.Pipeline(stores.Select(k => inputs[k]).ToArray()));
        return [primary, .. roles, primaryUpdate, .. regional, .. rolesUpdate, lastPrimary, pipeline];

        StackNode Phase(int phase, string stack, StackLocation location, IReadOnlyList<string> after,
            Func<IReadOnlyDictionary<string, StackResult>, StackDeployment> desired)
        {
            var key = $"{phase}:{stack}";
            var at = new StackRef(key, stack, location);
            return new StackNode(at, after, async (inputs, ct) =>
            {
                var deployment = desired(inputs);
                var tagged = deployment with { Tags = new Dictionary<string, string>(deployment.Tags) { ["bootstrap:phase"] = $"{phase}" } };
                var cfn = await cloudFormationAt(deployment.Location, ct).ConfigureAwait(false);
                return await deployer.DeployAsync(cfn, at with { StackName = deployment.StackName }, tagged, ct).ConfigureAwait(false);
            });
        }
    }

    private static string[] Keys(IEnumerable<StackNode> nodes) => nodes.Select(n => n.Key).ToArray();
}
