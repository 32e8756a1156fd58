using PipelineKit.Configuration;

namespace PipelineKit.Permissions;

/// <summary>
/// What the placeholders of pipeline-calls.json stand for in one configuration. The names are spelled here as the
/// kit's templates spell them (cloudformation/*.yaml, the synthesized pipeline stack): a request the policies must
/// allow has to name the resource exactly as the deployed policies do.
/// </summary>
internal sealed class PipelineCallValues
{
    /// <summary>The placeholders of every scope: the pipeline's own, and every kind of source's (null unless it is the configured one).</summary>
    public static IReadOnlySet<string> GlobalNames { get; } = new HashSet<string>(
        ["name", "partition", "build", "buildRegion", "pipeline", "artifactPrefix", "sourceBucket", "primaryBucket", "primaryKey", "notificationsKey",
         .. SourceKinds.TraceValueNames],
        StringComparer.Ordinal);

    /// <summary>Set by every forEach (an environment's region is a region too).</summary>
    public static IReadOnlySet<string> RegionNames { get; } = new HashSet<string>(StringComparer.Ordinal) { "region", "bucket", "key" };

    public static IReadOnlySet<string> EnvironmentNames { get; } =
        new HashSet<string>(RegionNames.Concat(["environment", "account", "appStack", "changeSet", "deployStage", "approvalAction"]), StringComparer.Ordinal);

    private readonly PipelineConfig config;
    private readonly IReadOnlyDictionary<string, string> artifactKeys;
    private readonly Dictionary<string, string?> global;

    public PipelineCallValues(PipelineConfig config, IReadOnlyDictionary<string, string> artifactKeys, string notificationsKeyArn)
    {
        this.config = config;
        this.artifactKeys = artifactKeys;
        var name = config.Name;
        var pipeline = $"{name}-pipeline";
        global = new Dictionary<string, string?>(StringComparer.Ordinal)
        {
            ["name"] = name,
            // Every ARN's second field: one partition for the whole configuration (the loader refuses mixing them).
            ["partition"] = config.Partition,
            ["build"] = config.Build.Account,
            ["buildRegion"] = config.Build.Region,
            ["pipeline"] = pipeline,
            // CodePipeline keeps a pipeline's artifacts under the first 20 characters of its name.
            ["artifactPrefix"] = pipeline.Length > 20 ? pipeline[..20] : pipeline,
            ["sourceBucket"] = $"{name}-source-{config.Build.Account}-{config.Build.Region}",
            ["primaryBucket"] = Bucket(config.Build.Region),
            ["primaryKey"] = KeyOf(config.Build.Region),
            ["notificationsKey"] = notificationsKeyArn,
        };
        foreach (var sourceName in SourceKinds.TraceValueNames)
        {
            global[sourceName] = config.Source.TraceValues.GetValueOrDefault(sourceName);
        }
    }

    public IReadOnlyDictionary<string, string?> Global => global;

    public IReadOnlyDictionary<string, string?> ForRegion(string region) => new Dictionary<string, string?>(global, StringComparer.Ordinal)
    {
        ["region"] = region,
        ["bucket"] = Bucket(region),
        ["key"] = KeyOf(region),
    };

    public IReadOnlyDictionary<string, string?> ForEnvironment(EnvironmentSettings environment)
    {
        var values = new Dictionary<string, string?>(ForRegion(environment.Region), StringComparer.Ordinal)
        {
            ["environment"] = environment.Name,
            ["account"] = environment.Account,
            ["appStack"] = $"{config.Name}-{environment.Name}-app",
        };
        values["changeSet"] = $"{values["appStack"]}-pipeline";
        // The stage the environment deploys in, and its own approval's name there (DeployStages names them so).
        values["deployStage"] = environment.Wave is { } wave && config.UsesWaves ? $"Deploy-wave{wave}" : $"Deploy-{environment.Name}";
        values["approvalAction"] = config.UsesWaves ? $"Approve-{environment.Name}" : "Approve";
        return values;
    }

    /// <summary>Replaces every {placeholder} of <paramref name="text"/>; one without a value here is the entry's error.</summary>
    public static string Fill(string text, IReadOnlyDictionary<string, string?> values, PipelineCallEntry entry) =>
        PipelineCallEntry.Placeholder().Replace(text, m =>
            values.TryGetValue(m.Groups[1].Value, out var value) && value is not null
                ? value
                : throw new InvalidOperationException(entry.Problem(
                    $"placeholder {m.Value} has no value in this configuration (its source or settings do not define it); give the entry a \"when\"")));

    private string Bucket(string region) => $"{config.Name}-artifacts-{config.Build.Account}-{region}";

    private string KeyOf(string region) =>
        artifactKeys.TryGetValue(region, out var key)
            ? key
            : throw new ArgumentException($"No artifact key ARN for region {region} (the foundation's ArtifactKeyArn outputs).", nameof(artifactKeys));
}
