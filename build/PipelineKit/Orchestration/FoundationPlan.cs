namespace PipelineKit.Orchestration;

using PipelineKit.Naming;
using PipelineKit.Aws;
using PipelineKit.Configuration;
using PipelineKit.Deployment;

/// <summary>The build targets the engine knows. Names are part of the kit's contract.</summary>
public enum KitTarget { BootstrapPrimary, RegionalStacks, DeployTargetRoles, UpdatePrimaryPolicy, CreatePipeline, BootstrapAll, DeploySampleApp }

/// <summary>
/// Turns a validated configuration into the graph of foundation stacks for a target:
/// primary (build account, build region), regional:REGION (build account, each extra region),
/// roles:ACCOUNT (each target account), and policy:primary / policy:regional:REGION, which
/// check that the build account's grants match the target roles (UpdatePrimaryPolicy; unchanged
/// when they do), and pipeline, the CDK-synthesized pipeline stack in the build account's primary region.
/// Stack and role names are deterministic; everything else comes from dependency outputs.
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

    public string PrimaryStackName => KitNames.PrimaryStack(config.Name);
    public string RegionalStackName => KitNames.RegionalStack(config.Name);
    public string TargetRolesStackName => KitNames.TargetRolesStack(config.Name);

    /// <summary>The same graph run by another deployer, e.g. a planner that answers with what would happen.</summary>
    public FoundationPlan WithDeployer(IStackDeployer other) => new(config, cloudFormationAt, other, synthesizePipeline);

    private StackLocation Primary => new(config.Build.Account, config.Build.Region);

    /// <summary>The stacks a target deploys. Dependencies outside the target that are not in
    /// <paramref name="known"/> (results of earlier targets in this process) are read, not deployed.</summary>
    public IReadOnlyList<StackNode> For(KitTarget target, IReadOnlyDictionary<string, StackResult> known)
    {
        var all = AllNodes();
        var wanted = target switch
        {
            KitTarget.BootstrapPrimary => all.Where(n => n.Key == PrimaryKey),
            KitTarget.RegionalStacks => all.Where(n => n.Key.StartsWith(RegionalPrefix, StringComparison.Ordinal)),
            KitTarget.DeployTargetRoles => all.Where(n => n.Key.StartsWith(RolesPrefix, StringComparison.Ordinal)),
            KitTarget.UpdatePrimaryPolicy => all.Where(n => n.Key.StartsWith(PolicyPrefix, StringComparison.Ordinal)),
            KitTarget.CreatePipeline => all.Where(n => n.Key == PipelineKey),
            KitTarget.BootstrapAll => all,
            _ => throw new ArgumentOutOfRangeException(nameof(target), target, null),
        };
        var nodes = wanted.ToList();
        var present = nodes.Select(n => n.Key).ToHashSet(StringComparer.Ordinal);
        var missing = nodes.SelectMany(n => n.DependsOn).Distinct().Where(k => !present.Contains(k) && !known.ContainsKey(k)).ToList();
        var references = all.Where(n => missing.Contains(n.Key)).Select(Reference).ToList();
        return [.. references, .. nodes];
    }

    private List<StackNode> AllNodes()
    {
        var regional = config.ExtraRegions.Select(r => RegionalPrefix + r).ToArray();
        var roles = config.TargetAccounts.Select(a => RolesPrefix + a.AccountId).ToArray();
        var nodes = new List<StackNode>
        {
            BuildAccountNode(PrimaryKey, PrimaryStackName, config.Build.Region, Templates.Foundation, "primary", follows: false, []),
        };
        nodes.AddRange(config.ExtraRegions.Select(r =>
            BuildAccountNode(RegionalPrefix + r, RegionalStackName, r, Templates.Foundation, "regional", follows: false, [])));
        nodes.AddRange(config.TargetAccounts.Select(a => RolesNode(a, [PrimaryKey, .. regional])));
        nodes.Add(BuildAccountNode(PolicyPrefix + PrimaryKey, PrimaryStackName, config.Build.Region, Templates.Foundation, "primary",
            follows: true, [PrimaryKey, .. roles]));
        nodes.AddRange(config.ExtraRegions.Select(r =>
            BuildAccountNode(PolicyPrefix + RegionalPrefix + r, RegionalStackName, r, Templates.Foundation, "regional",
                follows: true, [RegionalPrefix + r, .. roles])));
        nodes.Add(PipelineNode([PolicyPrefix + PrimaryKey, .. config.ExtraRegions.Select(r => PolicyPrefix + RegionalPrefix + r)]));
        return nodes;
    }

    /// <summary>The build account's key and bucket policies grant each target account as principal with an
    /// aws:PrincipalArn condition naming the exact roles: IAM accepts that before the roles exist, and it still matches a
    /// role deleted and created again (a role principal is stored as the role's unique id, which then no longer matches).
    /// policy:X (UpdatePrimaryPolicy) follows X with the same parameters, so it changes nothing unless the roles did.</summary>
    private StackNode BuildAccountNode(string key, string stackName, string region, string template, string component, bool follows,
        IReadOnlyList<string> dependsOn)
    {
        var location = new StackLocation(config.Build.Account, region);
        var stackRef = new StackRef(key, stackName, location);
        return new StackNode(stackRef, dependsOn, async (inputs, ct) =>
        {
            // policy:X follows X, the same stack and template. When X's deployment in this run already left the stack
            // with exactly these parameters, there is nothing to read again.
            if (follows && inputs[dependsOn[0]].DeployedParameters is { } deployed && DeployedComparison.SameEntries(GrantParameters(component), deployed, subset: true))
            {
                return inputs[dependsOn[0]] with { Outcome = StackOutcome.Unchanged, Elapsed = TimeSpan.Zero };
            }

            var cfn = await cloudFormationAt(location, ct).ConfigureAwait(false);
            return await deployer.DeployAsync(cfn, stackRef, new StackDeployment(
                stackName, location, template, GrantParameters(component),
                Tags(component), TerminationProtection: true, StackDeployment.NamedIam), ct).ConfigureAwait(false);
        });
    }

    private Dictionary<string, string> GrantParameters(string component) =>
        new Dictionary<string, string>
        {
            ["StackRole"] = component,
            ["PipelineName"] = config.Name,
            ["TargetAccountIds"] = string.Join(",", config.TargetAccounts.Select(a => a.AccountId)),
            ["TargetRoleArns"] = TargetRoleArns,
            ["TargetPrincipals"] = string.Join(",", config.TargetAccounts.Select(a => $"arn:aws:iam::{a.AccountId}:root")),
            ["ArtifactRetentionDays"] = config.ArtifactRetentionDays.ToString(System.Globalization.CultureInfo.InvariantCulture),
        }.Concat(component == "primary" ? PrimaryOnlyParameters : [])
            .ToDictionary();

    /// <summary>What the primary stack needs beyond the grants: the roles and key the pipeline stack uses are made
    /// there, outside what the pipeline stack (and so its self-update) may change.</summary>
    private KeyValuePair<string, string>[] PrimaryOnlyParameters =>
    [
        .. SourceParameters,
        KeyValuePair.Create("DeployerPrincipalArns", string.Join(",", config.Deployers)),
        KeyValuePair.Create("PipelineArtifactPrefix", KitNames.PipelineArtifactPrefix(config.Name)),
        KeyValuePair.Create("SlackNotifications", config.Notifications.Slack is null ? "false" : "true"),
    ];

    /// <summary>Every source parameter (SourceRoleArn, SourceConnectionArn), set from the configured source and "" where
    /// it is another kind's, so that changing the kind of source clears them.</summary>
    private IEnumerable<KeyValuePair<string, string>> SourceParameters =>
        SourceKinds.FoundationParameterNames.Select(name =>
            KeyValuePair.Create(name, config.Source.FoundationParameters.GetValueOrDefault(name) ?? ""));

    private string TargetRoleArns => string.Join(",", config.TargetAccounts.SelectMany(a => new[]
    {
        KitNames.PipelineActionRoleArn(config.Name, a.AccountId),
        KitNames.ExecutionRoleArn(config.Name, a.AccountId),
    }));

    private StackNode RolesNode(TargetAccount account, IReadOnlyList<string> dependsOn)
    {
        var location = new StackLocation(account.AccountId, config.Build.Region);
        var stackRef = new StackRef(RolesPrefix + account.AccountId, TargetRolesStackName, location);
        return new StackNode(stackRef, dependsOn, async (inputs, ct) =>
        {
            var regions = dependsOn.Select(k => inputs[k]).ToArray();
            var buckets = regions.Select(r => Output(r, "ArtifactBucketArn")).ToArray();
            var cfn = await cloudFormationAt(location, ct).ConfigureAwait(false);
            return await deployer.DeployAsync(cfn, stackRef, new StackDeployment(
                TargetRolesStackName, location, Templates.TargetRoles,
                new Dictionary<string, string>
                {
                    ["PipelineName"] = config.Name,
                    ["BuildAccountId"] = config.Build.Account,
                    ["ArtifactBucketArns"] = string.Join(",", buckets),
                    ["ArtifactObjectArns"] = string.Join(",", buckets.Select(b => b + "/*")),
                    ["ArtifactKeyArns"] = string.Join(",", regions.Select(r => Output(r, "ArtifactKeyArn"))),
                    ["ExecutionPolicyArns"] = string.Join(",", config.CloudFormationExecution.ManagedPolicyArns),
                    ["PermissionsBoundaryArn"] = config.CloudFormationExecution.PermissionsBoundaryArn ?? "",
                    ["AppStackArns"] = string.Join(",", config.Environments
                        .Where(e => e.Account == account.AccountId)
                        .Select(e => KitNames.AppStackArn(config.Name, e))),
                },
                Tags("target-roles"), TerminationProtection: true, StackDeployment.NamedIam), ct).ConfigureAwait(false);
        });
    }

    /// <summary>The pipeline, synthesized from the narrowed build-account stacks' outputs (one per region, primary first).</summary>
    private StackNode PipelineNode(IReadOnlyList<string> dependsOn)
    {
        var location = new StackLocation(config.Build.Account, config.Build.Region);
        var stackRef = new StackRef(PipelineKey, KitNames.PipelineStack(config.Name), location);
        return new StackNode(stackRef, dependsOn, async (inputs, ct) =>
        {
            var keys = config.Regions.Zip(dependsOn).ToDictionary(p => p.First, p => Output(inputs[p.Second], "ArtifactKeyArn"), StringComparer.Ordinal);
            var template = synthesizePipeline(FoundationOutputs.FromNames(config, keys, Output(inputs[dependsOn[0]], "NotificationsKeyArn")));
            var cfn = await cloudFormationAt(location, ct).ConfigureAwait(false);
            // CloudFormation deploys it as the primary stack's execution role, whoever runs CreatePipeline: the
            // self-update stage may then create change sets without holding any IAM write itself.
            return await deployer.DeployAsync(cfn, stackRef, new StackDeployment(
                stackRef.StackName, location, template, new Dictionary<string, string>(), Tags("pipeline"),
                TerminationProtection: true, StackDeployment.NamedIam,
                RoleArn: KitNames.RoleArn(config.Build.Account, KitNames.PipelineExecutionRole(config.Name))), ct).ConfigureAwait(false);
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
        : key.StartsWith(RolesPrefix, StringComparison.Ordinal) ? nameof(KitTarget.DeployTargetRoles)
        : key == PipelineKey ? nameof(KitTarget.CreatePipeline)
        : nameof(KitTarget.UpdatePrimaryPolicy);

    private static string Output(StackResult result, string name) =>
        result.Outputs.TryGetValue(name, out var value)
            ? value
            : throw new DeploymentException(DeploymentErrorCode.NeedsOperator, result.StackName, result.Location,
                $"the stack has no output {name}.", "Re-run BootstrapAll; if the output is still missing, the stack's template is not the kit's.");

    private Dictionary<string, string> Tags(string component) => new()
    {
        ["pipelinekit:pipeline"] = config.Name,
        ["pipelinekit:component"] = component,
    };
}
