namespace PipelineKit.Deployment;

using PipelineKit.Aws;
using PipelineKit.Errors;

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
    /// <summary>The stack does not exist and a resource it would create under a fixed name does, in a way CloudFormation
    /// cannot import (another account's bucket, a key pending deletion or disabled, an alias on another key).</summary>
    ResourceNameTaken,
}

/// <summary>A failed stack deployment: which stack, where, in which state, why, and what to do next.
/// The AWS error code, when there was one, is kept in <see cref="AwsErrorCode"/>.</summary>
public sealed class DeploymentException : KitException
{
    public DeploymentException(
        DeploymentErrorCode code,
        string stackName,
        StackLocation location,
        string message,
        string nextStep,
        StackStatus? status = null,
        string? awsErrorCode = null,
        Exception? inner = null)
        : base(code.ToString(), $"{stackName} ({location}): {message}", nextStep, inner)
    {
        Code = code;
        StackName = stackName;
        Location = location;
        Reason = message;
        NextStep = nextStep;
        Status = status;
        AwsErrorCode = awsErrorCode;
    }

    /// <summary>The code as its enum; <see cref="KitException.Code"/> is its name, the same code as a string.</summary>
    public new DeploymentErrorCode Code { get; }

    public string StackName { get; }

    public StackLocation Location { get; }

    public string Reason { get; }

    /// <summary>Every deployment failure has one.</summary>
    public override string NextStep { get; }

    public StackStatus? Status { get; }

    public string? AwsErrorCode { get; }
}
