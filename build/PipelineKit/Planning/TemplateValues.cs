namespace PipelineKit.Planning;

using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

/// <summary>
/// Resolves what a template's values come to under given parameters, as far as parameters decide them: Ref to a
/// parameter (a list for CommaDelimitedList and List&lt;...&gt; types), Fn::Sub, Fn::Join, Fn::Split, Fn::Select and Fn::If
/// over the template's Conditions (Fn::Equals, Fn::Not, Fn::And, Fn::Or). AWS::NoValue drops the value. What it cannot
/// resolve (Fn::GetAtt, pseudo parameters, imports) stays as it is written, so it compares as its JSON text.
/// </summary>
public sealed partial class TemplateValues
{
    private readonly Dictionary<string, JsonNode?> parameters = new(StringComparer.Ordinal);
    private readonly JsonObject conditions;

    public TemplateValues(JsonObject template, IReadOnlyDictionary<string, string> given)
    {
        conditions = template["Conditions"] as JsonObject ?? [];
        foreach (var (name, declaration) in template["Parameters"] as JsonObject ?? [])
        {
            var value = given.TryGetValue(name, out var v) ? v : declaration?["Default"]?.ToString();
            if (value is null) continue;
            var type = declaration?["Type"]?.ToString() ?? "String";
            parameters[name] = type == "CommaDelimitedList" || type.StartsWith("List<", StringComparison.Ordinal)
                ? new JsonArray([.. (value.Length == 0 ? [] : value.Split(',')).Select(p => (JsonNode)p.Trim())])
                : JsonValue.Create(value);
        }
    }

    /// <summary>Null when the condition cannot be decided from the parameters.</summary>
    public bool? Condition(string name) =>
        conditions[name] is { } definition ? Truth(Resolve(definition.DeepClone())) : null;

    public JsonNode? Resolve(JsonNode? node)
    {
        switch (node)
        {
            case JsonArray array:
                var items = array.Select(i => Resolve(i?.DeepClone())).Where(i => !IsNoValue(i)).ToList();
                return new JsonArray([.. items]);
            case JsonObject obj when obj.Count == 1 && obj.First() is var (key, argument) && IsFunction(key):
                // A function's own arguments keep AWS::NoValue: it may be a branch of Fn::If.
                var resolvedArgument = argument is JsonArray arguments
                    ? new JsonArray([.. arguments.Select(a => Resolve(a?.DeepClone()))])
                    : Resolve(argument?.DeepClone());
                return Function(key, resolvedArgument);
            case JsonObject obj:
                var resolved = new JsonObject();
                foreach (var (key, value) in obj)
                {
                    var r = Resolve(value?.DeepClone());
                    if (!IsNoValue(r)) resolved[key] = r;
                }

                return resolved;
            default:
                return node?.DeepClone();
        }
    }

    private static bool IsFunction(string key) => key is "Ref" or "Condition" || key.StartsWith("Fn::", StringComparison.Ordinal);

    private static bool IsNoValue(JsonNode? node) => node is JsonObject { Count: 1 } o && o["Ref"]?.ToString() == "AWS::NoValue";

    private JsonNode? Function(string name, JsonNode? argument)
    {
        var unresolved = new JsonObject { [name] = argument };
        switch (name)
        {
            case "Ref" when argument?.ToString() is { } reference && parameters.TryGetValue(reference, out var value):
                return value?.DeepClone();
            case "Condition" when argument?.ToString() is { } condition && Condition(condition) is { } truth:
                return JsonValue.Create(truth);
            case "Fn::If" when argument is JsonArray { Count: 3 } branches && Condition(branches[0]?.ToString() ?? "") is { } truth:
                return branches[truth ? 1 : 2]?.DeepClone();
            case "Fn::Equals" when argument is JsonArray { Count: 2 } pair && Literal(pair[0]) && Literal(pair[1]):
                return JsonValue.Create(pair[0]!.ToJsonString() == pair[1]!.ToJsonString());
            case "Fn::Not" when argument is JsonArray { Count: 1 } one && Truth(one[0]) is { } truth:
                return JsonValue.Create(!truth);
            case "Fn::And" or "Fn::Or" when argument is JsonArray all && all.Select(Truth).ToList() is var truths && truths.All(t => t is not null):
                return JsonValue.Create(name == "Fn::And" ? truths.All(t => t!.Value) : truths.Any(t => t!.Value));
            case "Fn::Join" when argument is JsonArray { Count: 2 } join && join[1] is JsonArray parts && parts.All(Literal):
                return JsonValue.Create(string.Join(join[0]?.ToString() ?? "", parts.Select(p => p!.ToString())));
            case "Fn::Split" when argument is JsonArray { Count: 2 } split && split[1] is JsonValue text:
                return new JsonArray([.. text.ToString().Split(split[0]?.ToString() ?? ",").Select(p => (JsonNode)p)]);
            case "Fn::Select" when argument is JsonArray { Count: 2 } select && int.TryParse(select[0]?.ToString(), out var index)
                                    && select[1] is JsonArray list && index >= 0 && index < list.Count:
                return list[index]?.DeepClone();
            case "Fn::Sub":
                return Sub(argument) ?? unresolved;
            default:
                return unresolved;
        }
    }

    /// <summary>${Name} from the variables map or the parameters; ${AWS::...}, ${Res.Attr} and the like stay as written.</summary>
    private JsonNode? Sub(JsonNode? argument)
    {
        var (text, variables) = argument switch
        {
            JsonValue v => (v.ToString(), new JsonObject()),
            JsonArray { Count: 2 } a when a[0] is JsonValue t => (t.ToString(), a[1] as JsonObject ?? []),
            _ => (null, null),
        };
        if (text is null) return null;
        return JsonValue.Create(Placeholder().Replace(text, m =>
        {
            var name = m.Groups[1].Value;
            var value = variables![name] ?? (parameters.TryGetValue(name, out var p) ? p : null);
            return value is JsonValue literal ? literal.ToString() : m.Value;
        }));
    }

    private static bool Literal(JsonNode? node) => node is JsonValue;

    private static bool? Truth(JsonNode? node) =>
        node is JsonValue v && v.TryGetValue<bool>(out var b) ? b : null;

    [GeneratedRegex(@"\$\{([^!}][^}]*)\}")]
    private static partial Regex Placeholder();
}
