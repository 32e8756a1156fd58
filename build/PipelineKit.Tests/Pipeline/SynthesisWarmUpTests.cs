namespace PipelineKit.Tests.Pipeline;

using PipelineKit.Configuration;
using PipelineKit.Orchestration;
using PipelineKit.Pipeline;

/// <summary>A first deploy starts the CDK while the foundation deploys; a re-run, whose template is kept, starts no node.</summary>
public sealed class SynthesisWarmUpTests : IDisposable
{
    private readonly string outDir = Directory.CreateTempSubdirectory("pipelinekit-synth-warm-").FullName;
    private readonly SemaphoreSlim started = new(0);

    public void Dispose()
    {
        started.Dispose();
        Directory.Delete(outDir, recursive: true);
    }

    private static PipelineConfig Config() =>
        PipelineConfigLoader.Parse(PipelineTemplates.SingleJson, "single.pipeline.json", ConfigContext.WithoutProfiles);

    private object Start()
    {
        started.Release();
        return new object();
    }

    [Fact]
    public async Task WarmUp_WhenNoTemplateIsKept_StartsTheRuntimeInTheBackground()
    {
        Assert.True(SynthesisCache.WarmUpUnlessCached(Config(), outDir, Start));

        Assert.True(await started.WaitAsync(TimeSpan.FromSeconds(30)));
    }

    [Fact]
    public async Task WarmUp_WhenThePipelinesTemplateIsKept_StartsNothing()
    {
        var config = Config();
        var outputs = FoundationOutputs.FromNames(config, config.Regions.ToDictionary(r => r, r => PipelineTemplates.KeyArn(config, r)), "arn:aws:kms:eu-central-1:123456789012:key/n");
        SynthesisCache.TemplateBody(config, outputs, outDir, _ => null, () => "template");

        Assert.False(SynthesisCache.WarmUpUnlessCached(config, outDir, Start));
        Assert.False(await started.WaitAsync(TimeSpan.FromMilliseconds(200)));
    }
}
