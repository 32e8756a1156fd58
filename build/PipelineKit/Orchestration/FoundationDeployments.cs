namespace PipelineKit.Orchestration;

using PipelineKit.Aws;
using PipelineKit.Configuration;
using PipelineKit.Deployment;
using PipelineKit.Naming;

/// <summary>
/// What the kit deploys as each stack of the foundation graph (template, parameters, tags, termination protection, the
/// role CloudFormation runs as), from the configuration and the results of the stacks it depends on. The graph deploys
/// these (<see cref="FoundationPlan"/>); Verify compares what is deployed with them.
/// </summary>
/// <param name="synthesizePipeline">Synthesizes the pipeline stack's template from the foundation's outputs.</param>
public sealed class FoundationDeployments(PipelineConfig config, Func<FoundationOutputs, string> synthesizePipeline)
{
    // The build account's stacks' outputs the graph reads: every region's bucket and key for the target roles and the
    // pipeline, the primary's notifications key for the pipeline.
    private const string ArtifactBucketArn = "ArtifactBucketArn";
    private const string ArtifactKeyArn = "ArtifactKeyArn";
    private const string NotificationsKeyArn = "NotificationsKeyArn";

    /// <summary>The build account's stack of <paramref name="region"/>: primary in the build region, regional elsewhere.
    /// Its key and bucket policies grant every principal narrowed by conditions: aws:PrincipalArn like the exact role names,
    /// in the target accounts (aws:PrincipalAccount) or their organization (aws:PrincipalOrgID). IAM accepts that before the
    /// roles exist, it still matches a role deleted and created again (a role principal is stored as the role's unique id,
    /// which then no longer matches), and it grows 13 bytes an account, or not at all with an organization.</summary>
    public StackDeployment Foundation(string region)
    {
        var primary = region == config.Build.Region;
        var component = primary ? "primary" : "regional";
        return new StackDeployment(primary ? KitNames.PrimaryStack(config.Name) : KitNames.RegionalStack(config.Name),
            new StackLocation(config.Build.Account, region), Templates.Foundation, GrantParameters(component),
            Tags(component), TerminationProtection: true, StackDeployment.NamedIam, Retained: FoundationRetained(region, primary))
        {
            RequiredOutputs = primary ? [ArtifactBucketArn, ArtifactKeyArn, NotificationsKeyArn] : [ArtifactBucketArn, ArtifactKeyArn],
        };
    }

    /// <summary>foundation.yaml's resources with fixed names: the buckets and the artifact key (DeletionPolicy: Retain)
    /// outlive the stack; the primary's named roles only when a deletion left them behind. The notification key has no
    /// fixed name and is deleted with the stack, its alias with it.</summary>
    private RetainedResource[] FoundationRetained(string region, bool primary)
    {
        var name = config.Name;
        RetainedResource[] regional =
        [
            RetainedResource.Bucket("ArtifactBucket", KitNames.ArtifactBucket(config, region), encryptedBy: "ArtifactKey"),
            RetainedResource.Key("ArtifactKey", KitNames.ArtifactKeyAlias(name), "ArtifactKeyAlias"),
        ];
        if (!primary) return regional;
        return
        [
            .. regional,
            RetainedResource.Bucket("SourceBucket", KitNames.SourceBucket(config), encryptedBy: "ArtifactKey"),
            RetainedResource.Role("PipelineExecutionRole", KitNames.PipelineExecutionRole(name)),
            .. config.Deployers.Count > 0 ? [RetainedResource.Role("DeployerRole", KitNames.DeployerRole(name))] : Array.Empty<RetainedResource>(),
        ];
    }

    /// <summary>The target roles of one account. Their grants name the build account's buckets by their fixed names and its
    /// keys as the build account's keys of each region (the key policies narrow them to the artifact keys), so the stack needs nothing from the build account's stacks and deploys beside them.</summary>
    public StackDeployment TargetRoles(TargetAccount account)
    {
        ArgumentNullException.ThrowIfNull(account);
        return new StackDeployment(
            KitNames.TargetRolesStack(config.Name), new StackLocation(account.AccountId, config.Build.Region), Templates.TargetRoles,
            TargetRoleParameters(config.Environments.Where(e => e.Account == account.AccountId).Select(e => KitNames.AppStackArn(config.Name, e))),
            Tags("target-roles"), TerminationProtection: true, StackDeployment.NamedIam,
            Retained:
            [
                RetainedResource.Role("PipelineActionRole", KitNames.PipelineActionRole(config.Name)),
                RetainedResource.Role("ChangeSetReaderRole", KitNames.ChangeSetReaderRole(config.Name)),
                RetainedResource.Role("CloudFormationExecutionRole", KitNames.ExecutionRole(config.Name)),
            ]);
    }

