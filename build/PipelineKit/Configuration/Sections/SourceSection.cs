namespace PipelineKit.Configuration;

using System.Text.Json;

/// <summary><c>source</c>: where the pipeline gets its source. Here the type and which fields are set for it; the kind
/// (<see cref="SourceKinds"/>) reads and checks its own fields.</summary>
internal static class SourceSection
{
    public const string Path = "source";

    /// <summary><c>type</c>, then every kind's fields: a field of another kind is reported as such, not as unknown.</summary>
    public static IReadOnlyList<string> Properties { get; } = ["type", .. SourceKinds.Properties];

    public static SourceSettings? Read(ConfigReader reader, JsonElement root)
    {
        if (reader.OptionalObject(root, "", Path) is not { } source)
        {
            return SourceKinds.DefaultSource;
        }

        reader.CheckProperties(source, Path, Properties);
        var type = reader.OptionalString(source, Path, "type") ?? SourceKinds.Default.Type;
        if (SourceKinds.Find(type) is not { } kind)
        {
            var hint = DidYouMean.ClosestMatch(type, SourceKinds.Types) is { } near ? $"; did you mean {near}?" : "";
            reader.Error("source.type", $"\"{type}\" is not one of {string.Join(", ", SourceKinds.Types)}{hint}");
            return null;
        }

        CheckFieldsOfOtherKinds(reader, source, kind);
        foreach (var field in kind.Required.Where(f => !source.TryGetProperty(f, out _)))
        {
            reader.Error(ConfigReader.Join(Path, field), $"is required for source type {kind.Type}");
        }

        return kind.Read(reader, source);
    }

    /// <summary>A string field of a kind, read only when present: a missing required one is already reported.</summary>
    public static string? PresentString(ConfigReader reader, JsonElement source, string name) =>
        source.TryGetProperty(name, out _) ? reader.RequiredString(source, Path, name) : null;

    /// <summary>The branch a repository source builds.</summary>
    public static string? ReadBranch(ConfigReader reader, JsonElement source)
    {
        var branch = PresentString(reader, source, "branch");
        if (branch is not null && (branch.Length == 0 || branch.Any(char.IsWhiteSpace)))
        {
            reader.Error("source.branch", $"\"{branch}\" is not a branch name (not empty, no spaces)");
        }

        return branch;
    }

    /// <summary>A field set for another kind is an error, not ignored.</summary>
    private static void CheckFieldsOfOtherKinds(ConfigReader reader, JsonElement source, SourceKind kind)
    {
        foreach (var property in source.EnumerateObject().Select(p => p.Name).Distinct(StringComparer.Ordinal))
        {
            if (property is "type" or "$schema" || kind.Properties.Contains(property, StringComparer.Ordinal)
                || !Properties.Contains(property, StringComparer.Ordinal))
            {
                continue;
            }

            var owners = SourceKinds.All.Where(k => k.Properties.Contains(property, StringComparer.Ordinal)).Select(k => k.Type);
            reader.Error(ConfigReader.Join(Path, property), $"applies only to source type {string.Join(" and ", owners)}, not {kind.Type}");
        }
    }
}
