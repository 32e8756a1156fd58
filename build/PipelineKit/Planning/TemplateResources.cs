namespace PipelineKit.Planning;

using System.Text.Json.Nodes;

/// <summary>One resource of a template as deployed under given parameters.</summary>
public sealed record TemplateResource(string LogicalId, string ResourceType, JsonObject? Properties);

/// <summary>The resources a template creates under given parameters: those whose Condition is false are left out; one
/// whose condition cannot be decided is listed.</summary>
public static class TemplateResources
{
    public static IReadOnlyList<TemplateResource> Of(string templateBody, IReadOnlyDictionary<string, string> parameters)
    {
        var template = TemplateReader.Read(templateBody);
        var values = new TemplateValues(template, parameters);
        return [.. (template["Resources"] as JsonObject ?? [])
            .Where(r => r.Value?["Condition"]?.ToString() is not { } condition || values.Condition(condition) != false)
            .Select(r => new TemplateResource(r.Key, r.Value?["Type"]?.ToString() ?? "?", values.Resolve(r.Value?["Properties"]) as JsonObject))];
    }
}
