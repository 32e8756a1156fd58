// Figures for the engine's speed claims, measured side by side in one run (these machines are noisy:
// compare the ratios, not the absolute times). Run: ./build.sh Benchmark
using System.Diagnostics;
using PipelineKit.Configuration;
using PipelineKit.Deployment;
using PipelineKit.Orchestration;
using PipelineKit.Reporting;
using PipelineKit.Testing;

const int targetAccounts = 12;
var latency = TimeSpan.FromMilliseconds(25);   // per API call, about what a CloudFormation call costs from a build host
var polling = new PollingPolicy(TimeSpan.FromMilliseconds(50), TimeSpan.FromMilliseconds(200), 1.5, TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(5));

var sandbox = PipelineConfigLoader.LoadSandbox();
var config = sandbox with
{
    Name = "bench",
    // The build account's and the target accounts' stacks only: no CodeCommit source account's stack.
    Source = new S3Source(),
    Environments = Enumerable.Range(0, targetAccounts)
        .Select(i => new EnvironmentSettings($"env{i}", (200000000000L + i).ToString(), sandbox.Regions[i % sandbox.Regions.Count]))
        .ToArray(),
};

Console.WriteLine($"Foundation for 1 build account + {targetAccounts} target accounts over {config.Regions.Count} regions; " +
                  $"{latency.TotalMilliseconds:0} ms per AWS call, stacks settle after 3 polls.");
Console.WriteLine();
Console.WriteLine($"{"scenario",-48} {"stacks",6} {"wall ms",8} {"calls",6} {"mutating",8} {"alloc MB",8} {"vs sequential",13}");

var sequential = await Measure("first run, one stack at a time (parallelism 1)", new FakeCloud(TimeProvider.System), 1);
var cloud = new FakeCloud(TimeProvider.System);
await Measure("first run, parallelism 8", cloud, 8, sequential);
await Measure("re-run, nothing changed (parallelism 8)", cloud, 8, sequential);
return;

async Task<TimeSpan> Measure(string scenario, FakeCloud target, int parallelism, TimeSpan? baseline = null)
{
    var callsBefore = target.Regions.Values.Sum(r => r.Calls.Count);
    var mutatingBefore = target.MutatingCalls.Count;
    foreach (var region in config.Regions.SelectMany(r => new[] { config.Build.Account }.Concat(config.TargetAccounts.Select(a => a.AccountId))
                 .Select(a => target.At(new StackLocation(a, r)))))
    {
        region.Latency = latency;
    }

    var observer = new RecordingObserver();
    // The engine is measured, not the CDK: the pipeline template is a fixed stand-in.
    var plan = new FoundationPlan(config, target.CloudFormationAt, new StackDeployer(TimeProvider.System, polling, observer),
        _ => "Resources: {}");
    var allocated = GC.GetTotalAllocatedBytes(precise: true);
    var clock = Stopwatch.StartNew();
    var results = await new DagRunner(parallelism, TimeProvider.System, observer).RunAsync(plan.For(KitTarget.BootstrapAll, new Dictionary<string, StackResult>()));
    clock.Stop();
    var megabytes = (GC.GetTotalAllocatedBytes(precise: true) - allocated) / 1024.0 / 1024.0;
    if (results.Any(r => !r.Result.Succeeded)) throw new InvalidOperationException($"{scenario}: a stack failed");

    var calls = target.Regions.Values.Sum(r => r.Calls.Count) - callsBefore;
    var ratio = baseline is { } b ? $"{b / clock.Elapsed:0.0}x faster" : "1.0x";
    Console.WriteLine($"{scenario,-48} {results.Count,6} {clock.ElapsedMilliseconds,8} {calls,6} {target.MutatingCalls.Count - mutatingBefore,8} {megabytes,8:0.0} {ratio,13}");
    return clock.Elapsed;
}
