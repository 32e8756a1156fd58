namespace PipelineKit.Teardown;

using PipelineKit.Aws;
using PipelineKit.Configuration;
using PipelineKit.Deployment;
using PipelineKit.Orchestration;
using PipelineKit.Messages;

/// <summary>What happened to one bucket: versions and delete markers deleted (null: gone already), or why it failed.</summary>
public sealed record BucketOutcome(BucketTarget Target, int? Deleted, string? Error = null);

/// <summary>
/// Tears the pipeline down: read everything first, refuse unless confirmed and unless every stack found is the kit's,
/// then delete the stacks in the reversed bootstrap graph (as parallel as it allows), then empty and delete the retained
/// buckets and schedule the retained keys' deletion. Buckets go after their stacks: the stacks' roles and pipeline write
/// to them until then, a failed stack delete leaves the data in place, and CloudFormation still removes the bucket
/// policies it owns. Every step skips what is gone already, so an interrupted run converges when re-run.
/// </summary>
public sealed class Destroyer(
    PipelineConfig config,
    TeardownSurvey survey,
    Func<StackLocation, CancellationToken, Task<ICloudFormation>> cloudFormationAt,
    Func<string, CancellationToken, Task<IBucketStore>> bucketsAt,
    Func<string, CancellationToken, Task<IKeyStore>> keysAt,
    StackDeletion deletion,
    DagRunner runner,
    IKitMessages messages,
    UnitRoleSets? unitSets = null,
    StackSetDeletion? setDeletion = null)
{
    public async Task<DestroyOutcome> RunAsync(IReadOnlyList<StackNode> foundation, DestroySettings settings, CancellationToken ct)
    {
        var inventory = await survey.ReadAsync(TeardownGraph.Reverse(foundation, config), ct).ConfigureAwait(false);
        var report = new DestroyReport(messages, config.Name, config.Build.Account);
        if (inventory.NothingLeft)
        {
            report.NothingLeft();
            return DestroyOutcome.NothingLeft;
        }

        report.Plan(inventory, settings);
        if (inventory.Foreign.Count > 0 || inventory.ForeignSets.Count > 0)
        {
            report.Foreign(inventory);
            return DestroyOutcome.Refused;
        }

        if (!settings.Confirmed)
        {
            report.NotConfirmed();
            return DestroyOutcome.NotConfirmed;
        }

        var stacks = await DeleteStacksAsync(inventory, ct).ConfigureAwait(false);
        var stacksGone = stacks.All(s => s.Result.Succeeded);
        if (stacksGone && !settings.KeepData && settings.BeforeBuckets is { } beforeBuckets) await beforeBuckets().ConfigureAwait(false);
        var buckets = stacksGone && !settings.KeepData ? await EmptyBucketsAsync(inventory.Buckets, ct).ConfigureAwait(false) : [];
        var keys = stacksGone ? await RetireKeysAsync(inventory.Keys, settings, ct).ConfigureAwait(false) : [];
        report.Summary(inventory, stacks, buckets, keys, settings, stacksGone);
        var failed = !stacksGone || buckets.Any(b => b.Error is not null) || keys.Any(k => k.State == "failed");
        return failed ? DestroyOutcome.Failed : DestroyOutcome.Done;
    }

    private Task<IReadOnlyList<(StackRef Ref, StackResult Result)>> DeleteStacksAsync(TeardownInventory inventory, CancellationToken ct)
    {
        var buildRegion = new StackLocation(config.Build.Account, config.Build.Region);
        var sets = inventory.Sets.ToDictionary(s => FoundationPlan.UnitRolesPrefix + s.OrganizationalUnitId, StringComparer.Ordinal);
        var graph = TeardownGraph.WithStackSets(inventory.Existing, [.. sets.Select(s => new StackRef(s.Key, s.Value.StackSetName, buildRegion))]);
        var existing = graph.Select(s => s.Key).ToHashSet(StringComparer.Ordinal);
        var nodes = graph.Select(s => new StackNode(s.Ref, [.. s.After.Where(existing.Contains)], async (_, token) =>
        {
            if (sets.TryGetValue(s.Key, out var set))
            {
                var client = await unitSets!.At(token).ConfigureAwait(false);
                return await (setDeletion ?? throw new InvalidOperationException("no stack set deletion")).DeleteAsync(client, set, buildRegion, "Destroy --yes", token).ConfigureAwait(false);
            }

            var cfn = await cloudFormationAt(s.Ref.Location, token).ConfigureAwait(false);
            return await deletion.DeleteAsync(cfn, s.Ref, config.Name, token).ConfigureAwait(false);
        })).ToList();
        messages.Report(MessageCodes.DestroyDeleting, sets.Count == 0
            ? $"Deleting {nodes.Count} stack(s)..."
            : $"Deleting {nodes.Count - sets.Count} stack(s) and {sets.Count} stack set(s)...");
        return runner.RunAsync(nodes, null, ct);
    }

    private async Task<IReadOnlyList<BucketOutcome>> EmptyBucketsAsync(IReadOnlyList<BucketTarget> buckets, CancellationToken ct) =>
        await Task.WhenAll(buckets.Select(async bucket =>
        {
            try
            {
                var store = await bucketsAt(bucket.Region, ct).ConfigureAwait(false);
                return new BucketOutcome(bucket, await new BucketEmptier(store).EmptyAndDeleteAsync(bucket.Name, ct).ConfigureAwait(false));
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                return new BucketOutcome(bucket, null, $"{e.GetType().Name}: {e.Message}");
            }
        })).ConfigureAwait(false);

    private async Task<IReadOnlyList<KeyOutcome>> RetireKeysAsync(IReadOnlyList<KeyTarget> keys, DestroySettings settings, CancellationToken ct) =>
        await Task.WhenAll(keys.Select(async key =>
        {
            try
            {
                var store = await keysAt(key.Region, ct).ConfigureAwait(false);
                if (key.ByCloudFormation) return await KeyRetirement.ReadAsync(store, key, ct).ConfigureAwait(false);
                return settings.KeepData
                    ? new KeyOutcome(key, key.Key.State, null, "kept (--keep-data)")
                    : await KeyRetirement.ScheduleAsync(store, key, settings.KeyDeletionDays, ct).ConfigureAwait(false);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                return new KeyOutcome(key, "failed", null, $"{e.GetType().Name}: {e.Message}; re-run Destroy");
            }
        })).ConfigureAwait(false);
}
