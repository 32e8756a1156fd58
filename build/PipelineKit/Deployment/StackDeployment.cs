namespace PipelineKit.Deployment;

using PipelineKit.Aws;

/// <summary>Where a stack lives: one account, one region.</summary>
public sealed record StackLocation(string AccountId, string Region)
{
    public override string ToString() => $"{AccountId}/{Region}";
}

/// <summary>Everything that defines a stack as the kit wants it deployed. Two deployments with equal
/// template, parameters, tags and termination protection are the same deployment. <see cref="RoleArn"/>,
/// when set, is the CloudFormation service role the change set runs as (e.g. a target account's execution role).
/// <see cref="Retained"/> lists the resources with fixed names that the template creates and that can outlive the stack:
/// before creating the stack, the kit imports those that exist (<see cref="StackAdoption"/>).</summary>
public sealed record StackDeployment(
    string StackName,
    StackLocation Location,
    string TemplateBody,
    IReadOnlyDictionary<string, string> Parameters,
    IReadOnlyDictionary<string, string> Tags,
    bool TerminationProtection,
    IReadOnlyList<string> Capabilities,
    string? RoleArn = null,
    IReadOnlyList<RetainedResource>? Retained = null)
{
    public static readonly IReadOnlyList<string> NamedIam = ["CAPABILITY_NAMED_IAM"];

    /// <summary>The outputs the stacks that depend on this one read from it. A deployed stack lacking one is redeployed
    /// even when nothing else differs, and the deployment fails, naming it, when it stays missing.</summary>
    public IReadOnlyList<string> RequiredOutputs { get; init; } = [];
}

public enum StackOutcome
{
    /// <summary>The stack did not exist and was created.</summary>
    Created,
    /// <summary>The stack existed and a change set with changes was executed.</summary>
    Updated,
    /// <summary>Nothing differed; no change was made (perhaps an empty change set, deleted again).</summary>
    Unchanged,
    /// <summary>The stack was in ROLLBACK_COMPLETE (or CREATE_FAILED), was deleted and created anew.</summary>
    Recreated,
    /// <summary>The deployment failed; see the error and next step.</summary>
    Failed,
    /// <summary>Destroy: the stack was deleted, or was gone already (then its status is null).</summary>
    Deleted,
    /// <summary>Not started because an earlier failure stopped the run, or a prerequisite failed.</summary>
    NotStarted,
}

/// <param name="DeployedParameters">Set only by the deployer, after it compared the deployed template with its own
/// or deployed its own: the stack's parameters as it left them. Null for stacks that were only read.</param>
/// <param name="Cause">For a failure the kit did not foresee (a bug, not an AWS or configuration error): the
/// exception, so the log records its stack trace.</param>
public sealed record StackResult(
    string StackName,
    StackLocation Location,
    StackOutcome Outcome,
    StackStatus? Status,
    IReadOnlyDictionary<string, string> Outputs,
    TimeSpan Elapsed,
    string? Error = null,
    string? NextStep = null,
    IReadOnlyDictionary<string, string>? DeployedParameters = null,
    Exception? Cause = null)
{
    public bool Succeeded => Outcome is StackOutcome.Created or StackOutcome.Updated or StackOutcome.Unchanged or StackOutcome.Recreated or StackOutcome.Deleted;
}
