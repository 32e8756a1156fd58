namespace PipelineKit.Testing;

using System.Net;
using Amazon.Runtime;
using PipelineKit.Aws;
using PipelineKit.Deployment;

/// <summary>IMPORT change sets in the fake (FakeCloudFormation.md, "Import"): refused when a resource to import does not
/// exist or belongs to another stack, as CloudFormation refuses them; on execution the stack adopts each resource and
/// settles in IMPORT_COMPLETE, or, when one vanished meanwhile, IMPORT_ROLLBACK_COMPLETE.</summary>
internal static class FakeImports
{
    /// <summary>The change set's changes: one Import per resource. Called under the fake's lock.</summary>
    public static List<ResourceChange> Changes(FakeResources? world, StackLocation at, CreateChangeSetRequest request, string stackId)
    {
        var imports = request.ResourcesToImport ?? [];
        if (imports.Count == 0) throw Validation("ResourcesToImport is required for a change set of type IMPORT.");
        foreach (var resource in imports)
        {
            var why = world is null ? $"Resource {resource.LogicalResourceId} does not exist." : world.WhyNotImportable(at, resource, stackId);
            if (why is not null) throw Validation(why);
        }

        return [.. imports.Select(r => new ResourceChange("Import", r.LogicalResourceId, r.ResourceIdentifier.Values.First(), r.ResourceType, null))];
    }

    /// <summary>Settles an executed IMPORT change set. Called under the fake's lock.</summary>
    public static void Complete(FakeStack stack, FakeChangeSet cs, FakeResources? world, FakeStackProgress progress)
    {
        var at = LocationOf(stack.Id);
        var failed = cs.Changes.FirstOrDefault(c => world is null ||
            world.WhyNotImportable(at, ToImport(c), stack.Id) is not null);
        foreach (var change in cs.Changes)
        {
            progress.Event(stack, change.LogicalResourceId, change.ResourceType, "IMPORT_IN_PROGRESS", null);
            var fails = change == failed;
            progress.Event(stack, change.LogicalResourceId, change.ResourceType, fails ? "IMPORT_FAILED" : "IMPORT_COMPLETE",
                fails ? $"{change.PhysicalResourceId} does not exist" : null);
            if (fails) break;
        }

        if (failed is null)
        {
            foreach (var change in cs.Changes) world!.Adopt(ToImport(change), stack.Id);
            stack.Template = cs.Template;
            stack.Parameters = cs.Parameters;
            stack.Tags = cs.Tags;
        }

        stack.Status = failed is null ? StackStatus.ImportComplete : StackStatus.ImportRollbackComplete;
        progress.Event(stack, stack.Name, "AWS::CloudFormation::Stack", stack.Status.Value, null);
    }

    private static ResourceToImport ToImport(ResourceChange change) =>
        new(change.ResourceType, change.LogicalResourceId, new Dictionary<string, string> { ["Id"] = change.PhysicalResourceId ?? "" });

    private static StackLocation LocationOf(string stackId)
    {
        var parts = stackId.Split(':');
        return new StackLocation(parts[4], parts[3]);
    }

    private static AmazonServiceException Validation(string message) =>
        new(message, null, ErrorType.Sender, "ValidationError", "fake-request", HttpStatusCode.BadRequest);
}
