namespace PipelineKit.Reporting;

using PipelineKit.Errors;

/// <summary>A target did not finish: failed or not-started stacks (the summary printed before it says which and why),
/// a pipeline run that failed, the sample app's build, the kit's tests, or Ctrl+C.</summary>
public sealed class KitRunFailedException : KitException
{
    public KitRunFailedException(ErrorKind kind, string message, string? nextStep = null, Exception? inner = null)
        : base(kind.Code, message, nextStep, inner)
    {
    }

    /// <summary>A part's failure (a pipeline run's) as the target's: same message, code and next step; the part's
    /// exception is kept as the inner exception.</summary>
    public KitRunFailedException(KitException cause)
        : base(cause.Code, cause.Message, cause.NextStep, cause)
    {
    }
}
