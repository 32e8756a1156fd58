namespace PipelineKit.Naming;

using PipelineKit.Configuration;

/// <summary>
/// Every name the kit gives what it creates: stacks, buckets, key aliases, roles, policies, object prefixes. They
/// are deterministic, so every part of the kit (templates' parameters, the pipeline, the sample app, the permission
/// checks) derives them here instead of reading them back; a change of naming changes this one file and the
/// templates that spell the same names (cloudformation/*.yaml; TemplateLintTests.Templates_SpellTheNamesTheKitDerives ties them).
/// </summary>
public static class KitNames
{
    /// <summary>Where the pipeline's build stage puts the sample app's code in each region's artifact bucket.</summary>
    public const string SampleCodePrefix = "sample-app/";

    /// <summary>Where the record of direct deployments lives in each artifact bucket (SampleApp/ReleaseHistory): a prefix the
    /// build projects have no grant on, since whoever writes it chooses what Rollback --direct deploys.</summary>
    public const string ReleaseHistoryPrefix = "direct-releases/";

    /// <summary>Where the deployer stages templates over CloudFormation's inline limit: templates/STACK/HASH.yaml.</summary>
    public const string TemplatesPrefix = "templates/";

    /// <summary>The run lock's object in the source bucket (Locking/RunLock): one per pipeline name and build account, as the
    /// bucket is. The S3 source action watches its own key only, so writing this one starts no pipeline run.</summary>
    public const string RunLockKey = S3Source.ReservedPrefix + "run-lock.json";

    // Stacks.
    public static string PrimaryStack(string name) => $"pipelinekit-{name}-primary";

    public static string RegionalStack(string name) => $"pipelinekit-{name}-regional";

    public static string TargetRolesStack(string name) => $"pipelinekit-{name}-target-roles";

    /// <summary>The stack set of the target roles of an organizational unit's accounts (one per unit: each with its
    /// environments' app stacks).</summary>
    public static string TargetRolesStackSet(string name, string unit) => $"pipelinekit-{name}-target-roles-{unit}";

    /// <summary>The unit a stack set of <see cref="TargetRolesStackSet"/>'s name is for, or null when the name is not one
    /// of this pipeline's unit stack sets (another pipeline's, whose name only begins like this one's, included).</summary>
    public static string? UnitOfTargetRolesStackSet(string name, string stackSetName)
    {
        ArgumentNullException.ThrowIfNull(stackSetName);
        var prefix = TargetRolesStackSet(name, "");
        if (!stackSetName.StartsWith(prefix, StringComparison.Ordinal)) return null;
        var unit = stackSetName[prefix.Length..];
        return ConfigPatterns.OrganizationalUnitId().IsMatch(unit) ? unit : null;
    }

    /// <summary>The CodeCommit source account's stack (DeploySourceAccount): the source role and the event forwarding.</summary>
    public static string SourceAccountStack(string name) => $"pipelinekit-{name}-source";

    public static string PipelineStack(string name) => $"{name}-pipeline";

    public static string AppStack(string name, string environment) => $"{name}-{environment}-app";

    public static string AppStackArn(string name, EnvironmentSettings environment) =>
        Partitions.Arn("cloudformation", environment.Region, environment.Account, $"stack/{AppStack(name, environment.Name)}/*");

    // The pipeline itself (it shares its stack's name).
    public static string Pipeline(string name) => $"{name}-pipeline";

    /// <summary>The deploy stage of an environment that is not in a wave.</summary>
    public static string DeployStage(string environment) => $"Deploy-{environment}";

    /// <summary>The change set an environment's deploy stage creates and executes on the app stack.</summary>
    public static string PipelineChangeSet(string name, string environment) => $"{AppStack(name, environment)}-pipeline";

    // The pipeline stack's build projects, notifications and chat channel.
    public static string BuildProject(string name) => $"{name}-build";

    public static string UpdateProject(string name) => $"{name}-pipeline-update";

    public static string UpdatePolicy(string name) => $"{name}-pipeline-update";

    /// <summary>The project that checks each environment's change set for security changes (SecurityCheck target).</summary>
    public static string SecurityCheckProject(string name) => $"{name}-security-check";

    public static string SecurityCheckPolicy(string name) => $"{name}-security-check";

    /// <summary>The security gate's actions in an environment's deploy stage: the check, and the approval it gives or leaves waiting.</summary>
    public static string SecurityCheckAction(string environment) => $"SecurityCheck-{environment}";

    public static string SecurityApprovalAction(string environment) => $"SecurityApproval-{environment}";

    /// <summary>The variable namespace of an environment's security check; its SUMMARY variable goes into the approvals.</summary>
    public static string SecurityCheckNamespace(string environment) => $"SecurityCheck_{environment.Replace('-', '_')}";

    /// <summary>The project that smoke-tests each environment after its deployment (SmokeTest target), and its action.</summary>
    public static string SmokeTestProject(string name) => $"{name}-smoke-test";

    public static string SmokeTestAction(string environment) => $"SmokeTest-{environment}";

    /// <summary>The smoke test of one deployment: an organizational unit's environment has one per account.</summary>
    public static string SmokeTestAction(EnvironmentSettings environment) =>
        SmokeTestAction(environment.Name) + AccountSuffix(environment, "-");

    /// <summary>The variables namespace of one deployment's ExecuteChangeSet: an organizational unit's environment has one per account.</summary>
    public static string DeployNamespace(EnvironmentSettings environment) =>
        DeployNamespace(environment.Name) + AccountSuffix(environment, "_");

    private static string AccountSuffix(EnvironmentSettings environment, string separator) =>
        environment.IsOfOrganizationalUnit ? separator + environment.Account : "";

