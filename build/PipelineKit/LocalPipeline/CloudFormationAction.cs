namespace PipelineKit.LocalPipeline;

using Amazon.Runtime;
using PipelineKit.Aws;
using PipelineKit.Deployment;

/// <summary>
/// The CodePipeline CloudFormation deploy action (Deploy/AWS/CloudFormation/1) in the two modes the kit's pipelines use,
/// following the action reference (https://docs.aws.amazon.com/codepipeline/latest/userguide/action-reference-CloudFormation.html):
/// CHANGE_SET_REPLACE (<see cref="ChangeSetReplace"/>) and CHANGE_SET_EXECUTE (<see cref="ChangeSetExecute"/>). Every call is
/// made with the action's role (<see cref="ActionRun.Credentials"/>) in the action's region. The other modes (CREATE_UPDATE,
/// DELETE_ONLY, REPLACE_ON_FAILURE) and OutputFileName are refused by name.
/// </summary>
/// <param name="artifacts">Reads the input artifacts; stages templates over CloudFormation's inline limit in the action's store.</param>
/// <param name="cloudFormation">A CloudFormation client with the given credentials in a region (the integrator passes the factory's).</param>
/// <param name="time">The clock waits are measured on.</param>
/// <param name="policy">How often and how long to poll (<see cref="PollingPolicy.Emulator"/> against the emulator).</param>
public sealed class CloudFormationAction(
    S3ArtifactStore artifacts, Func<AWSCredentials, string, ICloudFormation> cloudFormation, TimeProvider time, PollingPolicy policy) : IActionExecutor
{
    public const string ChangeSetReplaceMode = "CHANGE_SET_REPLACE";
    public const string ChangeSetExecuteMode = "CHANGE_SET_EXECUTE";

    private static readonly string[] OtherModes = ["CREATE_UPDATE", "DELETE_ONLY", "REPLACE_ON_FAILURE"];

    public bool Handles(ActionType type) => type == ActionType.CloudFormation;

    public async Task<ActionOutcome> RunAsync(ActionRun run, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(run);
        var settings = CloudFormationSettings.Parse(run.Configuration);
        var cfn = cloudFormation(run.Credentials, run.Action.Region);
        var stack = new StackRef($"local-pipeline:{run.Action}", settings.StackName, new StackLocation(run.Action.Account, run.Action.Region));
        var context = new StackContext(cfn, stack, new Poller(time, policy), policy, new ActionLogObserver(run.Log));
        try
        {
            return settings.Mode == ChangeSetReplaceMode
                ? await new ChangeSetReplace(context, artifacts, run, settings).RunAsync(ct).ConfigureAwait(false)
                : await new ChangeSetExecute(context, run, settings).RunAsync(ct).ConfigureAwait(false);
        }
        catch (AmazonServiceException e) when (e is not Amazon.S3.AmazonS3Exception)
        {
            throw Failed(e, $"{settings.Mode} of stack {settings.StackName}");
        }
        catch (TimeoutException e)
        {
            throw new ActionFailedException("JobFailed", $"{settings.Mode} of stack {settings.StackName}: {e.Message}", e);
        }
    }

    /// <summary>A CloudFormation error as the action reports it: the error code and CloudFormation's own message.</summary>
    internal static ActionFailedException Failed(AmazonServiceException e, string what) =>
        new("JobFailed", $"{what} failed: {e.ErrorCode}: {e.Message}", e);

    /// <summary>Refuses what the local run does not do, before any call.</summary>
    internal static void RefuseUnsupported(string mode, IReadOnlyDictionary<string, string> configuration)
    {
        if (OtherModes.Contains(mode, StringComparer.Ordinal))
        {
            throw new ActionFailedException("ConfigurationError",
                $"ActionMode {mode} is not supported by the local pipeline run (it runs {ChangeSetReplaceMode} and {ChangeSetExecuteMode}).");
        }

        if (mode is not (ChangeSetReplaceMode or ChangeSetExecuteMode))
        {
            throw new ActionFailedException("ConfigurationError", $"ActionMode '{mode}' is not a CloudFormation action mode.");
        }

        if (configuration.TryGetValue("OutputFileName", out var output) && output.Length > 0)
        {
            throw new ActionFailedException("ConfigurationError",
                "OutputFileName is not supported by the local pipeline run; read the stack's outputs as the action's output variables instead.");
        }
    }
}

/// <summary>The CloudFormation action's configuration, read and checked before any call.</summary>
/// <param name="Capabilities">The Capabilities field, split at its commas.</param>
public sealed record CloudFormationSettings(
    string Mode,
    string StackName,
    string ChangeSetName,
    IReadOnlyList<string> Capabilities,
    string? RoleArn,
    ArtifactPath? TemplatePath,
    ArtifactPath? TemplateConfiguration,
    IReadOnlyDictionary<string, OverrideValue> ParameterOverrides)
{
    public static CloudFormationSettings Parse(IReadOnlyDictionary<string, string> configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var mode = Required(configuration, "ActionMode");
        CloudFormationAction.RefuseUnsupported(mode, configuration);
        var replace = mode == CloudFormationAction.ChangeSetReplaceMode;
        return new CloudFormationSettings(
            mode,
            Required(configuration, "StackName"),
            Required(configuration, "ChangeSetName"),
            Optional(configuration, "Capabilities") is { } capabilities
                ? capabilities.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                : [],
            Optional(configuration, "RoleArn"),
            replace ? ArtifactPath.Parse("TemplatePath", Required(configuration, "TemplatePath")) : null,
            replace && Optional(configuration, "TemplateConfiguration") is { } file ? ArtifactPath.Parse("TemplateConfiguration", file) : null,
            replace && Optional(configuration, "ParameterOverrides") is { } overrides
                ? LocalPipeline.ParameterOverrides.Parse(overrides)
                : new Dictionary<string, OverrideValue>());
    }

    private static string? Optional(IReadOnlyDictionary<string, string> configuration, string field) =>
        configuration.TryGetValue(field, out var value) && !string.IsNullOrWhiteSpace(value) ? value.Trim() : null;

    private static string Required(IReadOnlyDictionary<string, string> configuration, string field) =>
        Optional(configuration, field) ?? throw new ActionFailedException("ConfigurationError", $"The CloudFormation action's {field} is required and not set.");
}

/// <summary>Writes what the stack watcher reports (its progress, each stack event once) into the action's log.</summary>
internal sealed class ActionLogObserver(Action<string> log) : IDeploymentObserver
{
    public void On(DeploymentEvent deploymentEvent)
    {
        switch (deploymentEvent)
        {
            case StackProgress progress:
                log(progress.Status is { } status ? $"{progress.Message} [{status}]" : progress.Message);
                break;
            case StackResourceEvent { Event: var e }:
                log($"{e.Timestamp:HH:mm:ss} {e.LogicalResourceId} ({e.ResourceType}) {e.ResourceStatus}" +
                    (string.IsNullOrEmpty(e.ResourceStatusReason) ? "" : $": {e.ResourceStatusReason}"));
                break;
        }
    }
}
