namespace PipelineKit.Planning;

/// <summary>What a new template widens over the deployed one, per policy-bearing resource (by logical id), each template
/// resolved under its own parameters.</summary>
public static class TemplateWidening
{
    public static IReadOnlyDictionary<string, IReadOnlyList<string>> Of(
        string deployedTemplate, IReadOnlyDictionary<string, string> deployedParameters,
        string desiredTemplate, IReadOnlyDictionary<string, string> desiredParameters)
    {
        var before = TemplateResources.Of(deployedTemplate, deployedParameters).ToDictionary(r => r.LogicalId, StringComparer.Ordinal);
        var widened = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
        foreach (var resource in TemplateResources.Of(desiredTemplate, desiredParameters).Where(r => PolicyResources.IsSecurityRelevant(r.ResourceType)))
        {
            var old = before.TryGetValue(resource.LogicalId, out var o) && o.ResourceType == resource.ResourceType ? o : null;
            var found = Widening(resource, old);
            if (found.Count > 0) widened[resource.LogicalId] = found;
        }

        return widened;
    }

    private static List<string> Widening(TemplateResource resource, TemplateResource? old)
    {
        var oldDocuments = PolicyResources.Documents(resource.ResourceType, old?.Properties);
        var found = new List<string>();
        foreach (var (label, document) in PolicyResources.Documents(resource.ResourceType, resource.Properties))
        {
            found.AddRange(PolicyWidening.Compare(oldDocuments.GetValueOrDefault(label), document).Select(w => $"{label}: {w}"));
        }

        var oldAttachments = PolicyResources.Attachments(old?.Properties);
        var attachments = PolicyResources.Attachments(resource.Properties);
        found.AddRange(attachments.Except(oldAttachments).Select(a => "new " + a));
        found.AddRange(oldAttachments.Where(a => a.StartsWith("permissions boundary", StringComparison.Ordinal)).Except(attachments)
            .Select(a => a + " removed"));
        return found;
    }
}
