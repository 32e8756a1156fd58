namespace PipelineKit.Configuration;

/// <summary>
/// The user's pipeline.json after validation: immutable, complete (defaults applied) and
/// consistent. Decisions the engine takes are derived properties here, computed from the fields on each read:
/// they are cheap, and a cached value would go stale in a copy made with <c>with</c>.
/// Produced only by <see cref="PipelineConfigLoader"/>.
/// </summary>
public sealed record PipelineConfig
{
    /// <summary>Absolute path of the file this came from (or "embedded:sandbox.pipeline.json").</summary>
    public required string SourceFile { get; init; }

    /// <summary>Lower-case letters, digits and hyphens; prefixes every stack, bucket and role name.</summary>
    public required string Name { get; init; }

    public required BuildSettings Build { get; init; }

    /// <summary>Role assumed in a target account that names neither profile nor roleArn.</summary>
    public required string AssumeRoleName { get; init; }

    /// <summary>In pipeline order.</summary>
    public required IReadOnlyList<EnvironmentSettings> Environments { get; init; }

    public required SourceSettings Source { get; init; }

    public required NotificationSettings Notifications { get; init; }

    public required ExecutionRoleSettings CloudFormationExecution { get; init; }

    /// <summary>Days after which non-current artifact versions expire.</summary>
    public int ArtifactRetentionDays { get; init; } = 30;

    /// <summary>The pipeline re-runs CreatePipeline from its own source before it deploys (stage UpdatePipeline).</summary>
    public bool SelfUpdate { get; init; }

    /// <summary>A deploy stage that fails rolls back to the last execution that succeeded in it (CodePipeline V2's stage
    /// OnFailure ROLLBACK), so a failed smoke test leaves the environment on the version it had.</summary>
    public bool RollbackOnFailure { get; init; } = true;

    /// <summary>The build account's roles and users that may assume NAME-deployer, the role DeploySampleApp --direct acts
    /// as; none by default, and then the deployer role is not created.</summary>
    public IReadOnlyList<string> Deployers { get; init; } = [];

    /// <summary>The AWS Organization the target accounts belong to (o-...), or null. When set, the build account's key and
    /// bucket grants name the organization (aws:PrincipalOrgID) instead of every target account, so they keep one size.</summary>
    public string? OrganizationId { get; init; }

    /// <summary>True when environments are grouped in waves: one deploy stage per wave instead of one per environment.</summary>
    public bool UsesWaves => Environments.Count > 0 && Environments.All(e => e.Wave is not null);

    /// <summary>The deploy stages in pipeline order: one per wave (ascending) when waves are set, else one per environment
    /// (an organizational unit's accounts together), each split in as many stages as CodePipeline's actions limit needs
    /// (<see cref="DeployStagePlan"/>).</summary>
    public IReadOnlyList<DeployStage> DeployStages =>
        UsesWaves
            ? Environments.GroupBy(e => e.Wave!.Value).OrderBy(g => g.Key)
                .SelectMany(g => DeployStagePlan.Split($"Deploy-wave{g.Key}", g.Key, g.ToArray())).ToArray()
            : Environments.GroupBy(e => e.Name, StringComparer.Ordinal)
                .SelectMany(g => DeployStagePlan.Split($"Deploy-{g.Key}", null, g.ToArray())).ToArray();

    /// <summary>The AWS partition of the build region, which every region of the configuration shares (the loader refuses
    /// mixing partitions): the second field of every ARN the kit builds (aws, aws-cn or aws-us-gov).</summary>
    public string Partition => KnownRegions.PartitionOf(Build.Region);

    /// <summary>The build region first, then every other environment region, in first-use order.</summary>
    public IReadOnlyList<string> Regions =>
        new[] { Build.Region }.Concat(Environments.Select(e => e.Region)).Distinct(StringComparer.Ordinal).ToArray();

    /// <summary>Regions that need their own artifact key and bucket (every region but the build region).</summary>
    public IReadOnlyList<string> ExtraRegions => Regions.Skip(1).ToArray();

    /// <summary>The account of a CodeCommit source in another account than the build account, where the kit deploys
    /// the source stack (DeploySourceAccount); null for every other source.</summary>
    public string? SourceAccount =>
        Source is CodeCommitSource source && source.InOtherAccountThan(Build.Account) ? source.Account : null;

    /// <summary>Each organizational unit's path in the organization as aws:PrincipalOrgPaths spells it
    /// ("o-a1b2c3d4e5/r-ab12/ou-ab12-11111111/"), known once the units are resolved; empty before.</summary>
    public IReadOnlyDictionary<string, string> OrganizationalUnitPaths { get; init; } = new Dictionary<string, string>();

    /// <summary>Some environment names an organizational unit instead of an account.</summary>
    public bool HasOrganizationalUnits => Environments.Any(e => e.OrganizationalUnit is not null);

    /// <summary>The organizational units the environments name, in first-use order.</summary>
    public IReadOnlyList<string> OrganizationalUnits =>
        Environments.Select(e => e.OrganizationalUnit).OfType<string>().Distinct(StringComparer.Ordinal).ToArray();

