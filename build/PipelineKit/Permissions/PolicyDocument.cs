using System.Text.Json;

namespace PipelineKit.Permissions;

/// <summary>
/// A parsed IAM policy document. Name is how explanations refer to it, e.g.
/// "role hello-pipeline-action, inline policy pipeline-action" or "bucket policy of hello-artifacts".
/// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements.html
/// </summary>
public sealed class PolicyDocument
{
    private PolicyDocument(string name, IReadOnlyList<PolicyStatement> statements)
    {
        Name = name;
        Statements = statements;
    }

    public string Name { get; }

    public IReadOnlyList<PolicyStatement> Statements { get; }

    /// <summary>Parses the document; bad JSON or a shape IAM would reject throws FormatException naming <paramref name="name"/>.</summary>
    public static PolicyDocument Parse(string name, string json)
    {
        JsonDocument parsed;
        try
        {
            parsed = JsonDocument.Parse(json);
        }
        catch (JsonException e)
        {
            throw new FormatException($"Policy '{name}' is not valid JSON: {e.Message}", e);
        }
        using (parsed)
        {
            try
            {
                return new PolicyDocument(name, ReadStatements(parsed.RootElement));
            }
            catch (FormatException e)
            {
                throw new FormatException($"Policy '{name}': {e.Message}", e);
            }
        }
    }

    /// <summary>"policy name/Sid", or "policy name/#index" for a statement without a Sid.</summary>
    internal string Label(PolicyStatement statement) => $"{Name}/{statement.Sid ?? "#" + statement.Index}";

    /// <summary>"policy name (Sid)" for explanations.</summary>
    internal string Describe(PolicyStatement statement) => $"{Name} ({statement.Sid ?? "#" + statement.Index})";

    private static List<PolicyStatement> ReadStatements(JsonElement root)
    {
        if (root.ValueKind != JsonValueKind.Object)
        {
            throw new FormatException("the document must be a JSON object.");
        }
        if (!root.TryGetProperty("Statement", out var statement))
        {
            throw new FormatException("the document has no Statement.");
        }
        // Statement is an object or an array of objects, like every other list in the grammar.
        var elements = statement.ValueKind switch
        {
            JsonValueKind.Object => [statement],
            JsonValueKind.Array => statement.EnumerateArray().ToList(),
            _ => throw new FormatException("Statement must be an object or an array."),
        };
        return elements.Select((element, index) => PolicyStatement.Read(element, index)).ToList();
    }
}

/// <summary>Readers for the policy grammar's "one value or a list of values" fields.</summary>
internal static class PolicyJson
{
    public static IReadOnlyList<string> Strings(JsonElement element, string field) => element.ValueKind switch
    {
        JsonValueKind.String => [element.GetString()!],
        JsonValueKind.Array => element.EnumerateArray().Select(item => item.ValueKind == JsonValueKind.String
            ? item.GetString()!
            : throw new FormatException($"{field} must hold strings.")).ToList(),
        _ => throw new FormatException($"{field} must be a string or an array of strings."),
    };

    /// <summary>Condition values may be strings, numbers or booleans, alone or in a list; all compare as text.</summary>
    public static IReadOnlyList<string> Scalars(JsonElement element, string field) => element.ValueKind switch
    {
        JsonValueKind.Array => element.EnumerateArray().Select(item => Scalar(item, field)).ToList(),
        _ => [Scalar(element, field)],
    };

    private static string Scalar(JsonElement element, string field) => element.ValueKind switch
    {
        JsonValueKind.String => element.GetString()!,
        JsonValueKind.Number => element.GetRawText(),
        JsonValueKind.True => "true",
        JsonValueKind.False => "false",
        _ => throw new FormatException($"{field} must hold strings, numbers or booleans."),
    };
}
