namespace PipelineKit.LocalPipeline;

/// <summary>
/// The checks across actions that CodePipeline makes when the pipeline is created (CodePipeline API reference:
/// ActionDeclaration, OutputArtifact, ArtifactStore): run orders within 1..999, unique stage and action names, output
/// artifact names unique in the pipeline, every input artifact produced by an earlier stage or by an action of a lower
/// run order in the same stage, an artifact store in every region an action runs in, and stage, action and artifact
/// names of CodePipeline's pattern (StageDeclaration, ActionDeclaration, InputArtifact, OutputArtifact: 1 to 100 of
/// <c>[A-Za-z0-9.@\-_]</c>): the local run makes file names of them.
/// </summary>
internal static partial class PipelineStructureRules
{
    public const int MaxRunOrder = 999;

    /// <summary>Whether CodePipeline accepts <paramref name="name"/> as a stage, action or artifact name.</summary>
    public static bool IsPipelineName(string name) => PipelineName().IsMatch(name);

    public static void Check(
        IReadOnlyList<StageDefinition> stages, IReadOnlyDictionary<string, ArtifactStoreDefinition> stores, TemplateRefusals refusals)
    {
        foreach (var duplicate in stages.GroupBy(s => s.Name, StringComparer.Ordinal).Where(g => g.Count() > 1))
            refusals.Add($"Stage {duplicate.Key}", "the pipeline has more than one stage of this name.");
        CheckNames(stages, refusals);

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

    private static void CheckNames(IReadOnlyList<StageDefinition> stages, TemplateRefusals refusals)
    {
        const string Pattern = "is not a name CodePipeline accepts (1 to 100 letters, digits, '.', '@', '-' or '_').";
        foreach (var stage in stages)
        {
            if (!IsPipelineName(stage.Name)) refusals.Add($"Stage {stage.Name}, Name", Pattern);
            foreach (var action in stage.Actions)
            {
                if (!IsPipelineName(action.Name)) refusals.Add(TemplateRefusals.At(stage.Name, action.Name, "Name"), Pattern);
                foreach (var (field, names) in new[] { ("InputArtifacts", action.InputArtifacts), ("OutputArtifacts", action.OutputArtifacts) })
                {
                    foreach (var name in names.Where(n => !IsPipelineName(n)))
                        refusals.Add(TemplateRefusals.At(stage.Name, action.Name, field), $"artifact {name} {Pattern}");
                }
            }
        }
    }

    [System.Text.RegularExpressions.GeneratedRegex(@"^[A-Za-z0-9.@\-_]{1,100}$")]
    private static partial System.Text.RegularExpressions.Regex PipelineName();

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
