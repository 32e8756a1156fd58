namespace PipelineKit.LocalPipeline;

using System.Text.Json.Nodes;

/// <summary>
/// Reads the pipeline's artifact stores: either <c>ArtifactStores</c> (one per region, for a pipeline with actions in
/// several regions) or a single <c>ArtifactStore</c> in the pipeline's region; never both, as the CloudFormation
/// AWS::CodePipeline::Pipeline reference requires. A store's EncryptionKey Id is its KMS key (an ARN in the kit's
/// templates); without one the bucket's default key applies.
/// </summary>
internal static class ArtifactStoreReader
{
    public static Dictionary<string, ArtifactStoreDefinition> Read(JsonObject pipeline, string path, TemplateIntrinsics intrinsics, TemplateRefusals refusals)
    {
        var stores = new Dictionary<string, ArtifactStoreDefinition>(StringComparer.Ordinal);
        var single = pipeline["ArtifactStore"];
        var perRegion = pipeline["ArtifactStores"];
        if (single is not null && perRegion is not null)
        {
            refusals.Add("Pipeline, ArtifactStores", "the pipeline declares both ArtifactStore and ArtifactStores; CloudFormation takes one of them.");
            return stores;
        }

        if (single is not null)
        {
            if (Store(single as JsonObject, intrinsics.Region, "Pipeline, ArtifactStore", $"{path}.ArtifactStore", intrinsics, refusals) is { } store)
                stores[store.Region] = store;
            return stores;
        }

        if (perRegion is not JsonArray list)
        {
            refusals.Add("Pipeline, ArtifactStores", "the pipeline declares no artifact store.");
            return stores;
        }

        for (var i = 0; i < list.Count; i++)
        {
            var where = $"Pipeline, ArtifactStores[{i}]";
            var region = intrinsics.Resolve(list[i]?["Region"], $"{where}.Region", $"{path}.ArtifactStores[{i}].Region");
            if (region is null)
            {
                if (list[i]?["Region"] is null) refusals.Add($"{where}.Region", "the store names no region.");
                continue;
            }

            if (stores.ContainsKey(region)) refusals.Add($"{where}.Region", $"a second artifact store in {region}.");
            else if (Store(list[i]?["ArtifactStore"] as JsonObject, region, $"{where}.ArtifactStore", $"{path}.ArtifactStores[{i}].ArtifactStore", intrinsics, refusals) is { } store)
                stores[region] = store;
        }

        return stores;
    }

    private static ArtifactStoreDefinition? Store(
        JsonObject? node, string region, string where, string path, TemplateIntrinsics intrinsics, TemplateRefusals refusals)
    {
        if (node is null)
        {
            refusals.Add(where, "is not an artifact store object.");
            return null;
        }

        var type = intrinsics.Resolve(node["Type"], $"{where}.Type", $"{path}.Type") ?? "S3";
        if (type != "S3") refusals.Add($"{where}.Type", $"{type}: CodePipeline stores artifacts in S3 only.");
        var bucket = intrinsics.Resolve(node["Location"], $"{where}.Location", $"{path}.Location");
        if (bucket is null && node["Location"] is null) refusals.Add($"{where}.Location", "the store names no bucket.");
        var key = intrinsics.Resolve(node["EncryptionKey"]?["Id"], $"{where}.EncryptionKey.Id", $"{path}.EncryptionKey.Id");
        return bucket is null || type != "S3" ? null : new ArtifactStoreDefinition(region, bucket, key);
    }
}
