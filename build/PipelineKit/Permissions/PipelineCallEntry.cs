using System.Text.Json;
using System.Text.RegularExpressions;
using PipelineKit.Configuration;

namespace PipelineKit.Permissions;

/// <summary>
/// One entry of permissions/pipeline-calls.json before expansion: a request an AWS service makes on the pipeline's
/// behalf (or one that must be denied), with placeholders still in it. Parsing checks the shape, the
/// <c>when</c> and <c>forEach</c> values and every placeholder's name, so a typo fails for every configuration,
/// not only for those the entry applies to.
/// </summary>
internal sealed partial record PipelineCallEntry(
    string Label,
    bool MustDeny,
    string By,
    string Action,
    string Resource,
    IReadOnlyDictionary<string, IReadOnlyList<string>> Context,
    string? ForEach,
    string? When,
    string Why,
    string Doc)
{
    public const string ForEachEnvironment = "environment";
    public const string ForEachRegion = "region";
    public const string ForEachExtraRegion = "extraRegion";

    private static readonly string[] Fields = ["by", "action", "resource", "context", "forEach", "when", "why", "doc"];

    public static IReadOnlyList<string> ForEachValues { get; } = [ForEachEnvironment, ForEachRegion, ForEachExtraRegion];

    public static IReadOnlyList<string> WhenValues { get; } =
        ["selfUpdate", "slack", .. SourceKinds.TraceConditions, "approval", "crossRegion", "securityCheck"];

    /// <summary>Every string of the entry that placeholders may appear in.</summary>
    public IEnumerable<string> Texts =>
        new[] { By, Action, Resource, Why, Doc }.Concat(Context.Keys).Concat(Context.Values.SelectMany(v => v));

    /// <summary>Reads <paramref name="list"/>[<paramref name="index"/>]; a malformed entry throws FormatException naming both
    /// and quoting the entry.</summary>
    public static PipelineCallEntry Parse(JsonElement element, string list, int index)
    {
        var label = $"{list}[{index}] {Abbreviate(element.GetRawText())}";
        try
        {
            var entry = Read(element, label, list == "mustDeny");
            entry.CheckPlaceholders();
            return entry;
        }
        catch (FormatException e)
        {
            throw new FormatException($"pipeline-calls.json {label}: {e.Message}", e);
        }
    }

    /// <summary>The error text for a problem found while expanding this entry.</summary>
    public string Problem(string message) => $"pipeline-calls.json {Label}: {message}";

    private static PipelineCallEntry Read(JsonElement element, string label, bool mustDeny)
    {
        if (element.ValueKind != JsonValueKind.Object) throw new FormatException("an entry must be an object");
        var unknown = element.EnumerateObject().Select(p => p.Name).FirstOrDefault(n => !Fields.Contains(n, StringComparer.Ordinal));
        if (unknown is not null) throw new FormatException($"unknown field \"{unknown}\" (fields: {string.Join(", ", Fields)})");

        var by = Required(element, "by");
        if (!by.StartsWith("service:", StringComparison.Ordinal) && !(by.StartsWith("role:", StringComparison.Ordinal) && by.Split(':', 3).Length == 3))
        {
            throw new FormatException($"\"by\" must be service:<principal> or role:<account>:<role name>, not \"{by}\"");
        }
        var forEach = OneOf(element, "forEach", ForEachValues);
        var when = OneOf(element, "when", WhenValues);
        var doc = Required(element, "doc");
        if (!doc.StartsWith("https://docs.aws.amazon.com/", StringComparison.Ordinal))
        {
            throw new FormatException($"\"doc\" must be an AWS documentation page (https://docs.aws.amazon.com/...), not \"{doc}\"");
        }
        return new PipelineCallEntry(label, mustDeny, by, Required(element, "action"), Required(element, "resource"),
            ReadContext(element), forEach, when, Required(element, "why"), doc);
    }

    private static string Required(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String && value.GetString() is { Length: > 0 } text
            ? text
            : throw new FormatException($"\"{name}\" must be a non-empty string");

    private static string? OneOf(JsonElement element, string name, IReadOnlyList<string> allowed)
    {
        if (!element.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null) return null;
        var text = value.ValueKind == JsonValueKind.String ? value.GetString() : null;
        return text is not null && allowed.Contains(text, StringComparer.Ordinal)
            ? text
            : throw new FormatException($"\"{name}\" must be null or one of {string.Join(", ", allowed)}, not {value.GetRawText()}");
    }

    /// <summary>Condition keys are case-insensitive in IAM; values are a string or an array of strings.</summary>
    private static Dictionary<string, IReadOnlyList<string>> ReadContext(JsonElement element)
    {
        var context = new Dictionary<string, IReadOnlyList<string>>(StringComparer.OrdinalIgnoreCase);
        if (!element.TryGetProperty("context", out var value) || value.ValueKind == JsonValueKind.Null) return context;
        if (value.ValueKind != JsonValueKind.Object) throw new FormatException("\"context\" must be an object");
        foreach (var key in value.EnumerateObject())
        {
            context[key.Name] = key.Value.ValueKind switch
            {
                JsonValueKind.String => [key.Value.GetString()!],
                JsonValueKind.Array when key.Value.EnumerateArray().All(v => v.ValueKind == JsonValueKind.String) =>
                    key.Value.EnumerateArray().Select(v => v.GetString()!).ToArray(),
                _ => throw new FormatException($"context key \"{key.Name}\" must be a string or an array of strings"),
            };
        }
        return context;
    }

    /// <summary>Every placeholder must be known, and a per-environment or per-region one needs a forEach that sets it.</summary>
    private void CheckPlaceholders()
    {
        foreach (var name in Texts.SelectMany(Placeholders).Distinct(StringComparer.Ordinal))
        {
            var problem = PipelineCallValues.GlobalNames.Contains(name) ? null
                : PipelineCallValues.RegionNames.Contains(name) ? (ForEach is null ? "needs a \"forEach\"" : null)
                : PipelineCallValues.EnvironmentNames.Contains(name) ? (ForEach != ForEachEnvironment ? $"needs \"forEach\": \"{ForEachEnvironment}\"" : null)
                : "is unknown";
            if (problem is not null) throw new FormatException($"placeholder {{{name}}} {problem}");
        }
    }

    public static IEnumerable<string> Placeholders(string text) => Placeholder().Matches(text).Select(m => m.Groups[1].Value);

    [GeneratedRegex(@"\{([A-Za-z]*)\}")]
    internal static partial Regex Placeholder();

    private static string Abbreviate(string json)
    {
        var flat = string.Join(' ', json.Split((char[])['\r', '\n', ' '], StringSplitOptions.RemoveEmptyEntries));
        return flat.Length <= 160 ? flat : flat[..157] + "...";
    }
}
