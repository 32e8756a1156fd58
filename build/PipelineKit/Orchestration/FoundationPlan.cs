namespace PipelineKit.Orchestration;

using PipelineKit.Naming;
using PipelineKit.Aws;
using PipelineKit.Configuration;
using PipelineKit.Deployment;

/// <summary>The build targets the engine knows. Names are part of the kit's contract.</summary>
public enum KitTarget { BootstrapPrimary, RegionalStacks, DeployTargetRoles, DeploySourceAccount, UpdatePrimaryPolicy, CreatePipeline, BootstrapAll, DeploySampleApp }

/// <summary>
/// Turns a validated configuration into the graph of foundation stacks for a target:
/// primary (build account, build region), regional:REGION (build account, each extra region),
/// roles:ACCOUNT (each target account), roles-unit:UNIT (an organizational unit's stack set, build account) and
/// roles-unit:dropped (the stack sets of units pipeline.json no longer names, deleted), source (a CodeCommit source's account, when it is not the build account), and policy:primary / policy:regional:REGION, which
/// bring the build account's grants in line with the target accounts (UpdatePrimaryPolicy; unchanged
/// when they are), and pipeline, the CDK-synthesized pipeline stack in the build account's primary region.
/// Stack, bucket, alias and role names are deterministic and the grants name no role that must exist, so the
/// foundation (build account stacks and every roles stack) is one level and the pipeline the next: the critical path
/// is two stacks long whatever the number of accounts and regions (three with a CodeCommit source in another account:
/// its stack takes the artifact key's ARN from the primary stack). The pipeline reads the keys' ARNs from the build
/// account's stacks.
/// </summary>
/// <param name="synthesizePipeline">Synthesizes the pipeline stack's template from the foundation's outputs.</param>
public sealed class FoundationPlan(
    PipelineConfig config,
    Func<StackLocation, CancellationToken, Task<ICloudFormation>> cloudFormationAt,
    IStackDeployer deployer,
    Func<FoundationOutputs, string> synthesizePipeline)
{
    public const string PipelineKey = "pipeline";
    public const string PrimaryKey = "primary";
    public const string RegionalPrefix = "regional:";
    public const string RolesPrefix = "roles:";
    public const string PolicyPrefix = "policy:";
    public const string SourceKey = "source";

    /// <summary>The target roles of an organizational unit's accounts: a service-managed stack set in the build account.</summary>
    public const string UnitRolesPrefix = "roles-unit:";

    /// <summary>The stack sets of units pipeline.json no longer names: found and deleted (instances, then the set) by every run
    /// that deploys the target roles, so that a unit removed from the file keeps no roles that trust the pipeline.</summary>
    public const string DroppedUnitRolesKey = UnitRolesPrefix + "dropped";

    /// <summary>How the target roles of organizational units deploy (from the build account), or null (no unit resolved):
    /// then the graph has no node for them.</summary>
    public UnitRoleSets? UnitRoles { get; init; }

    public string PrimaryStackName => KitNames.PrimaryStack(config.Name);
    public string RegionalStackName => KitNames.RegionalStack(config.Name);
    public string TargetRolesStackName => KitNames.TargetRolesStack(config.Name);

    /// <summary>The same graph run by other deployers, e.g. planners that answer with what would happen.</summary>
    public FoundationPlan WithDeployer(IStackDeployer other, IStackSetDeployer sets) => new(config, cloudFormationAt, other, synthesizePipeline)
    {
        UnitRoles = UnitRoles is null ? null : UnitRoles with { Deployer = sets },
    };

    /// <summary>The stack set the kit deploys for <paramref name="unit"/>; Verify compares with it.</summary>
    public StackSetDeployment DesiredSet(string unit) =>
        deployments.TargetRoleSet(unit, (UnitRoles ?? throw new InvalidOperationException("no organizational unit was resolved")).CallAs);

    private static bool IsRoles(string key) =>
        key.StartsWith(RolesPrefix, StringComparison.Ordinal) || key.StartsWith(UnitRolesPrefix, StringComparison.Ordinal);

    private readonly FoundationDeployments deployments = new(config, synthesizePipeline);

    /// <summary>The stacks a target deploys. Dependencies outside the target that are not in
    /// <paramref name="known"/> (results of earlier targets in this process) are read, not deployed.</summary>
    public IReadOnlyList<StackNode> For(KitTarget target, IReadOnlyDictionary<string, StackResult> known)
    {
        var all = AllNodes();
        var wanted = target switch
        {
            KitTarget.BootstrapPrimary => all.Where(n => n.Key == PrimaryKey),
            KitTarget.RegionalStacks => all.Where(n => n.Key.StartsWith(RegionalPrefix, StringComparison.Ordinal)),
            KitTarget.DeployTargetRoles => all.Where(n => IsRoles(n.Key)),
            KitTarget.DeploySourceAccount => all.Where(n => n.Key == SourceKey),
            KitTarget.UpdatePrimaryPolicy => all.Where(n => n.Key.StartsWith(PolicyPrefix, StringComparison.Ordinal)),
            KitTarget.CreatePipeline => all.Where(n => n.Key == PipelineKey),
            KitTarget.BootstrapAll => all,
            _ => throw new ArgumentOutOfRangeException(nameof(target), target, null),
        };
        var present = wanted.Select(n => n.Key).ToHashSet(StringComparer.Ordinal);
        // The pipeline waits for the roles it assumes and the source stack when they deploy in this run (or did, earlier in
        // this process), but reads nothing from them: run alone (CreatePipeline --exclusive, the pipeline's self-update) it
        // touches the build account only, and needs no session in a target or source account.
        var nodes = wanted.Select(n => n.Key != PipelineKey ? n : n with
        {
            DependsOn = [.. n.DependsOn.Where(d => !(IsRoles(d) || d == SourceKey) || present.Contains(d) || known.ContainsKey(d))],
        }).ToList();
        var missing = nodes.SelectMany(n => n.DependsOn).Distinct().Where(k => !present.Contains(k) && !known.ContainsKey(k)).ToList();
        var references = all.Where(n => missing.Contains(n.Key)).Select(Reference).ToList();
        return [.. references, .. nodes];
    }

    private List<StackNode> AllNodes()
    {
        // An account of an organizational unit gets its roles from the unit's stack set, not from a stack of its own.
        var unitAccounts = config.Environments.Where(e => e.IsOfOrganizationalUnit).Select(e => e.Account).ToHashSet(StringComparer.Ordinal);
        var accounts = config.TargetAccounts.Where(a => !unitAccounts.Contains(a.AccountId)).ToArray();
        var units = UnitRoles is null ? [] : config.OrganizationalUnits;
        string[] roles = [.. accounts.Select(a => RolesPrefix + a.AccountId), .. units.Select(u => UnitRolesPrefix + u)];
        var nodes = new List<StackNode> { BuildAccountNode(PrimaryKey, PrimaryStackName, config.Build.Region, follows: false, []) };
        nodes.AddRange(config.ExtraRegions.Select(r => BuildAccountNode(RegionalPrefix + r, RegionalStackName, r, follows: false, [])));
        nodes.AddRange(accounts.Select(RolesNode));
        nodes.AddRange(units.Select(u => UnitRolesNode(u, UnitRoles!)));
        if (UnitRoles is not null) nodes.Add(DroppedUnitRolesNode(UnitRoles));
        nodes.Add(BuildAccountNode(PolicyPrefix + PrimaryKey, PrimaryStackName, config.Build.Region, follows: true, [PrimaryKey]));
        nodes.AddRange(config.ExtraRegions.Select(r =>
            BuildAccountNode(PolicyPrefix + RegionalPrefix + r, RegionalStackName, r, follows: true, [RegionalPrefix + r])));
        var source = SourceAccountOf(config);
        if (source is not null) nodes.Add(SourceNode(source));
        // The pipeline beside policy:X, not after it: the grants are X's own, so the pipeline needs X and the roles it assumes,
        // and the source role: its first run starts when it is created, and reads through that role.
        nodes.Add(PipelineNode([.. RegionKeys, .. roles, .. source is null ? Array.Empty<string>() : [SourceKey]]));
        return nodes;
    }

    /// <summary>The deployment the kit makes of a node's stack, from its dependencies' results (<paramref name="inputs"/>,
    /// by key, as the graph hands them over: the pipeline needs the build account's stacks'); policy:X deploys X's stack as X
    /// does. Verify compares with it, deploying nothing.</summary>
    public StackDeployment Desired(string key, IReadOnlyDictionary<string, StackResult> inputs)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        var stack = key.StartsWith(PolicyPrefix, StringComparison.Ordinal) ? key[PolicyPrefix.Length..] : key;
        if (stack == PrimaryKey) return deployments.Foundation(config.Build.Region);
        if (stack.StartsWith(RegionalPrefix, StringComparison.Ordinal)) return deployments.Foundation(stack[RegionalPrefix.Length..]);
        if (stack.StartsWith(RolesPrefix, StringComparison.Ordinal))
        {
            var account = config.TargetAccounts.Single(a => a.AccountId == stack[RolesPrefix.Length..]);
            return deployments.TargetRoles(account);
        }

        if (stack == SourceKey && SourceAccountOf(config) is { } source) return deployments.SourceAccount(source, inputs[PrimaryKey]);
        return stack == PipelineKey
            ? deployments.Pipeline(RegionKeys.Select(k => inputs[k]).ToArray())
            : throw new ArgumentOutOfRangeException(nameof(key), key, "not a stack of the foundation graph");
    }

    /// <summary>The foundation stacks' keys, one per region, the build region's first (as <see cref="PipelineConfig.Regions"/>).</summary>
    private string[] RegionKeys => [PrimaryKey, .. config.ExtraRegions.Select(r => RegionalPrefix + r)];

    /// <summary>policy:X (UpdatePrimaryPolicy) follows X with the same parameters, so it changes nothing when X was deployed
    /// in this run, and otherwise brings X's grants in line with the configured target accounts.</summary>
    private StackNode BuildAccountNode(string key, string stackName, string region, bool follows, IReadOnlyList<string> dependsOn)
    {
        var location = new StackLocation(config.Build.Account, region);
        var stackRef = new StackRef(key, stackName, location);
        return new StackNode(stackRef, dependsOn, async (inputs, ct) =>
        {
            var desired = deployments.Foundation(region);
            // policy:X follows X, the same stack and template. When X's deployment in this run already left the stack
            // with exactly these parameters, there is nothing to read again.
            if (follows && inputs[dependsOn[0]].DeployedParameters is { } deployed && DeployedComparison.SameEntries(desired.Parameters, deployed, subset: true))
            {
                return inputs[dependsOn[0]] with { Outcome = StackOutcome.Unchanged, Elapsed = TimeSpan.Zero };
            }

            var cfn = await cloudFormationAt(location, ct).ConfigureAwait(false);
            return await deployer.DeployAsync(cfn, stackRef, desired, ct).ConfigureAwait(false);
        });
    }

    /// <summary>A target account's roles: they depend on no stack (their grants name buckets and key aliases by name).</summary>
    private StackNode RolesNode(TargetAccount account)
    {
        var location = new StackLocation(account.AccountId, config.Build.Region);
        var stackRef = new StackRef(RolesPrefix + account.AccountId, TargetRolesStackName, location);
        return new StackNode(stackRef, [], async (_, ct) =>
        {
            var desired = deployments.TargetRoles(account);
            var cfn = await cloudFormationAt(location, ct).ConfigureAwait(false);
            return await deployer.DeployAsync(cfn, stackRef, desired, ct).ConfigureAwait(false);
        });
    }

    /// <summary>An organizational unit's target roles: the unit's stack set, from the build account, in the build region.
    /// It follows the removal of dropped units' sets (one list call when there are none): a unit replaced by its parent
    /// would otherwise get the roles while the child's instances still hold their names.</summary>
    private StackNode UnitRolesNode(string unit, UnitRoleSets sets)
    {
        var desired = deployments.TargetRoleSet(unit, sets.CallAs);
        var stackRef = new StackRef(UnitRolesPrefix + unit, desired.Request.StackSetName, desired.Location);
        return new StackNode(stackRef, [DroppedUnitRolesKey], async (_, ct) =>
        {
            var client = await sets.At(ct).ConfigureAwait(false);
            return await sets.Deployer.DeployAsync(client, stackRef, desired, ct).ConfigureAwait(false);
        });
    }

    /// <summary>The stack sets of this pipeline's units that pipeline.json no longer names, removed (read-only when none).</summary>
    private StackNode DroppedUnitRolesNode(UnitRoleSets sets)
    {
        var stackRef = new StackRef(DroppedUnitRolesKey, KitNames.TargetRolesStackSet(config.Name, "*"), new StackLocation(config.Build.Account, config.Build.Region));
        return new StackNode(stackRef, [], async (_, ct) =>
        {
            var client = await sets.At(ct).ConfigureAwait(false);
            var dropped = await UnitStackSets.FindAsync(client, config, sets.CallAs, ct, droppedOnly: true).ConfigureAwait(false);
            return await sets.Deployer.RemoveDroppedAsync(client, stackRef, dropped, ct).ConfigureAwait(false);
        });
    }

    /// <summary>The CodeCommit source whose account gets the kit's source stack: one in another account than the build account.</summary>
    public static CodeCommitSource? SourceAccountOf(PipelineConfig config) =>
        config?.SourceAccount is not null ? (CodeCommitSource)config.Source : null;

    /// <summary>The source account's stack, from the primary stack's artifact bucket and key.</summary>
    private StackNode SourceNode(CodeCommitSource source)
    {
        var location = new StackLocation(source.Account, config.Build.Region);
        var stackRef = new StackRef(SourceKey, KitNames.SourceAccountStack(config.Name), location);
        return new StackNode(stackRef, [PrimaryKey], async (inputs, ct) =>
        {
            var desired = deployments.SourceAccount(source, inputs[PrimaryKey]);
            var cfn = await cloudFormationAt(location, ct).ConfigureAwait(false);
            return await deployer.DeployAsync(cfn, stackRef, desired, ct).ConfigureAwait(false);
        });
    }

    /// <summary>The pipeline, synthesized from the build-account stacks' outputs (one per region, primary first), after the
    /// target roles it assumes.</summary>
    private StackNode PipelineNode(IReadOnlyList<string> dependsOn)
    {
        var location = new StackLocation(config.Build.Account, config.Build.Region);
        var stackRef = new StackRef(PipelineKey, KitNames.PipelineStack(config.Name), location);
        return new StackNode(stackRef, dependsOn, async (inputs, ct) =>
        {
            var desired = deployments.Pipeline(RegionKeys.Select(k => inputs[k]).ToArray());
            var cfn = await cloudFormationAt(location, ct).ConfigureAwait(false);
            return await deployer.DeployAsync(cfn, stackRef, desired, ct).ConfigureAwait(false);
        });
    }

    /// <summary>Reads a prerequisite stack that this target does not deploy (e.g. under --exclusive).</summary>
    private StackNode Reference(StackNode node) => new(node.Ref, [], async (_, ct) =>
    {
        var cfn = await cloudFormationAt(node.Ref.Location, ct).ConfigureAwait(false);
        var stack = await deployer.ReadSettledAsync(cfn, node.Ref, ct).ConfigureAwait(false);
        if (stack is null || !stack.Status.CanBeUpdated)
        {
            var state = stack is null ? "does not exist" : $"is in {stack.Status}";
            throw new DeploymentException(DeploymentErrorCode.NeedsOperator, node.Ref.StackName, node.Ref.Location,
                $"this prerequisite {state}.", $"Run ./build.sh {TargetOf(node.Key)} first (or BootstrapAll).", stack?.Status);
        }

        return new StackResult(node.Ref.StackName, node.Ref.Location, StackOutcome.Unchanged, stack.Status, stack.Outputs, TimeSpan.Zero);
    });

    /// <summary>The target that deploys the node with this key; build.cake's dependencies between targets are the
    /// graph's edges seen through this map (a test holds them together).</summary>
    public static string TargetOf(string key) =>
        key == PrimaryKey ? nameof(KitTarget.BootstrapPrimary)
        : key.StartsWith(RegionalPrefix, StringComparison.Ordinal) ? nameof(KitTarget.RegionalStacks)
        : IsRoles(key) ? nameof(KitTarget.DeployTargetRoles)
        : key == SourceKey ? nameof(KitTarget.DeploySourceAccount)
        : key == PipelineKey ? nameof(KitTarget.CreatePipeline)
        : nameof(KitTarget.UpdatePrimaryPolicy);
}

/// <summary>What the target roles of organizational units deploy with: the build account's stack set client, CloudFormation's
/// CallAs for it (SELF or DELEGATED_ADMIN) and the stack set deployer.</summary>
public sealed record UnitRoleSets(Func<CancellationToken, Task<ICloudFormationStackSets>> At, string CallAs, IStackSetDeployer Deployer);
