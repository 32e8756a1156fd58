using PipelineKit.Naming;
using PipelineKit.Configuration;

namespace PipelineKit.Orchestration;

/// <summary>What the pipeline stack needs from the foundation stacks: every region's artifact store,
/// the primary region's source bucket, every target account's two roles, and the notification topic's key. Bucket and role names are
/// deterministic (README.md, "What gets deployed"); key ARNs are not and come from the stack outputs.</summary>
public sealed record FoundationOutputs(
    string SourceBucketName,
    IReadOnlyDictionary<string, RegionalArtifactStore> ArtifactStores,
    IReadOnlyDictionary<string, TargetAccountRoles> TargetRoles,
    string NotificationsKeyArn)
{
    /// <summary>The foundation's deterministic names for <paramref name="config"/>, with each region's
    /// artifact key ARN taken from <paramref name="artifactKeyArnByRegion"/> (the ArtifactKeyArn outputs).</summary>
    public static FoundationOutputs FromNames(PipelineConfig config, IReadOnlyDictionary<string, string> artifactKeyArnByRegion, string notificationsKeyArn)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(artifactKeyArnByRegion);

        var stores = new Dictionary<string, RegionalArtifactStore>(StringComparer.Ordinal);
        foreach (var region in config.Regions)
        {
            if (!artifactKeyArnByRegion.TryGetValue(region, out var keyArn))
            {
                throw new ArgumentException($"No artifact key ARN for region {region}; every region of {config.SourceFile} needs one.", nameof(artifactKeyArnByRegion));
            }

            stores[region] = new RegionalArtifactStore(region, KitNames.ArtifactBucket(config, region), keyArn);
        }

        var roles = config.TargetAccounts.ToDictionary(
            account => account.AccountId,
            account => TargetAccountRoles.ForAccount(config.Partition, config.Name, account.AccountId),
            StringComparer.Ordinal);

        return new FoundationOutputs(
            KitNames.SourceBucket(config),
            stores,
            roles,
            notificationsKeyArn);
    }

    /// <summary>Throws unless every region and every target account of <paramref name="config"/> is covered.</summary>
    public void EnsureCovers(PipelineConfig config)
    {
        var missing = config.Regions.Where(r => !ArtifactStores.ContainsKey(r)).Select(r => $"artifact store for region {r}")
            .Concat(config.TargetAccounts.Where(a => !TargetRoles.ContainsKey(a.AccountId)).Select(a => $"roles for account {a.AccountId}"))
            .ToArray();
        if (missing.Length > 0)
        {
            throw new ArgumentException(
                $"The foundation outputs lack what the pipeline of {config.SourceFile} needs: {string.Join("; ", missing)}. " +
                "Run ./build.sh UpdatePrimaryPolicy first.");
        }
    }
}

/// <summary>One region's artifact bucket (in the build account) and the KMS key that encrypts it.</summary>
public sealed record RegionalArtifactStore(string Region, string BucketName, string KeyArn);

/// <summary>The roles the target-roles stack creates in one target account.</summary>
public sealed record TargetAccountRoles(string AccountId, string PipelineActionRoleArn, string ExecutionRoleArn)
{
    public static TargetAccountRoles ForAccount(string partition, string pipelineName, string accountId) => new(
        accountId,
        KitNames.PipelineActionRoleArn(partition, pipelineName, accountId),
        KitNames.ExecutionRoleArn(partition, pipelineName, accountId));
}
