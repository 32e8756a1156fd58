namespace PipelineKit.Reporting;

using System.Text.Json;
using System.Text.Json.Nodes;
using PipelineKit.Deployment;

/// <summary>
/// <c>artifacts/outputs.json</c>: each stack's name, place, outcome, status and outputs, keyed by the
/// stack's graph key, in key order so that diffs stay small:
/// <code>{ "pipeline": "&lt;name&gt;", "stacks": { "&lt;key&gt;": { "stackName", "account", "region", "outcome", "status", "outputs": { } } } }</code>
/// Running one target must not drop what other targets wrote, so the file is merged: entries for
/// stacks in this run replace old ones, others are kept as they are.
/// </summary>
public static class OutputsFile
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    /// <summary>Merges the run's stacks into the file at <paramref name="path"/> (created when missing).
    /// A stack that did not start keeps its earlier entry: the run did not touch it, so what the file says
    /// about it is still true. The file belongs to one pipeline: when it holds another pipeline's stacks
    /// (the sandbox's, another --config), they are dropped, so no entry from elsewhere is read as this one's.</summary>
    /// <exception cref="InvalidDataException">The existing file is not an outputs file.</exception>
    public static void Write(string path, string pipeline, IEnumerable<(StackRef Ref, StackResult Result)> stacks)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        ArgumentException.ThrowIfNullOrWhiteSpace(pipeline);
        ArgumentNullException.ThrowIfNull(stacks);

        var merged = new SortedDictionary<string, JsonNode?>(StringComparer.Ordinal);
        if (ReadFile(path) is { Pipeline: var owner, Stacks: var existing } && owner == pipeline)
        {
            foreach (var (key, entry) in existing) merged[key] = entry?.DeepClone();
        }
        foreach (var (stackRef, result) in stacks)
        {
            if (result.Outcome == StackOutcome.NotStarted && merged.ContainsKey(stackRef.Key)) continue;
            var entry = Entry(result);
            // A failed update rolls back to the stack as it was, outputs included; a failure carries none, so the
            // outputs recorded before stay (the outcome and status say what happened).
            if (result.Outcome == StackOutcome.Failed && result.Outputs.Count == 0 &&
                merged.GetValueOrDefault(stackRef.Key)?["outputs"] is JsonObject { Count: > 0 } earlier &&
                (string?)merged[stackRef.Key]!["stackName"] == result.StackName)
            {
                entry["outputs"] = earlier.DeepClone();
            }

            merged[stackRef.Key] = entry;
        }

        var stacksNode = new JsonObject();
        foreach (var (key, entry) in merged) stacksNode[key] = entry;
        var document = new JsonObject { ["pipeline"] = pipeline, ["stacks"] = stacksNode };

        var directory = Path.GetDirectoryName(Path.GetFullPath(path))!;
        Directory.CreateDirectory(directory);
        // Write aside and move: a crash mid-write must not leave a half file that the next run rejects.
        var temporary = Path.Combine(directory, $".{Path.GetFileName(path)}.{Environment.ProcessId}.tmp");
        File.WriteAllText(temporary, document.ToJsonString(Indented) + "\n");
        File.Move(temporary, path, overwrite: true);
    }

    /// <summary>The entries in the file, by stack key; empty when the file does not exist.</summary>
    public static IReadOnlyDictionary<string, OutputsEntry> Read(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        var result = new SortedDictionary<string, OutputsEntry>(StringComparer.Ordinal);
        if (ReadFile(path) is not { Stacks: var stacks }) return result;
        foreach (var (key, node) in stacks)
        {
            try
            {
                var entry = node!.AsObject();
                result[key] = new OutputsEntry(
                    (string)entry["stackName"]!,
                    (string)entry["account"]!,
                    (string)entry["region"]!,
                    (string)entry["outcome"]!,
                    (string?)entry["status"],
                    (entry["outputs"]?.AsObject() ?? [])
                        .ToDictionary(o => o.Key, o => (string?)o.Value ?? "", StringComparer.Ordinal));
            }
            catch (Exception e) when (e is InvalidOperationException or NullReferenceException or FormatException)
            {
                throw Invalid(path, $"the entry \"{key}\" lacks a field or has one of the wrong type", e);
            }
        }
        return result;
    }

    private static JsonObject Entry(StackResult result)
    {
        var outputs = new JsonObject();
        foreach (var (name, value) in result.Outputs.OrderBy(o => o.Key, StringComparer.Ordinal)) outputs[name] = value;
        return new JsonObject
        {
            ["stackName"] = result.StackName,
            ["account"] = result.Location.AccountId,
            ["region"] = result.Location.Region,
            ["outcome"] = OutcomeName(result.Outcome),
            ["status"] = result.Status?.Value,
            ["outputs"] = outputs,
        };
    }

    /// <summary>camelCase enum name ("created", "notStarted"): stable for scripts, unlike display text.</summary>
    private static string OutcomeName(StackOutcome outcome) => JsonNamingPolicy.CamelCase.ConvertName(outcome.ToString());

    /// <summary>The pipeline the file belongs to ("pipeline", null in a file that does not say) and its stacks.</summary>
    private static (string? Pipeline, JsonObject Stacks)? ReadFile(string path)
    {
        if (!File.Exists(path)) return null;
        JsonNode? root;
        try
        {
            root = JsonNode.Parse(File.ReadAllText(path));
        }
        catch (JsonException e)
        {
            throw Invalid(path, "it is not valid JSON", e);
        }
        if (root is not JsonObject rootObject || rootObject["stacks"] is not JsonObject stacks)
            throw Invalid(path, "it has no \"stacks\" object", null);
        return ((rootObject["pipeline"] as JsonValue)?.GetValue<string>(), stacks);
    }

    private static InvalidDataException Invalid(string path, string problem, Exception? inner) =>
        new($"{path} cannot be read as the kit's outputs file: {problem}. " +
            "Delete it (every stack's entry is rewritten by the next run of its target) or fix it by hand.", inner);
}

/// <summary>One stack's entry in <c>outputs.json</c>. <see cref="Outcome"/> is the camelCase
/// <see cref="StackOutcome"/> name.</summary>
public sealed record OutputsEntry(
    string StackName,
    string Account,
    string Region,
    string Outcome,
    string? Status,
    IReadOnlyDictionary<string, string> Outputs);
