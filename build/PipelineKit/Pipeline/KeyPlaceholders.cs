namespace PipelineKit.Pipeline;

using System.Globalization;
using System.Text.RegularExpressions;
using PipelineKit.Configuration;
using PipelineKit.Naming;
using PipelineKit.Orchestration;

/// <summary>
/// The pipeline's template needs the foundation's KMS key ARNs, and nothing else the foundation decides: buckets and
/// roles have deterministic names. A key's ARN is deterministic too but for its id (arn:PARTITION:kms:REGION:ACCOUNT:key/ID,
/// every kit key living in the build account). So the pipeline is synthesized once with a stand-in id per key
/// (<see cref="Outputs"/>), which needs nothing deployed and can start with the run, and the deployed ids are put in
/// afterwards (<see cref="Fill"/>). Stand-in ids are UUIDs no KMS key has (version nibble 0), so a template holds them only
/// where a key's ARN or id was given. A deployed ARN of another shape is not filled in: the caller synthesizes with it.
/// </summary>
public static partial class KeyPlaceholders
{
    /// <summary>The foundation's outputs with a stand-in key per region and for the notifications, in the build account.</summary>
    public static FoundationOutputs Outputs(PipelineConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        var regions = config.Regions.ToList();
        var keys = regions.ToDictionary(r => r, r => Arn(config, r, StandIn(regions.IndexOf(r) + 1)), StringComparer.Ordinal);
        return FoundationOutputs.FromNames(config, keys, Arn(config, config.Build.Region, StandIn(0)));
    }

    /// <summary>The template synthesized from <see cref="Outputs"/>, with the key ids of <paramref name="deployed"/>; null
    /// when a deployed key ARN is not the build account's key in its region, or a stand-in is left over.</summary>
    public static string? Fill(string template, PipelineConfig config, FoundationOutputs deployed)
    {
        ArgumentNullException.ThrowIfNull(template);
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(deployed);
        var standIns = Outputs(config);
        if (!SameNames(standIns, deployed)) return null;
        var pairs = standIns.ArtifactStores
            .Select(s => (StandIn: s.Value.KeyArn, Deployed: (string?)deployed.ArtifactStores[s.Key].KeyArn))
            .Append((StandIn: standIns.NotificationsKeyArn, Deployed: deployed.NotificationsKeyArn));
        foreach (var (standIn, real) in pairs)
        {
            var prefix = standIn[..(standIn.LastIndexOf('/') + 1)];
            if (real is null || !real.StartsWith(prefix, StringComparison.Ordinal) || !KeyId().IsMatch(real[prefix.Length..])) return null;
            template = template.Replace(standIn[prefix.Length..], real[prefix.Length..], StringComparison.Ordinal);
        }

        return template.Contains(StandInPrefix, StringComparison.Ordinal) ? null : template;
    }

    /// <summary>Everything but the key ARNs as the stand-ins have it: the names the foundation gives its buckets and roles.</summary>
    private static bool SameNames(FoundationOutputs standIns, FoundationOutputs deployed) =>
        standIns.SourceBucketName == deployed.SourceBucketName
        && standIns.ArtifactStores.Count == deployed.ArtifactStores.Count
        && standIns.ArtifactStores.All(s => deployed.ArtifactStores.TryGetValue(s.Key, out var d) && d with { KeyArn = s.Value.KeyArn } == s.Value)
        && standIns.TargetRoles.Count == deployed.TargetRoles.Count
        && standIns.TargetRoles.All(r => deployed.TargetRoles.TryGetValue(r.Key, out var d) && d == r.Value);

    private const string StandInPrefix = "0b1d0000-0000-0000-8000-";

    private static string StandIn(int index) => StandInPrefix + index.ToString("D12", CultureInfo.InvariantCulture);

    private static string Arn(PipelineConfig config, string region, string id) =>
        $"arn:{Partitions.Of(region)}:kms:{region}:{config.Build.Account}:key/{id}";

    /// <summary>A key id as KMS writes it: a UUID, or mrk- and 32 hex digits for a multi-Region key.</summary>
    [GeneratedRegex("^(mrk-)?[0-9a-fA-F-]{32,36}$")]
    private static partial Regex KeyId();
}
