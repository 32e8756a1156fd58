namespace PipelineKit.LocalPipeline;

using System.Collections.Concurrent;
using System.Text.RegularExpressions;

/// <summary>
/// The variables of one execution: <c>#{codepipeline.PipelineExecutionId}</c> and each namespaced action's output
/// variables, resolved in a later action's configuration as CodePipeline resolves them. A reference to a variable no
/// earlier action produced fails that action, naming it.
/// </summary>
internal sealed partial class ActionVariables
{
    private readonly ConcurrentDictionary<string, string> values = new(StringComparer.Ordinal);

    public ActionVariables(string executionId) => values["codepipeline.PipelineExecutionId"] = executionId;

    public void Add(ActionDefinition action, IReadOnlyDictionary<string, string> outputs)
    {
        if (action.Namespace is null) return;
        foreach (var (name, value) in outputs) values[$"{action.Namespace}.{name}"] = value;
    }

    public IReadOnlyDictionary<string, string> Resolve(ActionDefinition action)
    {
        var resolved = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (field, value) in action.Configuration)
        {
            resolved[field] = Reference().Replace(value, match => values.TryGetValue(match.Groups[1].Value, out var found)
                ? found
                : throw new ActionFailedException("ConfigurationError",
                    $"{action}: {field} refers to #{{{match.Groups[1].Value}}}, which no earlier action of this execution produced."));
        }

        return resolved;
    }

    [GeneratedRegex(@"#\{([A-Za-z0-9_@\-]+\.[A-Za-z0-9_@\-]+)\}")]
    private static partial Regex Reference();
}
