namespace PipelineKit.Tests.Pipeline;

/// <summary>Every deploy stage rolls back by itself when it fails (pipeline.json's rollbackOnFailure, on by default).</summary>
[Collection(SynthesizedPipelinesCollection.Name)]
public sealed class StageRollbackTests(PipelineTemplates templates)
{
    [Theory]
    [MemberData(nameof(PipelineTemplates.Names), MemberType = typeof(PipelineTemplates))]
    public void DeployStages_RollBackOnFailure_OtherStagesDoNot_UnlessTheConfigurationTurnsItOff(string name)
    {
        var synthesized = templates[name];
        var deployStages = synthesized.Config.DeployStages.Select(s => s.Name).ToHashSet(StringComparer.Ordinal);

        foreach (var stage in synthesized.Stages)
        {
            var onFailure = stage!["OnFailure"]?["Result"]?.GetValue<string>();
            var expected = synthesized.Config.RollbackOnFailure && deployStages.Contains((string)stage["Name"]!) ? "ROLLBACK" : null;
            Assert.True(expected == onFailure, $"stage {stage["Name"]}: OnFailure {onFailure ?? "(none)"}, expected {expected ?? "(none)"}");
        }

        // The single case turns it off; the sandbox's (one stage per environment) and the six's (waves) keep the default.
        Assert.Equal(name != PipelineTemplates.Single, synthesized.Config.RollbackOnFailure);
    }
}
