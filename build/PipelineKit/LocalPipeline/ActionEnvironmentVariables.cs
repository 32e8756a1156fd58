namespace PipelineKit.LocalPipeline;

using System.Text.Json;
using System.Text.Json.Nodes;

/// <summary>
/// A CodeBuild action's <c>EnvironmentVariables</c> configuration: a JSON array of <c>{"name", "value", "type"}</c>
/// objects in one string, type PLAINTEXT when absent, as the CodePipeline action reference for CodeBuild describes it.
/// The reader checks it before the run; the build executor reads it again to set the variables (they override the
/// project's of the same name).
/// </summary>
public static class ActionEnvironmentVariables
{
    /// <summary>The types CodeBuild accepts for a variable.</summary>
    public static readonly IReadOnlyList<string> Types = ["PLAINTEXT", "PARAMETER_STORE", "SECRETS_MANAGER"];

    /// <exception cref="FormatException">The text is not such an array; the message says what is wrong.</exception>
    public static IReadOnlyList<BuildVariable> Parse(string json)
    {
        JsonNode? root;
        try
        {
            root = JsonNode.Parse(json);
        }
        catch (JsonException e)
        {
            throw new FormatException($"is not JSON ({e.Message}).", e);
        }

        if (root is not JsonArray items) throw new FormatException("is not a JSON array of {name, value, type}.");

        var variables = new List<BuildVariable>();
        for (var i = 0; i < items.Count; i++)
        {
            if (items[i] is not JsonObject item) throw new FormatException($"item {i} is not an object.");
            var name = Text(item, "name", i) ?? throw new FormatException($"item {i} has no name.");
            var value = Text(item, "value", i) ?? throw new FormatException($"item {i} ({name}) has no value.");
            var type = Text(item, "type", i) ?? "PLAINTEXT";
            if (!Types.Contains(type, StringComparer.Ordinal))
                throw new FormatException($"item {i} ({name}) has type {type}; CodeBuild takes {string.Join(", ", Types)}.");
            variables.Add(new BuildVariable(name, value, type));
        }

        return variables;
    }

    private static string? Text(JsonObject item, string key, int index) => item[key] switch
    {
        null => null,
        JsonValue v when v.TryGetValue<string>(out var text) => text,
        _ => throw new FormatException($"item {index}'s {key} is not a string."),
    };
}
