namespace PipelineKit.LocalPipeline;

using System.Text.Json.Nodes;

/// <summary>
/// Reads the pipeline's stages and their actions in template order, with the defaults CodePipeline applies (CodePipeline
/// API reference, ActionDeclaration): RunOrder 1, the pipeline's region, the pipeline's role. Configuration values are
/// kept as strings (CloudFormation booleans become "true"/"false"); variables (<c>#{...}</c>) are left for the run.
/// Stage and action properties the runner does not act on (a stage's BeforeEntry conditions, say) are refused by name.
/// </summary>
internal sealed class StageReader(TemplateIntrinsics intrinsics, TemplateRefusals refusals, string pipelineRoleArn, string pipelinePath)
{
    private static readonly HashSet<string> StageProperties = new(StringComparer.Ordinal) { "Name", "Actions", "OnFailure" };

    public List<StageDefinition> Read(JsonNode? stagesNode)
    {
        var stages = new List<StageDefinition>();
        if (stagesNode is not JsonArray { Count: > 0 } list)
        {
            refusals.Add("Pipeline", "the pipeline declares no Stages.");
            return stages;
        }

        for (var i = 0; i < list.Count; i++)
        {
            if (ReadStage(list[i] as JsonObject ?? [], $"{pipelinePath}.Stages[{i}]", i) is { } stage) stages.Add(stage);
        }

        return stages;
    }

    private StageDefinition? ReadStage(JsonObject node, string path, int index)
    {
        var name = intrinsics.Resolve(node["Name"], $"Stages[{index}]", $"{path}.Name");
        if (name is null)
        {
            if (node["Name"] is null) refusals.Add($"Stages[{index}]", "the stage has no Name.");
            return null;
        }

        foreach (var property in node.Select(p => p.Key).Where(k => !StageProperties.Contains(k)))
            refusals.Add($"Stage {name}, {property}", "is not run by the local runner.");

        string? onFailure = null;
        if (node["OnFailure"] is JsonObject failure)
        {
            onFailure = intrinsics.Resolve(failure["Result"], $"Stage {name}, OnFailure.Result", $"{path}.OnFailure.Result");
            foreach (var property in failure.Select(p => p.Key).Where(k => k != "Result"))
                refusals.Add($"Stage {name}, OnFailure.{property}", "is not run by the local runner (it reads OnFailure.Result).");
        }

        var actions = new List<ActionDefinition>();
        if (node["Actions"] is not JsonArray { Count: > 0 } list)
        {
            refusals.Add($"Stage {name}", "the stage declares no Actions.");
        }
        else
        {
            for (var i = 0; i < list.Count; i++)
            {
                if (ReadAction(name, list[i] as JsonObject ?? [], $"{path}.Actions[{i}]", i) is { } action) actions.Add(action);
            }
        }

        return new StageDefinition(name, actions, onFailure);
    }

    private ActionDefinition? ReadAction(string stage, JsonObject node, string path, int index)
    {
        var name = intrinsics.Resolve(node["Name"], $"Stage {stage}, Actions[{index}]", $"{path}.Name");
        if (name is null)
        {
            if (node["Name"] is null) refusals.Add($"Stage {stage}, Actions[{index}]", "the action has no Name.");
            return null;
        }

        string? Value(string field) => intrinsics.Resolve(node[field], TemplateRefusals.At(stage, name, field), $"{path}.{field}");

        foreach (var property in node.Select(p => p.Key).Where(k => !ActionRules.ActionProperties.Contains(k)))
            refusals.Add(TemplateRefusals.At(stage, name, property), "is not run by the local runner.");

        var type = ReadType(node["ActionTypeId"] as JsonObject, stage, name, $"{path}.ActionTypeId");
        var runOrderText = Value("RunOrder");
        var runOrder = runOrderText is null ? 1 : TemplateNumbers.Integer(runOrderText);
        if (runOrder is null) refusals.Add(TemplateRefusals.At(stage, name, "RunOrder"), $"{runOrderText} is not a whole number.");
        var timeoutText = Value("TimeoutInMinutes");
        var timeout = TemplateNumbers.Integer(timeoutText);
        if (timeoutText is not null && timeout is null)
            refusals.Add(TemplateRefusals.At(stage, name, "TimeoutInMinutes"), $"{timeoutText} is not a whole number of minutes.");

        var declared = (node["Configuration"] as JsonObject)?.Select(p => p.Key).ToHashSet(StringComparer.Ordinal) ?? [];
        var action = new ActionDefinition(
            stage,
            name,
            type,
            runOrder ?? 1,
            Value("Region") ?? intrinsics.Region,
            Value("RoleArn") ?? pipelineRoleArn,
            Value("Namespace"),
            ReadConfiguration(node["Configuration"], stage, name, $"{path}.Configuration"),
            ArtifactNames(node["InputArtifacts"], stage, name, "InputArtifacts", path),
            ArtifactNames(node["OutputArtifacts"], stage, name, "OutputArtifacts", path))
        {
            TimeoutInMinutes = timeout,
        };
        ActionRules.Check(action, declared, refusals);
        return action;
    }

    private ActionType ReadType(JsonObject? node, string stage, string action, string path)
    {
        string Part(string field)
        {
            var where = TemplateRefusals.At(stage, action, $"ActionTypeId.{field}");
            var value = intrinsics.Resolve(node?[field], where, $"{path}.{field}");
            if (value is null && node?[field] is null) refusals.Add(where, "the action type has no " + field + ".");
            return value ?? "";
        }

        return new ActionType(Part("Category"), Part("Owner"), Part("Provider"), Part("Version"));
    }

    private Dictionary<string, string> ReadConfiguration(JsonNode? node, string stage, string action, string path)
    {
        var configuration = new Dictionary<string, string>(StringComparer.Ordinal);
        if (node is null) return configuration;
        if (node is not JsonObject fields)
        {
            refusals.Add(TemplateRefusals.At(stage, action, "Configuration"), "is not an object of fields.");
            return configuration;
        }

        foreach (var (field, value) in fields)
        {
            if (intrinsics.Resolve(value, TemplateRefusals.At(stage, action, $"Configuration.{field}"), $"{path}.{field}") is { } text)
                configuration[field] = text;
        }

        return configuration;
    }

    private List<string> ArtifactNames(JsonNode? node, string stage, string action, string field, string path)
    {
        var names = new List<string>();
        if (node is null) return names;
        if (node is not JsonArray list)
        {
            refusals.Add(TemplateRefusals.At(stage, action, field), "is not a list of {Name}.");
            return names;
        }

        for (var i = 0; i < list.Count; i++)
        {
            var where = TemplateRefusals.At(stage, action, $"{field}[{i}].Name");
            if (intrinsics.Resolve(list[i]?["Name"], where, $"{path}.{field}[{i}].Name") is { Length: > 0 } name) names.Add(name);
            else if (list[i]?["Name"] is null) refusals.Add(where, "the artifact has no Name.");
        }

        return names;
    }
}
