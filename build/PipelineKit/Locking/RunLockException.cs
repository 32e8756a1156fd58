namespace PipelineKit.Locking;

using PipelineKit.Errors;

/// <summary>The run could not have the lock (another run holds it), or lost it while it worked.</summary>
public sealed class RunLockException(ErrorKind kind, string message, string nextStep) : KitException(kind.Code, message, nextStep);
