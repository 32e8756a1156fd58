namespace PipelineKit.Planning;

using PipelineKit.Aws;
using PipelineKit.Deployment;

/// <summary>Turns a preview into a stack's plan: a new stack's resources read from its template, an update's from its
/// change set, each flagged when it bears permissions and, for an update, with what its policies would widen.</summary>
public static class StackPlans
{
    public static StackPlan From(StackRef stack, StackDeployment desired, StackPreviewResult preview) => preview.Kind switch
    {
        PreviewKind.Unchanged => new StackPlan(stack.Key, stack.StackName, stack.Location, PlanStatus.Unchanged, []),
        PreviewKind.Create => new StackPlan(stack.Key, stack.StackName, stack.Location, PlanStatus.Create, Added(desired),
            preview.Existing is null ? null : $"in {preview.Existing.Status}: created by its first change set"),
        PreviewKind.Recreate => new StackPlan(stack.Key, stack.StackName, stack.Location, PlanStatus.Recreate, Added(desired),
            $"in {preview.Existing!.Status}: would be deleted and recreated"),
        _ => new StackPlan(stack.Key, stack.StackName, stack.Location, PlanStatus.Update, Updated(desired, preview)),
    };

    public static StackPlan Failed(StackRef stack, string error) =>
        new(stack.Key, stack.StackName, stack.Location, PlanStatus.Error, [], error);

    private static List<PlannedResource> Added(StackDeployment desired) =>
        [.. TemplateResources.Of(desired.TemplateBody, desired.Parameters)
            .Select(r => new PlannedResource("Add", r.LogicalId, r.ResourceType, null, PolicyResources.IsSecurityRelevant(r.ResourceType), []))];

    private static List<PlannedResource> Updated(StackDeployment desired, StackPreviewResult preview)
    {
        var widening = TemplateWidening.Of(preview.DeployedTemplate ?? "{}", preview.Existing!.Parameters, desired.TemplateBody, desired.Parameters);
        var resources = preview.Changes
            .Select(c => new PlannedResource(c.Action, c.LogicalResourceId, c.ResourceType, c.Action == "Modify" ? c.Replacement : null,
                PolicyResources.IsSecurityRelevant(c.ResourceType), widening.GetValueOrDefault(c.LogicalResourceId) ?? []))
            .ToList();

        // A policy that widens is listed even where the change set does not name it (an emulator may not).
        var listed = resources.Select(r => r.LogicalId).ToHashSet(StringComparer.Ordinal);
        var types = TemplateResources.Of(desired.TemplateBody, desired.Parameters).ToDictionary(r => r.LogicalId, r => r.ResourceType, StringComparer.Ordinal);
        resources.AddRange(widening.Where(w => !listed.Contains(w.Key))
            .Select(w => new PlannedResource("Modify", w.Key, types.GetValueOrDefault(w.Key) ?? "?", null, true, w.Value)));
        return resources;
    }
}