    /// <summary>The target roles of every account of an organizational unit: one service-managed stack set in the build
    /// account, its instances in the build region, with the same template as an account's roles stack. CloudFormation gives
    /// every instance the same parameters, so the app stacks are named in any account ("*"): a role acts on its own account's
    /// stacks only (CloudFormation has no cross-account stack access), so "*" names the same stacks as the account would.</summary>
    public StackSetDeployment TargetRoleSet(string unit, string callAs)
    {
        var location = new StackLocation(config.Build.Account, config.Build.Region);
        var environments = config.Environments.Where(e => e.OrganizationalUnit == unit).ToArray();
        var request = new StackSetRequest(
            KitNames.TargetRolesStackSet(config.Name, unit), Templates.TargetRoles,
            TargetRoleParameters(environments.Select(e => KitNames.AppStackArn(config.Name, e with { Account = "*" })).Distinct(StringComparer.Ordinal)),
            Tags("target-roles"), StackDeployment.NamedIam, callAs,
            $"PipelineKit {config.Name}: the pipeline's target roles in every account of {unit}");
        return new StackSetDeployment(request, unit, config.Build.Region,
            environments.Select(e => e.Account).Where(a => a.Length > 0).Distinct(StringComparer.Ordinal).ToArray(), location);
    }

    /// <summary>target-roles.yaml's parameters: the build account's buckets by their fixed names and its keys as the build
    /// account's keys of each region (the key policies narrow them to the artifact keys), and the app stacks of the account.</summary>
    private Dictionary<string, string> TargetRoleParameters(IEnumerable<string> appStackArns)
    {
        var buckets = config.Regions.Select(r => Partitions.BucketArn(config.Partition, KitNames.ArtifactBucket(config, r))).ToArray();
        return new Dictionary<string, string>
        {
            ["PipelineName"] = config.Name,
            [StackSetDeployer.BuildAccountParameter] = config.Build.Account,
            ["ArtifactBucketArns"] = string.Join(",", buckets),
            ["ArtifactObjectArns"] = string.Join(",", buckets.Select(b => b + "/*")),
            ["ArtifactKeyArns"] = string.Join(",", config.Regions.Select(r => Partitions.Arn("kms", r, config.Build.Account, "key/*"))),
            ["ExecutionPolicyArns"] = string.Join(",", config.CloudFormationExecution.ManagedPolicyArns),
            ["PermissionsBoundaryArn"] = config.CloudFormationExecution.PermissionsBoundaryArn ?? "",
            ["AppStackArns"] = string.Join(",", appStackArns),
        };
    }

    /// <summary>A CodeCommit source account's stack (build region): the source action's role, writing into the primary
    /// stack's artifact bucket with its key (<paramref name="primary"/>'s outputs), and the forwarding of the branch's changes.</summary>
    public StackDeployment SourceAccount(CodeCommitSource source, StackResult primary)
    {
        ArgumentNullException.ThrowIfNull(source);
        var (path, roleName) = source.RolePathAndName;
        return new StackDeployment(
            KitNames.SourceAccountStack(config.Name), new StackLocation(source.Account, config.Build.Region), Templates.SourceAccount,
            new Dictionary<string, string>
            {
                ["PipelineName"] = config.Name,
                [StackSetDeployer.BuildAccountParameter] = config.Build.Account,
                ["RepositoryName"] = source.Repository,
                ["BranchName"] = source.Branch,
                ["SourceRoleName"] = roleName,
                ["SourceRolePath"] = path,
                ["ArtifactBucketArn"] = Output(primary, ArtifactBucketArn),
                ["PipelineArtifactPrefix"] = KitNames.PipelineArtifactPrefix(config.Name),
                ["ArtifactKeyArn"] = Output(primary, ArtifactKeyArn),
            },
            Tags("source-account"), TerminationProtection: true, StackDeployment.NamedIam,
            Retained:
            [
                RetainedResource.Role("SourceActionRole", roleName),
                RetainedResource.Role("ForwardingRole", KitNames.SourceForwardingRole(config.Name)),
            ]);
    }

    /// <summary>The pipeline, synthesized from the narrowed foundation stacks' outputs.</summary>
    /// <param name="regions">Their results, one per region, the build region's first.</param>
    public StackDeployment Pipeline(IReadOnlyList<StackResult> regions)
    {
        var keys = config.Regions.Zip(regions).ToDictionary(p => p.First, p => Output(p.Second, ArtifactKeyArn), StringComparer.Ordinal);
        var template = synthesizePipeline(FoundationOutputs.FromNames(config, keys, Output(regions[0], NotificationsKeyArn)));
        // CloudFormation deploys it as the primary stack's execution role, whoever runs CreatePipeline: the
        // self-update stage may then create change sets without holding any IAM write itself.
        return new StackDeployment(
            KitNames.PipelineStack(config.Name), new StackLocation(config.Build.Account, config.Build.Region), template,
            new Dictionary<string, string>(), Tags("pipeline"), TerminationProtection: true, StackDeployment.NamedIam,
            RoleArn: KitNames.RoleArn(config.Partition, config.Build.Account, KitNames.PipelineExecutionRole(config.Name)));
    }

    private Dictionary<string, string> GrantParameters(string component) =>
        new Dictionary<string, string>
        {
            ["StackRole"] = component,
            ["PipelineName"] = config.Name,
            ["ArtifactRetentionDays"] = config.ArtifactRetentionDays.ToString(System.Globalization.CultureInfo.InvariantCulture),
        }.Concat(GrantLimits.TargetParameters(config))
            .Concat(component == "primary" ? PrimaryOnlyParameters : [])
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
