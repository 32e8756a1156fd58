namespace PipelineKit.LocalPipeline;

using PipelineKit.Errors;

/// <summary>
/// Every reason the local runner refuses a pipeline template, gathered while the template is read and checked, so one
/// refusal names them all (one per line, each saying where: stage, action and field) instead of one per attempt.
/// </summary>
internal sealed class TemplateRefusals
{
    private readonly List<string> lines = [];

    public int Count => lines.Count;

    public IReadOnlyList<string> Lines => lines;

    /// <param name="where">The stage, action and field, or the project and field (<see cref="At"/>).</param>
    public void Add(string where, string problem) => lines.Add($"{where}: {problem}");

    /// <summary>"Stage Deploy-dev, action CreateChangeSet, Configuration.ActionMode".</summary>
    public static string At(string stage, string action, string? field = null) =>
        field is null ? $"Stage {stage}, action {action}" : $"Stage {stage}, action {action}, {field}";

    /// <summary>Throws one <see cref="LocalPipelineException"/> naming every problem, when there is any.</summary>
    public void ThrowIfAny(string pipelineName)
    {
        if (lines.Count == 0) return;
        var count = lines.Count == 1 ? "1 problem" : $"{lines.Count} problems";
        throw new LocalPipelineException(
            ErrorCodes.LocalPipelineRefused.Code,
            $"The local pipeline runner refuses pipeline {pipelineName} ({count}); nothing ran:\n" + string.Join('\n', lines),
            "Keep the pipeline to the action types and configuration fields the local runner runs, or run it in CodePipeline.");
    }
}
