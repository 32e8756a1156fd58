namespace PipelineKit.LocalPipeline;

using System.Text.Json;

/// <summary>
/// A template configuration file, as the CloudFormation action reads it from its TemplateConfiguration artifact:
/// <c>{"Parameters": {"Name": "value"}, "Tags": {"Key": "value"}, "StackPolicy": {...}}</c>, every member optional, every
/// parameter and tag value a string (https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/continuous-delivery-codepipeline-cfn-artifacts.html).
/// A stack policy is refused by name: CreateChangeSet takes none, so the local run could not apply it as the stack's.
/// </summary>
public sealed record TemplateConfigurationFile(IReadOnlyDictionary<string, string> Parameters, IReadOnlyDictionary<string, string> Tags)
{
    public static readonly TemplateConfigurationFile Empty = new(new Dictionary<string, string>(), new Dictionary<string, string>());

    /// <summary>Reads the file's text; <paramref name="source"/> (the TemplateConfiguration value) names it in every error.</summary>
    public static TemplateConfigurationFile Parse(string json, string source)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json, new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        }
        catch (JsonException e)
        {
            throw Invalid(source, $"it is not valid JSON ({e.Message})");
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object) throw Invalid(source, "it is not a JSON object");
            var parameters = new Dictionary<string, string>(StringComparer.Ordinal);
            var tags = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var member in root.EnumerateObject())
            {
                switch (member.Name)
                {
                    case "Parameters":
                        Read(member.Value, parameters, source, "Parameters");
                        break;
                    case "Tags":
                        Read(member.Value, tags, source, "Tags");
                        break;
                    case "StackPolicy":
                        throw Invalid(source, "StackPolicy is not supported by the local pipeline run (a change set cannot carry a stack policy); " +
                                              "remove it or set the policy on the stack itself");
                    default:
                        throw Invalid(source, $"'{member.Name}' is not a member of a template configuration file (Parameters, Tags, StackPolicy)");
                }
            }

            return new TemplateConfigurationFile(parameters, tags);
        }
    }

    private static void Read(JsonElement element, Dictionary<string, string> into, string source, string section)
    {
        if (element.ValueKind != JsonValueKind.Object) throw Invalid(source, $"{section} is not a JSON object of names and string values");
        foreach (var entry in element.EnumerateObject())
        {
            if (entry.Value.ValueKind != JsonValueKind.String)
            {
                throw Invalid(source, $"{section}.{entry.Name} is a {entry.Value.ValueKind.ToString().ToLowerInvariant()}, not a string");
            }

            into[entry.Name] = entry.Value.GetString()!;
        }
    }

    private static ActionFailedException Invalid(string source, string why) =>
        new("ConfigurationError", $"TemplateConfiguration {source}: {why}.");
}
