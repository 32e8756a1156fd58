namespace PipelineKit.Reporting;

/// <summary>A target ended with failed or not-started stacks; the summary printed before it says which and why.</summary>
public sealed class KitRunFailedException(string message) : Exception(message);
