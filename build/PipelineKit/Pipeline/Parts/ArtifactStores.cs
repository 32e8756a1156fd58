namespace PipelineKit.Pipeline.Parts;

using Amazon.CDK.AWS.KMS;
using Amazon.CDK.AWS.S3;
using Constructs;
using PipelineKit.Configuration;
using PipelineKit.Orchestration;

/// <summary>The foundation's buckets and keys the pipeline uses, imported: each region's artifact store and the
/// source bucket, both encrypted with their region's artifact key.</summary>
internal sealed class ArtifactStores
{
    public ArtifactStores(Construct scope, PipelineConfig config, FoundationOutputs outputs)
    {
        // Every region's store is given here, the primary's included: CDK then uses the imported
        // primary bucket as the pipeline's own store and creates no cross-region support stacks.
        var stores = new Dictionary<string, IBucket>(StringComparer.Ordinal);
        foreach (var region in config.Regions)
        {
            var store = outputs.ArtifactStores[region];
            stores[region] = Bucket.FromBucketAttributes(scope, $"ArtifactStore-{region}", new BucketAttributes
            {
                BucketName = store.BucketName,
                Account = config.Build.Account,
                Region = region,
                EncryptionKey = Key.FromKeyArn(scope, $"ArtifactKey-{region}", store.KeyArn),
            });
        }

        ByRegion = stores;
        Primary = stores[config.Build.Region];
        PrimaryKey = Key.FromKeyArn(scope, "SourceKey", outputs.ArtifactStores[config.Build.Region].KeyArn);
        Source = Bucket.FromBucketAttributes(scope, "SourceBucket", new BucketAttributes
        {
            BucketName = outputs.SourceBucketName,
            Account = config.Build.Account,
            Region = config.Build.Region,
            EncryptionKey = PrimaryKey,
        });
    }

    /// <summary>Every region's artifact store, the pipeline's cross-region replication buckets.</summary>
    public Dictionary<string, IBucket> ByRegion { get; }

    /// <summary>The build region's artifact store: the pipeline's own.</summary>
    public IBucket Primary { get; }

    /// <summary>The build region's artifact key; the source bucket and the build projects encrypt with it.</summary>
    public IKey PrimaryKey { get; }

    /// <summary>The versioned bucket an S3 source reads.</summary>
    public IBucket Source { get; }
}
