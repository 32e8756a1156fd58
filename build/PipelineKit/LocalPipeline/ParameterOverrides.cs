namespace PipelineKit.LocalPipeline;

using System.Globalization;
using System.Text.Json;

/// <summary>One value of ParameterOverrides: a string, or one of the two parameter override functions.</summary>
public abstract record OverrideValue;

public sealed record LiteralValue(string Value) : OverrideValue;

/// <summary><c>{"Fn::GetParam": ["artifactName", "JSONFileName", "keyName"]}</c>: a value of a JSON file in an input artifact.</summary>
public sealed record GetParamValue(string Artifact, string File, string Key) : OverrideValue;

/// <summary><c>{"Fn::GetArtifactAtt": ["artifactName", "attributeName"]}</c>: BucketName, ObjectKey or URL of an input artifact.</summary>
public sealed record GetArtifactAttValue(string Artifact, string Attribute) : OverrideValue;

/// <summary>
/// The CloudFormation action's ParameterOverrides: a JSON object of parameter names and values, after the engine resolved
/// <c>#{Namespace.Variable}</c>; its values override the template configuration file's. A value is a string or a parameter
/// override function, as the CloudFormation user guide documents them
/// (https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/continuous-delivery-codepipeline-parameter-override-functions.html).
/// </summary>
public static class ParameterOverrides
{
    /// <summary>The artifact attributes Fn::GetArtifactAtt knows.</summary>
    public static readonly IReadOnlyList<string> ArtifactAttributes = ["BucketName", "ObjectKey", "URL"];

    public static IReadOnlyDictionary<string, OverrideValue> Parse(string json)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json);
        }
        catch (JsonException e)
        {
            throw Invalid($"it is not valid JSON ({e.Message})");
        }

        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Object) throw Invalid("it is not a JSON object of parameter names and values");
            var values = new Dictionary<string, OverrideValue>(StringComparer.Ordinal);
            foreach (var entry in document.RootElement.EnumerateObject())
            {
                values[entry.Name] = ValueOf(entry.Name, entry.Value);
            }

            return values;
        }
    }

    /// <summary>The values as CloudFormation takes them: each function read from the action's input artifacts.</summary>
    internal static async Task<IReadOnlyDictionary<string, string>> ResolveAsync(
        IReadOnlyDictionary<string, OverrideValue> values, InputArtifacts inputs, CancellationToken ct)
    {
        var resolved = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (name, value) in values)
        {
            resolved[name] = value switch
            {
                LiteralValue literal => literal.Value,
                GetArtifactAttValue att => Attribute(inputs.Find(att.Artifact, $"ParameterOverrides.{name} (Fn::GetArtifactAtt)"), att.Attribute),
                GetParamValue param => await ParamAsync(name, param, inputs, ct).ConfigureAwait(false),
                _ => throw new InvalidOperationException(value.GetType().Name),
            };
        }

        return resolved;
    }

    private static OverrideValue ValueOf(string name, JsonElement value)
    {
        switch (value.ValueKind)
        {
            case JsonValueKind.String:
                return new LiteralValue(value.GetString()!);
            case JsonValueKind.Object:
                var members = value.EnumerateObject().ToList();
                if (members is [{ Name: "Fn::GetParam" } getParam])
                {
                    var parts = Arguments(name, getParam, 3);
                    return new GetParamValue(parts[0], parts[1], parts[2]);
                }

                if (members is [{ Name: "Fn::GetArtifactAtt" } getAtt])
                {
                    var arguments = Arguments(name, getAtt, 2);
                    if (!ArtifactAttributes.Contains(arguments[1], StringComparer.Ordinal))
                    {
                        throw Invalid($"{name}: Fn::GetArtifactAtt has no attribute '{arguments[1]}' (it knows {string.Join(", ", ArtifactAttributes)})");
                    }

                    return new GetArtifactAttValue(arguments[0], arguments[1]);
                }

                throw Invalid($"{name} is an object but not Fn::GetParam or Fn::GetArtifactAtt " +
                              $"(found {string.Join(", ", members.Select(m => m.Name))}); other functions are not parameter override functions");
            default:
                throw Invalid($"{name} is a {value.ValueKind.ToString().ToLowerInvariant()}; a value is a string, Fn::GetParam or Fn::GetArtifactAtt");
        }
    }

    private static string[] Arguments(string name, JsonProperty function, int count)
    {
        if (function.Value.ValueKind == JsonValueKind.Array && function.Value.GetArrayLength() == count &&
            function.Value.EnumerateArray().All(a => a.ValueKind == JsonValueKind.String && a.GetString()!.Length > 0))
        {
            return function.Value.EnumerateArray().Select(a => a.GetString()!).ToArray();
        }

        var form = count == 3 ? "[\"artifactName\", \"JSONFileName\", \"keyName\"]" : "[\"artifactName\", \"attributeName\"]";
        throw Invalid($"{name}: {function.Name} takes a list of {count} non-empty strings, {form}");
    }

    private static string Attribute(ArtifactLocation location, string attribute) => attribute switch
    {
        "BucketName" => location.Bucket,
        "ObjectKey" => location.Key,
        // The user guide's example: https://s3.us-west-2.amazonaws.com/artifactstorebucket-yivczw8jma0c/test/TemplateSo/1ABCyZZ.zip
        _ => $"https://s3.{location.Region}.amazonaws.com/{location.Bucket}/{location.Key}",
    };

    private static async Task<string> ParamAsync(string name, GetParamValue param, InputArtifacts inputs, CancellationToken ct)
    {
        var field = $"ParameterOverrides.{name} (Fn::GetParam)";
        var text = await inputs.ReadTextAsync(new ArtifactPath(param.Artifact, param.File), field, ct).ConfigureAwait(false);
        try
        {
            using var document = JsonDocument.Parse(text);
            if (document.RootElement.ValueKind == JsonValueKind.Object && document.RootElement.TryGetProperty(param.Key, out var value))
            {
                return value.ValueKind switch
                {
                    JsonValueKind.String => value.GetString()!,
                    JsonValueKind.Number => value.GetRawText(),
                    JsonValueKind.True or JsonValueKind.False => value.GetBoolean().ToString(CultureInfo.InvariantCulture).ToLowerInvariant(),
                    _ => value.GetRawText(),
                };
            }
        }
        catch (JsonException e)
        {
            throw new ActionFailedException("JobFailed", $"{field}: {param.Artifact}::{param.File} is not valid JSON ({e.Message}).", e);
        }

        throw new ActionFailedException("JobFailed", $"{field}: {param.Artifact}::{param.File} has no key '{param.Key}'.");
    }

    private static ActionFailedException Invalid(string why) => new("ConfigurationError", $"ParameterOverrides: {why}.");
}
