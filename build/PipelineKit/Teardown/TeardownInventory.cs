namespace PipelineKit.Teardown;

using PipelineKit.Aws;
using PipelineKit.Configuration;
using PipelineKit.Deployment;
using PipelineKit.Naming;
using PipelineKit.Orchestration;

/// <summary>A bucket of the foundation (build account): the stacks retain them, so Destroy empties and deletes them.</summary>
public sealed record BucketTarget(string Name, string Region);

/// <summary>A KMS key of the foundation. <paramref name="ByCloudFormation"/>: the template does not retain it, so deleting
/// its stack schedules its deletion (30 days); otherwise (DeletionPolicy: Retain) Destroy schedules it.</summary>
public sealed record KeyTarget(string Region, string Purpose, string Alias, KeyInfo Key, bool ByCloudFormation);

/// <summary>What Destroy finds, read before anything is deleted: every stack of the reversed graph as described now (null:
/// gone), every bucket that exists, every key not yet pending deletion, and every stack set of the pipeline's units in the
/// build account (those of units pipeline.json no longer names included).</summary>
public sealed record TeardownInventory(
    IReadOnlyList<TeardownStack> Graph,
    IReadOnlyDictionary<string, StackDescription?> Stacks,
    IReadOnlyList<BucketTarget> Buckets,
    IReadOnlyList<KeyTarget> Keys,
    string PipelineName,
    IReadOnlyList<KitStackSet>? StackSets = null)
{
    public IReadOnlyList<KitStackSet> Sets => StackSets ?? [];

    /// <summary>Stack sets with the name of one of the pipeline's that are not its own: Destroy refuses to start.</summary>
    public IReadOnlyList<KitStackSet> ForeignSets => [.. Sets.Where(s => !s.IsKits)];

    public IReadOnlyList<TeardownStack> Existing => [.. Graph.Where(s => Stacks[s.Key] is not null)];

    /// <summary>Stacks with the kit's names that do not carry its tag for this pipeline: Destroy refuses to start.</summary>
    public IReadOnlyList<TeardownStack> Foreign => [.. Existing.Where(s => !StackDeletion.IsKits(Stacks[s.Key]!, PipelineName))];

    public bool NothingLeft => Existing.Count == 0 && Sets.Count == 0 && Buckets.Count == 0 && Keys.All(k => k.ByCloudFormation);
}

/// <summary>Reads the inventory with read-only calls: DescribeStacks, GetBucketLocation, DescribeKey (ListKeys to find a
/// retained key whose stack is gone already), and with organizational units ListStackSets and DescribeStackSet.</summary>
/// <param name="unitSets">The build account's stack set client when the configuration names units; null otherwise.</param>
public sealed class TeardownSurvey(
    PipelineConfig config,
    Func<StackLocation, CancellationToken, Task<ICloudFormation>> cloudFormationAt,
    Func<string, CancellationToken, Task<IBucketStore>> bucketsAt,
    Func<string, CancellationToken, Task<IKeyStore>> keysAt,
    UnitRoleSets? unitSets = null)
{
    /// <summary>foundation.yaml's ArtifactKey description, the kit's name for a key that no longer has its alias or stack.</summary>
    public static string ArtifactKeyDescription(string pipelineName, string region) => $"Encrypts the {pipelineName} pipeline artifacts in {region}.";

    public async Task<TeardownInventory> ReadAsync(IReadOnlyList<TeardownStack> graph, CancellationToken ct)
    {
        var described = await Task.WhenAll(graph.Select(async s =>
        {
            var cfn = await cloudFormationAt(s.Ref.Location, ct).ConfigureAwait(false);
            return (s.Key, Stack: await cfn.DescribeStackAsync(s.Ref.StackName, ct).ConfigureAwait(false));
        })).ConfigureAwait(false);
        var stacks = described.ToDictionary(d => d.Key, d => d.Stack, StringComparer.Ordinal);

        var candidates = config.Regions.Select(r => new BucketTarget(KitNames.ArtifactBucket(config, r), r))
            .Append(new BucketTarget(KitNames.SourceBucket(config), config.Build.Region));
        var buckets = new List<BucketTarget>();
        foreach (var bucket in candidates)
        {
            var store = await bucketsAt(bucket.Region, ct).ConfigureAwait(false);
            if (await store.ExistsAsync(bucket.Name, ct).ConfigureAwait(false)) buckets.Add(bucket);
        }

        var keys = new List<KeyTarget>();
        foreach (var region in config.Regions)
        {
            var key = region == config.Build.Region ? FoundationPlan.PrimaryKey : FoundationPlan.RegionalPrefix + region;
            var outputs = stacks.GetValueOrDefault(key)?.Outputs;
            var store = await keysAt(region, ct).ConfigureAwait(false);
            var artifact = outputs?.GetValueOrDefault("ArtifactKeyArn") is { } arn
                ? await store.DescribeAsync(arn, ct).ConfigureAwait(false)
                : await store.FindByDescriptionAsync(ArtifactKeyDescription(config.Name, region), ct).ConfigureAwait(false);
            if (artifact is { PendingDeletion: false })
            {
                keys.Add(new KeyTarget(region, "artifacts", KitNames.ArtifactKeyAlias(config.Name), artifact, ByCloudFormation: false));
            }

            if (outputs?.GetValueOrDefault("NotificationsKeyArn") is { } notifications &&
                await store.DescribeAsync(notifications, ct).ConfigureAwait(false) is { PendingDeletion: false } topicKey)
            {
                keys.Add(new KeyTarget(region, "notifications", KitNames.NotificationsKeyAlias(config.Name), topicKey, ByCloudFormation: true));
            }
        }

        var sets = unitSets is null ? [] : await UnitStackSets.FindAsync(await unitSets.At(ct).ConfigureAwait(false), config, unitSets.CallAs, ct).ConfigureAwait(false);
        return new TeardownInventory(graph, stacks, buckets, keys, config.Name, sets);
    }
}
