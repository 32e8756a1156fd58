using PipelineKit.Tests.Templates;

namespace PipelineKit.Tests.Pipeline;

// The synthesized pipelines get the same cfn-lint check as the foundation templates. The one rule
// skipped (W3005 on the pipeline resource) is declared in the template's own cfn-lint metadata,
// with the reason in PipelineSynthesizer.
[Collection(SynthesizedPipelinesCollection.Name)]
public sealed class PipelineTemplateLintTests(PipelineTemplates templates)
{
    [Fact]
    public async Task CfnLint_OverEverySynthesizedPipeline_ReportsNothing()
    {
        var paths = PipelineTemplates.All.Append(PipelineTemplates.Unit).Select(name => templates[name].Pipeline.TemplatePath).ToArray();
        var directory = Path.GetDirectoryName(Path.GetDirectoryName(paths[0]))!;

        var (exitCode, findings) = await CfnLint.RunAsync(directory, paths);

        Assert.True(exitCode == 0 && findings.Length == 0, $"cfn-lint exited with {exitCode}; findings:{Environment.NewLine}{findings}");
    }
}
