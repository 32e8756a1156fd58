namespace PipelineKit;

using PipelineKit.Accounts;
using PipelineKit.Configuration;
using PipelineKit.LocalPipeline;
using PipelineKit.Naming;
using PipelineKit.Permissions;
using PipelineKit.Reporting;
using PipelineKit.Verification;

/// <summary>
/// The permission check of a local run, set up once at its start: the policies deployed, read as Verify reads them
/// (<see cref="PolicySnapshotPlan"/> over the configuration and the foundation stacks' outputs in artifacts/outputs.json, with
/// the artifact keys the deployed pipeline names), into the <see cref="LocalPermissionGate"/> every client of the run consults.
/// </summary>
internal static class LocalRunPermissions
{
    public static async Task<LocalPermissionGate> ReadAsync(LocalRunInputs inputs, PipelineDefinition definition, CancellationToken ct)
    {
        var config = inputs.Config;
        var outputs = OutputsFile.Read(Path.Combine(inputs.Options.ArtifactsDirectory, "outputs.json")).Values
            .Where(o => o.Account == config.Build.Account).ToList();
        var storeKeys = definition.ArtifactStores.Values.Where(s => s.KeyArn is { } key && key.Contains(":key/", StringComparison.Ordinal))
            .Select(s => (IReadOnlyDictionary<string, string>)new Dictionary<string, string> { ["ArtifactKeyArn"] = s.KeyArn! });
        var request = PolicySnapshotPlan.For(config, outputs.Select(o => o.Outputs).Concat(storeKeys));
        var snapshot = await new DeployedPolicyReader(PolicySources.From(inputs.Sessions, inputs.Factory)).ReadAsync(request, ct).ConfigureAwait(false);
        var build = await inputs.Sessions.BuildAsync(ct).ConfigureAwait(false);
        var topics = await PolicySnapshotPlan.TopicPoliciesAsync(config, inputs.Factory.Sns(build.Credentials, config.Build.Region), ct).ConfigureAwait(false);
        var permissions = new DeployedPermissions(snapshot with { TopicPolicies = topics });
        return new LocalPermissionGate(permissions, name => Bucket(config, definition, outputs, name), await PlacesAsync(config, inputs, build, ct).ConfigureAwait(false));
    }

    /// <summary>Where the run's accounts sit in the organization, read from Organizations as the build account (its management
    /// account or a delegated administrator), when the configuration names one: its grants by unit are decided on those paths.</summary>
    private static async Task<IReadOnlyDictionary<string, OrganizationPlace>?> PlacesAsync(
        PipelineConfig config, LocalRunInputs inputs, AccountSession build, CancellationToken ct)
    {
        if (config.OrganizationId is null) return null;
        var accounts = config.TargetAccounts.Select(a => a.AccountId).Append(config.Build.Account).Concat(config.SourceAccount is { } source ? [source] : []);
        return await OrganizationPlaces.ReadAsync(inputs.Factory.Organizations(build.Credentials), accounts, ct).ConfigureAwait(false);
    }

    /// <summary>The kit's buckets are the build account's, each encrypted by default with its region's artifact key (the
    /// source bucket with the build region's); another bucket is taken as the build account's, without a key of the kit's.</summary>
    private static BucketFacts Bucket(PipelineConfig config, PipelineDefinition definition, IReadOnlyList<OutputsEntry> outputs, string name)
    {
        var region = config.Regions.FirstOrDefault(r => KitNames.ArtifactBucket(config, r) == name)
            ?? (name == KitNames.SourceBucket(config) ? config.Build.Region : null);
        if (region is null) return new BucketFacts(config.Build.Account, null, []);
        var key = outputs.FirstOrDefault(o => o.Region == region && o.Outputs.ContainsKey("ArtifactKeyArn"))?.Outputs["ArtifactKeyArn"]
                  ?? definition.ArtifactStores.GetValueOrDefault(region)?.KeyArn;
        return new BucketFacts(config.Build.Account, key, [KitNames.ArtifactKeyAlias(config.Name)]);
    }
}
