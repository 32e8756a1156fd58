namespace PipelineKit.Benchmarks;

using System.Diagnostics;
using PipelineKit.Configuration;
using PipelineKit.Orchestration;
using PipelineKit.Pipeline;

/// <summary>Row 4: what a user waits for before any AWS call: a warm <c>./build.sh --help</c>, whole process; and the
/// pipeline's CDK synthesis, cold next to cached (<see cref="SynthesisCache"/>, under artifacts/).</summary>
public sealed class StartupRows(BenchmarkTable table, string root)
{
    public async Task AddAsync()
    {
        table.Progress("./build.sh --help, warm (one run first, then the median of 3)");
        var help = await ProcessTimer.WarmMedianAsync(
            () => ProcessTimer.RunAsync(Path.Combine(root, "build.sh"), ["--help"], root), 3).ConfigureAwait(false);
        table.Add(new BenchmarkRow("start-up", "./build.sh --help, warm, whole process", FakeCloudRows.Seconds(help), "", "", "", null));

        table.Progress("pipeline synthesis (CDK), cold, then from the cache");
        var config = new Topology(10, 3).Config($"bench-synth-{Environment.ProcessId}");
        // Key ids as KMS makes them (UUIDs): the cache fills them into the kept template.
        var keys = config.Regions.ToDictionary(r => r, r => $"arn:aws:kms:{r}:{config.Build.Account}:key/{Guid.NewGuid()}", StringComparer.Ordinal);
        var outputs = FoundationOutputs.FromNames(config, keys, $"arn:aws:kms:{config.Build.Region}:{config.Build.Account}:key/{Guid.NewGuid()}");
        var outDir = Directory.CreateTempSubdirectory("pipelinekit-bench-synth-").FullName;
        try
        {
            var cold = Time(() => SynthesisCache.TemplateBody(config, outputs, outDir, Environment.GetEnvironmentVariable));
            var cached = Time(() => SynthesisCache.TemplateBody(config, outputs, outDir, Environment.GetEnvironmentVariable));
            table.Add(new BenchmarkRow("start-up", "pipeline synthesis 10x3: cached vs cold", FakeCloudRows.Seconds(cached),
                FakeCloudRows.Seconds(cold), FakeCloudRows.Ratio(cold.TotalSeconds, cached.TotalSeconds), "", null));
        }
        finally
        {
            Directory.Delete(outDir, recursive: true);
        }
    }

    private static TimeSpan Time(Func<string> synthesize)
    {
        var clock = Stopwatch.StartNew();
        var body = synthesize();
        if (body.Length == 0) throw new InvalidOperationException("the synthesis returned an empty template");
        return clock.Elapsed;
    }
}
