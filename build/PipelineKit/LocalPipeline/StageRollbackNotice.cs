namespace PipelineKit.LocalPipeline;

/// <summary>
/// A stage with OnFailure ROLLBACK rolls back by itself on AWS (CodePipeline re-runs it with the last execution that
/// succeeded in it); the local run does not emulate that, and says so once, at its start, with what to do instead.
/// </summary>
public static class StageRollbackNotice
{
    public const string Rollback = "ROLLBACK";

    /// <summary>The notice, or null when no stage rolls back on failure.</summary>
    public static string? For(PipelineDefinition pipeline)
    {
        ArgumentNullException.ThrowIfNull(pipeline);
        var stages = pipeline.Stages.Where(s => string.Equals(s.OnFailure, Rollback, StringComparison.Ordinal)).Select(s => s.Name).ToArray();
        return stages.Length == 0 ? null
            : $"Local run: {string.Join(", ", stages)} roll{(stages.Length == 1 ? "s" : "")} back automatically on failure in AWS (OnFailure ROLLBACK); " +
              "the local run does not emulate that: a failed stage stays failed and its environment keeps what the failed run deployed. " +
              "To put an environment back: ./build.sh Rollback --sandbox --environment NAME --direct (redeploys its previous DeploySampleApp --direct).";
    }
}