    /// <summary>Every environment has its account: none names an organizational unit, or the units were resolved
    /// (<see cref="WithUnitAccounts"/>).</summary>
    public bool IsResolved => Environments.All(e => e.Account.Length > 0);

    /// <summary>This configuration with each environment of an organizational unit replaced by one environment per account of
    /// the unit (<paramref name="accounts"/>, by unit id), in that order: the same name, region and settings, and the unit
    /// kept. Account environments stay as they are.</summary>
    /// <param name="paths">Each unit's path in the organization (<see cref="OrganizationalUnitPaths"/>).</param>
    public PipelineConfig WithUnitAccounts(IReadOnlyDictionary<string, IReadOnlyList<string>> accounts, IReadOnlyDictionary<string, string>? paths = null)
    {
        ArgumentNullException.ThrowIfNull(accounts);
        return this with
        {
            OrganizationalUnitPaths = paths ?? OrganizationalUnitPaths,
            Environments = Environments.SelectMany(e => e.OrganizationalUnit is null || e.Account.Length > 0
                ? [e]
                : accounts[e.OrganizationalUnit].Select(a => e with { Account = a })).ToArray(),
        };
    }

    /// <summary>One entry per distinct target account, in first-use order; roles are per account, not per environment.
    /// The accounts of organizational units count once resolved (<see cref="WithUnitAccounts"/>).</summary>
    public IReadOnlyList<TargetAccount> TargetAccounts =>
        Environments
            .Where(e => e.Account.Length > 0)
            .GroupBy(e => e.Account, StringComparer.Ordinal)
            .Select(g => new TargetAccount(
                g.Key,
                g.Select(e => e.Profile).FirstOrDefault(p => p is not null),
                g.Select(e => e.RoleArn).FirstOrDefault(r => r is not null),
                g.Select(e => e.Name).ToArray(),
                g.Select(e => e.Region).Distinct(StringComparer.Ordinal).ToArray()))
            .ToArray();
}

/// <summary>The build (tooling) account: where the pipeline, artifact keys and buckets live.</summary>
public sealed record BuildSettings(string Account, string Region, string? Profile);

public sealed record EnvironmentSettings(
    string Name,
    string Account,
    string Region,
    string? Profile = null,
    string? RoleArn = null,
    bool Approval = false,
    int? Wave = null,
    int? ApprovalTimeoutMinutes = null,
    SecurityApproval SecurityApproval = SecurityApproval.Broadening,
    string? OrganizationalUnit = null)
{
    /// <summary>Set when the environment deploys to the accounts of this organizational unit: <see cref="Account"/> is then
    /// one of them once the unit is resolved (<see cref="PipelineConfig.WithUnitAccounts"/>), empty before.</summary>
    public bool IsOfOrganizationalUnit => OrganizationalUnit is not null;

    /// <summary>The pipeline checks this environment's change set for security changes before it executes.</summary>
    public bool HasSecurityCheck => SecurityApproval != SecurityApproval.Never;
}

/// <summary>When an environment's change set waits for a person to approve its security changes
/// (<c>environments[].securityApproval</c>), as CDK Pipelines' ConfirmPermissionsBroadening.</summary>
public enum SecurityApproval
{
    /// <summary>Only when the change set widens permissions; otherwise the check approves it itself.</summary>
    Broadening,

    /// <summary>Every time; the check still runs and sends its diff.</summary>
    Always,

    /// <summary>No check and no approval.</summary>
    Never,
}

/// <summary>One deploy stage: a wave of environments deployed in parallel, or a single environment (with an organizational
/// unit's, one entry per account). <paramref name="Approvals"/>: the environments whose approval this stage holds; an
/// environment split over several stages is approved once, in its first.</summary>
public sealed record DeployStage(string Name, int? Wave, IReadOnlyList<EnvironmentSettings> Environments)
{
    public IReadOnlyList<EnvironmentSettings> Approvals { get; init; } = Environments.Where(e => e.Approval).ToArray();
}

/// <summary>A target account with how to reach it. Profile wins over RoleArn; with neither, the kit
/// assumes arn:PARTITION:iam::ACCOUNT:role/AssumeRoleName from the build session.</summary>
public sealed record TargetAccount(
    string AccountId,
    string? Profile,
    string? RoleArn,
    IReadOnlyList<string> EnvironmentNames,
    IReadOnlyList<string> Regions);

public sealed record NotificationSettings(IReadOnlyList<string> Emails, SlackSettings? Slack = null);

/// <summary>A Slack channel that AWS Chatbot posts the pipeline's notifications to.</summary>
public sealed record SlackSettings(string WorkspaceId, string ChannelId);

/// <summary>What the CloudFormation execution role in each target account may do.</summary>
public sealed record ExecutionRoleSettings(IReadOnlyList<string> ManagedPolicyArns, string? PermissionsBoundaryArn);