    /// <summary>The variable namespace of an environment's execute action: the app stack's outputs (ApiUrl, AppVersion, ...).</summary>
    public static string DeployNamespace(string environment) => $"Deploy_{environment.Replace('-', '_')}";

    public static string NotificationsTopic(string name) => $"{name}-pipeline-notifications";

    public static string NotificationRule(string name) => $"{name}-pipeline";

    /// <summary>The EventBridge rule that tells the notification topic when a smoke test action fails.</summary>
    public static string SmokeTestFailedRule(string name) => $"{name}-pipeline-smoke-test-failed";

    public static string ChatConfiguration(string name) => $"{name}-pipeline";

    /// <summary>CodePipeline keeps a pipeline's artifacts under the first 20 characters of its name in the artifact store.</summary>
    public static string PipelineArtifactPrefix(string name) => Pipeline(name) is var p && p.Length > 20 ? p[..20] : p;

    // Build account: buckets and key aliases.
    public static string ArtifactBucket(string name, string account, string region) => $"{name}-artifacts-{account}-{region}";

    public static string ArtifactBucket(PipelineConfig config, string region) => ArtifactBucket(config.Name, config.Build.Account, region);

    public static string SourceBucket(PipelineConfig config) => $"{config.Name}-source-{config.Build.Account}-{config.Build.Region}";

    public static string ArtifactKeyAlias(string name) => $"alias/{name}-artifacts";

    public static string NotificationsKeyAlias(string name) => $"alias/{name}-pipeline-notifications";

    /// <summary>The pipeline stack's notification topic, in the build account and region.</summary>
    public static string NotificationsTopicArn(PipelineConfig config) =>
        Partitions.Arn("sns", config.Build.Region, config.Build.Account, NotificationsTopic(config.Name));

    // Build account: roles and the boundary they carry. IAM is global, but its ARNs name the partition of the account's
    // regions (PipelineConfig.Partition, Partitions.Of).
    public static string RoleArn(string partition, string account, string roleName) => $"arn:{partition}:iam::{account}:role/{roleName}";

    public static string PolicyArn(string partition, string account, string policyName) => $"arn:{partition}:iam::{account}:policy/{policyName}";

    /// <summary>CodePipeline's service role; the only pipeline role the target accounts' action roles trust.</summary>
    public static string PipelineRole(string name) => $"{name}-pipeline-role";

    public static string PipelineActionsRole(string name) => $"{name}-pipeline-actions";

    public static string BuildRole(string name) => $"{name}-pipeline-build";

    public static string UpdateRole(string name) => $"{name}-pipeline-update";

    public static string ChatbotRole(string name) => $"{name}-chatbot";

    /// <summary>The security-check project's role; the only principal the target accounts' change-set readers trust.</summary>
    public static string SecurityCheckRole(string name) => $"{name}-pipeline-security-check";

    /// <summary>The smoke-test project's role: its logs and the source artifact, no account.</summary>
    public static string SmokeTestRole(string name) => $"{name}-pipeline-smoke-test";

    /// <summary>The role a person or job runs DeploySampleApp --direct as; the other principal the action roles trust.</summary>
    public static string DeployerRole(string name) => $"{name}-deployer";

    /// <summary>The role CloudFormation deploys the pipeline stack as (primary stack); self-update passes it.</summary>
    public static string PipelineExecutionRole(string name) => $"{name}-pipeline-cfn-execution";

    /// <summary>The boundary every role of the pipeline stack carries (primary stack).</summary>
    public static string PipelineBoundary(string name) => $"{name}-pipeline-boundary";

    // Target accounts.
    public static string PipelineActionRole(string name) => $"{name}-pipeline-action";

    public static string ExecutionRole(string name) => $"{name}-cfn-execution";

    /// <summary>The read-only role the security check assumes to read the app stacks' change sets (target-roles stack).</summary>
    public static string ChangeSetReaderRole(string name) => $"{name}-change-set-reader";

    public static string ChangeSetReaderRoleArn(string partition, string name, string account) => RoleArn(partition, account, ChangeSetReaderRole(name));

    /// <summary>The boundary every role the execution role creates must carry (target-roles stack).</summary>
    public static string PermissionsBoundary(string name) => $"{name}-permissions-boundary";

    /// <summary>The IAM path of the roles the pipeline's stacks create; the execution role may change only these.</summary>
    public static string AppRolePath(string name) => $"/{name}/";

    public static string PipelineActionRoleArn(string partition, string name, string account) => RoleArn(partition, account, PipelineActionRole(name));

    public static string ExecutionRoleArn(string partition, string name, string account) => RoleArn(partition, account, ExecutionRole(name));

    // A CodeCommit source in another account (source-account stack there, rule and role in the pipeline stack).

    /// <summary>The source action's role in the source account when source.roleArn is not given.</summary>
    public static string SourceActionRole(string name) => CodeCommitSource.DerivedRoleName(name);

    /// <summary>The source account's rule that forwards the branch's changes to the build account's default bus.</summary>
    public static string SourceForwardingRule(string name) => $"{name}-source-forwarding";

    /// <summary>The role EventBridge puts the forwarded events with, in the source account.</summary>
    public static string SourceForwardingRole(string name) => $"{name}-source-forwarding";

    /// <summary>The build account's rule that starts the pipeline on a forwarded change (pipeline stack).</summary>
    public static string SourceChangedRule(string name) => $"{name}-pipeline-source-changed";

    /// <summary>The role that rule starts the pipeline with (pipeline stack).</summary>
    public static string SourceChangedRole(string name) => $"{name}-pipeline-source-changed";

    /// <summary>The build account's default event bus, which receives the forwarded events.</summary>
    public static string DefaultEventBusArn(string account, string region) => Partitions.Arn("events", region, account, "event-bus/default");
}
