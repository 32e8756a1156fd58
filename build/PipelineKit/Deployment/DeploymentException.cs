namespace PipelineKit.Deployment;

using PipelineKit.Aws;

/// <summary>Stable codes for deployment failures; scripts and tests match on these, not on text.</summary>
public enum DeploymentErrorCode
{
    /// <summary>The stack is in a state the kit must not repair on its own (UPDATE_ROLLBACK_FAILED, DELETE_FAILED, ...).</summary>
    NeedsOperator,
    /// <summary>CloudFormation rejected the change set (other than "no changes").</summary>
    ChangeSetFailed,
    /// <summary>The change set ran and the stack rolled back or failed.</summary>
    StackFailed,
    /// <summary>Deleting a rolled-back stack before re-creating it failed.</summary>
    DeleteFailed,
    /// <summary>A wait passed its deadline.</summary>
    Timeout,
    /// <summary>The template is over CloudFormation's inline limit and no template bucket is available.</summary>
    TemplateTooLarge,
    /// <summary>An AWS call failed with an error the deployer does not handle.</summary>
    AwsError,
}

/// <summary>A failed stack deployment: which stack, where, in which state, why, and what to do next.
/// The AWS error code, when there was one, is kept in <see cref="AwsErrorCode"/>.</summary>
public sealed class DeploymentException(
    DeploymentErrorCode code,
    string stackName,
    StackLocation location,
    string message,
    string nextStep,
    StackStatus? status = null,
    string? awsErrorCode = null,
    Exception? inner = null)
    : Exception($"{stackName} ({location}): {message}", inner)
{
    public DeploymentErrorCode Code { get; } = code;
    public string StackName { get; } = stackName;
    public StackLocation Location { get; } = location;
    public string Reason { get; } = message;
    public string NextStep { get; } = nextStep;
    public StackStatus? Status { get; } = status;
    public string? AwsErrorCode { get; } = awsErrorCode;
}
