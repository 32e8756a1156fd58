namespace PipelineKit.LocalPipeline;

/// <summary>
/// The checks across actions that CodePipeline makes when the pipeline is created (CodePipeline API reference:
/// ActionDeclaration, OutputArtifact, ArtifactStore): run orders within 1..999, unique stage and action names, output
/// artifact names unique in the pipeline, every input artifact produced by an earlier stage or by an action of a lower
/// run order in the same stage, and an artifact store in every region an action runs in.
/// </summary>
internal static class PipelineStructureRules
{
    public const int MaxRunOrder = 999;

    public static void Check(
        IReadOnlyList<StageDefinition> stages, IReadOnlyDictionary<string, ArtifactStoreDefinition> stores, TemplateRefusals refusals)
    {
        foreach (var duplicate in stages.GroupBy(s => s.Name, StringComparer.Ordinal).Where(g => g.Count() > 1))
            refusals.Add($"Stage {duplicate.Key}", "the pipeline has more than one stage of this name.");

        var producers = new Dictionary<string, ActionDefinition>(StringComparer.Ordinal);
        foreach (var stage in stages)
        {
            foreach (var duplicate in stage.Actions.GroupBy(a => a.Name, StringComparer.Ordinal).Where(g => g.Count() > 1))
                refusals.Add(TemplateRefusals.At(stage.Name, duplicate.Key), "the stage has more than one action of this name.");

            foreach (var action in stage.Actions)
            {
                CheckRunOrder(action, refusals);
                CheckInputs(stage, action, producers, refusals);
                if (!stores.ContainsKey(action.Region))
                {
                    refusals.Add(TemplateRefusals.At(stage.Name, action.Name, "Region"),
                        $"the action runs in {action.Region}, where the pipeline has no artifact store (it has stores in {Regions(stores)}).");
                }
            }

            foreach (var action in stage.Actions)
            {
                foreach (var output in action.OutputArtifacts)
                {
                    if (producers.TryGetValue(output, out var earlier))
                    {
                        refusals.Add(TemplateRefusals.At(stage.Name, action.Name, "OutputArtifacts"),
                            $"artifact {output} is also produced by {earlier}; output artifact names are unique in a pipeline.");
                    }
                    else
                    {
                        producers[output] = action;
                    }
                }
            }
        }
    }

    private static void CheckRunOrder(ActionDefinition action, TemplateRefusals refusals)
    {
        if (action.RunOrder is < 1 or > MaxRunOrder)
            refusals.Add(TemplateRefusals.At(action.Stage, action.Name, "RunOrder"), $"{action.RunOrder} is outside 1..{MaxRunOrder}.");
    }

    /// <summary>An input must come from an earlier stage (<paramref name="producers"/> so far) or from an action of the
    /// same stage with a lower run order.</summary>
    private static void CheckInputs(StageDefinition stage, ActionDefinition action, IReadOnlyDictionary<string, ActionDefinition> producers, TemplateRefusals refusals)
    {
        foreach (var input in action.InputArtifacts)
        {
            if (producers.ContainsKey(input)) continue;
            var sameStage = stage.Actions.FirstOrDefault(a => a.OutputArtifacts.Contains(input, StringComparer.Ordinal));
            var problem = sameStage switch
            {
                null => $"reads artifact {input}, which no earlier stage or earlier run order of this stage produces.",
                _ when sameStage.RunOrder >= action.RunOrder =>
                    $"reads artifact {input}, which {sameStage} produces at run order {sameStage.RunOrder}, not before this action's {action.RunOrder}.",
                _ => null,
            };
            if (problem is not null) refusals.Add(TemplateRefusals.At(action.Stage, action.Name, "InputArtifacts"), problem);
        }
    }

    private static string Regions(IReadOnlyDictionary<string, ArtifactStoreDefinition> stores) =>
        stores.Count == 0 ? "no region" : string.Join(", ", stores.Keys.Order(StringComparer.Ordinal));
}
