using System.Text.Json.Nodes;

namespace PipelineKit.Tests.Pipeline;

public sealed class PipelineSynthesizerTests(PipelineTemplates templates) : IClassFixture<PipelineTemplates>
{
    [Theory]
    [MemberData(nameof(PipelineTemplates.Names), MemberType = typeof(PipelineTemplates))]
    public void Synthesize_WritesTheTemplateItReturns(string name)
    {
        var synthesized = templates[name].Pipeline;

        Assert.Equal(File.ReadAllText(synthesized.TemplatePath), synthesized.TemplateBody);
        Assert.NotNull(JsonNode.Parse(synthesized.TemplateBody)!["Resources"]);
    }
}
