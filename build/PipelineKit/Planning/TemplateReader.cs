namespace PipelineKit.Planning;

using System.Globalization;
using System.Text.Json.Nodes;
using YamlDotNet.RepresentationModel;

/// <summary>
/// Reads a CloudFormation template, JSON or YAML, into one JSON tree. YAML short-form tags become the long form
/// CloudFormation documents (https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/intrinsic-function-reference.html):
/// <c>!Ref X</c> is <c>{"Ref": "X"}</c>, <c>!GetAtt A.B</c> is <c>{"Fn::GetAtt": ["A", "B"]}</c>, <c>!Condition C</c> is
/// <c>{"Condition": "C"}</c>, any other <c>!F</c> is <c>{"Fn::F": ...}</c>.
/// </summary>
public static class TemplateReader
{
    public static JsonObject Read(string body)
    {
        var trimmed = body.TrimStart();
        if (trimmed.StartsWith('{')) return JsonNode.Parse(body)?.AsObject() ?? [];

        var stream = new YamlStream();
        stream.Load(new StringReader(body));
        return stream.Documents.Count == 0 ? [] : Convert(stream.Documents[0].RootNode) as JsonObject ?? [];
    }

    private static JsonNode? Convert(YamlNode node)
    {
        var value = node switch
        {
            YamlMappingNode map => new JsonObject(map.Children.Select(c =>
                KeyValuePair.Create(((YamlScalarNode)c.Key).Value ?? "", Convert(c.Value)))),
            YamlSequenceNode sequence => new JsonArray([.. sequence.Children.Select(Convert)]),
            YamlScalarNode scalar => Scalar(scalar),
            _ => null,
        };
        return node.Tag.IsEmpty || node.Tag.Value is "!" or "tag:yaml.org,2002:str" ? value : Tagged(node.Tag.Value, value);
    }

    private static JsonNode? Tagged(string tag, JsonNode? value)
    {
        var name = tag.TrimStart('!');
        return name switch
        {
            "Ref" => new JsonObject { ["Ref"] = value },
            "Condition" => new JsonObject { ["Condition"] = value },
            "GetAtt" when value is JsonValue v && v.TryGetValue<string>(out var text) =>
                new JsonObject { ["Fn::GetAtt"] = new JsonArray([.. text.Split('.', 2).Select(p => (JsonNode)p)]) },
            _ => new JsonObject { ["Fn::" + name] = value },
        };
    }

    /// <summary>Plain scalars keep their YAML type (numbers, booleans); quoted ones are strings.</summary>
    private static JsonNode? Scalar(YamlScalarNode scalar)
    {
        var text = scalar.Value ?? "";
        if (scalar.Style is not YamlDotNet.Core.ScalarStyle.Plain || !scalar.Tag.IsEmpty) return JsonValue.Create(text);
        if (text is "true" or "True") return JsonValue.Create(true);
        if (text is "false" or "False") return JsonValue.Create(false);
        if (text is "null" or "~" or "") return null;
        return long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var number) && number.ToString(CultureInfo.InvariantCulture) == text
            ? JsonValue.Create(number)
            : JsonValue.Create(text);
    }
}
