namespace PipelineKit.LocalPipeline;

using System.Text.Json;
using System.Text.Json.Nodes;
using PipelineKit.Errors;

/// <summary>
/// Reads the synthesized pipeline stack's template into the <see cref="PipelineDefinition"/> the local runner executes,
/// resolving the intrinsic functions CloudFormation would (<see cref="TemplateIntrinsics"/>), and checks the whole
/// pipeline before anything runs: action types and configuration fields the runner does not implement, artifacts read
/// before they are produced, regions without an artifact store, run orders, unknown CodeBuild projects. Every problem is
/// named in one <see cref="LocalPipelineException"/> (<see cref="ErrorCodes.LocalPipelineRefused"/>), one per line.
/// </summary>
public static class PipelineDefinitionReader
{
    private const string PipelineType = "AWS::CodePipeline::Pipeline";

    /// <summary>The pipeline's properties the runner reads or that do not change how a run goes; any other is refused.</summary>
    private static readonly HashSet<string> PipelineProperties = new(StringComparer.Ordinal)
    {
        "Name", "RoleArn", "ArtifactStore", "ArtifactStores", "Stages", "PipelineType", "RestartExecutionOnUpdate",
        "ExecutionMode", "Triggers", "Tags",
    };

    /// <param name="templateJson">The pipeline stack's synthesized template (JSON).</param>
    /// <param name="account">The build account, where the pipeline stack is deployed.</param>
    /// <param name="region">The build region, where the pipeline stack is deployed.</param>
    /// <exception cref="LocalPipelineException">The template has not exactly one pipeline, or the runner refuses it.</exception>
    public static PipelineDefinition Read(string templateJson, string account, string region)
    {
        ArgumentNullException.ThrowIfNull(templateJson);
        ArgumentException.ThrowIfNullOrWhiteSpace(account);
        ArgumentException.ThrowIfNullOrWhiteSpace(region);

        var resources = Resources(templateJson);
        var pipelines = resources.Where(r => (string?)(r.Value as JsonObject)?["Type"] == PipelineType).ToList();
        if (pipelines.Count != 1)
        {
            var found = pipelines.Count == 0 ? "none" : string.Join(", ", pipelines.Select(p => p.Key));
            throw Refused($"The local pipeline runner needs exactly one {PipelineType} in the template; it has {pipelines.Count} ({found}).");
        }

        var (logicalId, node) = pipelines[0];
        var properties = node!["Properties"] as JsonObject ?? [];
        var path = $"Resources.{logicalId}.Properties";
        var refusals = new TemplateRefusals();
        var intrinsics = new TemplateIntrinsics(resources, account, region, refusals);

        var name = intrinsics.Resolve(properties["Name"], "Pipeline, Name", $"{path}.Name");
        if (name is null && properties["Name"] is null) refusals.Add("Pipeline, Name", "the pipeline has no Name: the local runner runs a pipeline by its name.");
        foreach (var property in properties.Select(p => p.Key).Where(k => !PipelineProperties.Contains(k)))
            refusals.Add($"Pipeline, {property}", "is not run by the local runner.");

        var roleArn = intrinsics.Resolve(properties["RoleArn"], "Pipeline, RoleArn", $"{path}.RoleArn");
        if (roleArn is null && properties["RoleArn"] is null) refusals.Add("Pipeline, RoleArn", "the pipeline has no service role.");

        var stores = ArtifactStoreReader.Read(properties, path, intrinsics, refusals);
        var stages = new StageReader(intrinsics, refusals, roleArn ?? "", path).Read(properties["Stages"]);
        PipelineStructureRules.Check(stages, stores, refusals);
        var projects = BuildProjectReader.Read(resources, stages, intrinsics, refusals);

        refusals.ThrowIfAny(name ?? logicalId);
        return new PipelineDefinition(name!, account, region, roleArn!, stores, stages, projects);
    }

    private static JsonObject Resources(string templateJson)
    {
        JsonNode? template;
        try
        {
            template = JsonNode.Parse(templateJson);
        }
        catch (JsonException e)
        {
            throw Refused($"The pipeline template is not JSON: {e.Message}", e);
        }

        return template?["Resources"] as JsonObject ?? throw Refused("The pipeline template has no Resources.");
    }

    private static LocalPipelineException Refused(string message, Exception? inner = null) =>
        new(ErrorCodes.LocalPipelineRefused.Code, message, "Give the local runner the pipeline stack's synthesized template.", inner);
}
