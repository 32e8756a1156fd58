namespace PipelineKit.Errors;

/// <summary>
/// Every failure the kit reports: a stable <see cref="Code"/> (listed in <see cref="ErrorCodes"/>) that scripts and
/// logs match on, the next step when the message does not already end with it, and the exception underneath (an AWS
/// error, a pipeline run's failure) kept as <see cref="Exception.InnerException"/>. Its <see cref="Failure"/> class
/// decides the process's exit code (<see cref="ExitCodes"/>).
/// </summary>
public abstract class KitException : Exception
{
    protected KitException(string code, string message, string? nextStep = null, Exception? inner = null)
        : base(message, inner)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(code);
        Code = code;
        NextStep = nextStep;
    }

    /// <summary>Stable for scripts and logs; one of <see cref="ErrorCodes"/>.</summary>
    public string Code { get; }

    /// <summary>What to do about it, when known.</summary>
    public virtual string? NextStep { get; }

    /// <summary>The class of failure the code belongs to; <see cref="FailureClass.Failed"/> for a code the registry
    /// does not list (a test keeps every code listed).</summary>
    public FailureClass Failure => ErrorCodes.Find(Code)?.Failure ?? FailureClass.Failed;
}
