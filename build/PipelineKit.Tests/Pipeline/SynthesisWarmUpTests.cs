namespace PipelineKit.Tests.Pipeline;

using PipelineKit.Configuration;
using PipelineKit.Orchestration;
using PipelineKit.Pipeline;

/// <summary>A first deploy synthesizes the pipeline while the foundation deploys, and the pipeline's turn then finds the
/// template made; a re-run, whose template is kept, synthesizes nothing and starts no node.</summary>
public sealed class SynthesisWarmUpTests : IDisposable
{
    private readonly string outDir = Directory.CreateTempSubdirectory("pipelinekit-synth-warm-").FullName;
    private readonly SemaphoreSlim started = new(0);
    private readonly TaskCompletionSource mayFinish = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int synthesized;

    public void Dispose()
    {
        started.Dispose();
        Directory.Delete(outDir, recursive: true);
    }

    private static PipelineConfig Config() =>
        PipelineConfigLoader.Parse(PipelineTemplates.SingleJson, "single.pipeline.json", ConfigContext.WithoutProfiles);

    private static FoundationOutputs Deployed(PipelineConfig config) =>
        FoundationOutputs.FromNames(config, config.Regions.ToDictionary(r => r, r => PipelineTemplates.KeyArn(config, r)), PipelineTemplates.NotificationsKeyArn(config));

    /// <summary>A synthesis that says it started and finishes when the test lets it.</summary>
    private string Synthesize(FoundationOutputs outputs)
    {
        Interlocked.Increment(ref synthesized);
        started.Release();
        mayFinish.Task.Wait(TimeSpan.FromSeconds(30));
        return "template " + outputs.NotificationsKeyArn;
    }

    [Fact]
    public async Task Start_WhenNoTemplateIsKept_SynthesizesInTheBackground_AndThePipelinesTurnWaitsForThatOne()
    {
        var config = Config();

        Assert.True(SynthesisCache.Start(config, outDir, _ => null, Synthesize));
        Assert.True(await started.WaitAsync(TimeSpan.FromSeconds(30)));
        var body = Task.Run(() => SynthesisCache.TemplateBody(config, Deployed(config), outDir, _ => null, Synthesize));
        mayFinish.SetResult();

        Assert.Equal("template " + PipelineTemplates.NotificationsKeyArn(config), await body);
        Assert.Equal(1, synthesized);
    }

    [Fact]
    public async Task Start_WhenThePipelinesTemplateIsKept_SynthesizesNothing()
    {
        var config = Config();
        mayFinish.SetResult();
        SynthesisCache.TemplateBody(config, Deployed(config), outDir, _ => null, Synthesize);

        Assert.False(SynthesisCache.Start(config, outDir, _ => null, Synthesize));
        await Task.Delay(200);
        Assert.Equal(1, synthesized);
    }
}
