namespace PipelineKit.Pipeline;

using PipelineKit.Errors;

/// <summary>A pipeline run ended Failed, Stopped, Cancelled or Superseded, or none could be followed. The message names
/// the stage and action, the error CodePipeline recorded, and what to do next. <see cref="KitException.Code"/> is stable:
/// "PipelineRunFailed", "PipelineRunStopped", "PipelineRunCancelled", "PipelineRunSuperseded", "PipelineNotFound",
/// "PipelineBusy".</summary>
public sealed class PipelineRunFailedException(string code, string message, string? pipelineExecutionId = null, string? stage = null,
    string? action = null, string? errorCode = null, Exception? inner = null)
    : KitException(code, message, NextStepIn(message), inner)
{
    public string? PipelineExecutionId { get; } = pipelineExecutionId;

    public string? Stage { get; } = stage;

    public string? Action { get; } = action;

    /// <summary>The action's error code as CodePipeline reported it (errorDetails.code), when one failed.</summary>
    public string? ErrorCode { get; } = errorCode;

    /// <summary>The follower ends every message with "Next: what to do."; that sentence is the next step.</summary>
    private static string? NextStepIn(string message)
    {
        var at = message.LastIndexOf("Next: ", StringComparison.Ordinal);
        return at < 0 ? null : message[(at + "Next: ".Length)..];
    }
}
