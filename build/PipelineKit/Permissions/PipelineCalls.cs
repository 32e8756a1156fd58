using System.Text.Json;
using PipelineKit.Configuration;

namespace PipelineKit.Permissions;

/// <summary>A request AWS makes on the pipeline's behalf (MustDeny false: the deployed policies must allow it) or one an
/// attacker would make (MustDeny true: they must deny it), with why and the AWS documentation page it comes from.</summary>
public sealed record ExpectedCall(AccessRequest Request, bool MustDeny, string Why, string Doc);

/// <summary>An expanded call with the environment or region its entry was expanded for (null for pipeline-wide entries).</summary>
internal sealed record ScopedCall(string? Environment, string? Region, ExpectedCall Call);

/// <summary>
/// The calls AWS services make for the pipeline, which the emulator never makes (CodePipeline running actions,
/// CodeBuild and CloudFormation assuming their roles, S3 calling KMS, Lambda reading its code, ...), and the calls
/// that must be denied. They are written down once, as data (permissions/pipeline-calls.json), and expanded here for
/// a configuration, so the permission checks evaluate the same list for every pipeline shape.
/// </summary>
public static class PipelineCalls
{
    public const string ResourceName = "permissions/pipeline-calls.json";

    private static readonly Lazy<IReadOnlyList<PipelineCallEntry>> Embedded = new(() => Parse(ReadEmbedded()));

    /// <param name="artifactKeys">Region to artifact key ARN (the foundation's ArtifactKeyArn outputs), every region of the config.</param>
    /// <param name="notificationsKeyArn">The primary stack's NotificationsKeyArn output.</param>
    public static IReadOnlyList<ExpectedCall> Expand(
        PipelineConfig config, IReadOnlyDictionary<string, string> artifactKeys, string notificationsKeyArn) =>
        ExpandScoped(Embedded.Value, config, artifactKeys, notificationsKeyArn).Select(c => c.Call).ToArray();

    /// <summary>The embedded entries (parsed once); malformed data fails here, naming the entry.</summary>
    internal static IReadOnlyList<PipelineCallEntry> Entries => Embedded.Value;

    internal static IReadOnlyList<PipelineCallEntry> Parse(string json)
    {
        using var document = JsonDocument.Parse(json);
        var root = document.RootElement;
        if (root.ValueKind != JsonValueKind.Object || root.EnumerateObject().Any(p => p.Name is not ("calls" or "mustDeny")))
        {
            throw new FormatException("pipeline-calls.json must be an object with the arrays \"calls\" and \"mustDeny\" only.");
        }
        return new[] { "calls", "mustDeny" }.SelectMany(list => root.TryGetProperty(list, out var array) && array.ValueKind == JsonValueKind.Array
                ? array.EnumerateArray().Select((element, index) => PipelineCallEntry.Parse(element, list, index))
                : throw new FormatException($"pipeline-calls.json needs an array \"{list}\"."))
            .ToArray();
    }

    internal static IReadOnlyList<ScopedCall> ExpandScoped(IReadOnlyList<PipelineCallEntry> entries,
        PipelineConfig config, IReadOnlyDictionary<string, string> artifactKeys, string notificationsKeyArn)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(artifactKeys);
        ArgumentException.ThrowIfNullOrEmpty(notificationsKeyArn);
        var values = new PipelineCallValues(config, artifactKeys, notificationsKeyArn);
        var paths = UnitPaths(config);
        var calls = new List<ScopedCall>();
        foreach (var entry in entries)
        {
            foreach (var (environment, region, scope) in Scopes(entry, config, values))
            {
                if (Applies(entry.When, config, environment))
                {
                    var call = PipelineCallRequest.Build(entry, scope, config.Build.Account);
                    if (paths.TryGetValue(call.Request.Principal.Account, out var path))
                    {
                        call = call with { Request = call.Request with { Principal = call.Request.Principal with { OrganizationPaths = [path] } } };
                    }

                    calls.Add(new ScopedCall(environment?.Name, region, call));
                }
            }
        }
        return calls;
    }

    /// <summary>Where the kit found each account of an organizational unit (aws:PrincipalOrgPaths as the evaluator sees it):
    /// the named unit's path, which an account of a child unit also starts with.</summary>
    private static Dictionary<string, string> UnitPaths(PipelineConfig config) =>
        config.Environments
            .Where(e => e.IsOfOrganizationalUnit && e.Account.Length > 0 && config.OrganizationalUnitPaths.ContainsKey(e.OrganizationalUnit!))
            .GroupBy(e => e.Account, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => config.OrganizationalUnitPaths[g.First().OrganizationalUnit!], StringComparer.Ordinal);

    private static IEnumerable<(EnvironmentSettings? Environment, string? Region, IReadOnlyDictionary<string, string?> Values)> Scopes(
        PipelineCallEntry entry, PipelineConfig config, PipelineCallValues values) => entry.ForEach switch
    {
        PipelineCallEntry.ForEachEnvironment => config.Environments.Select(e => ((EnvironmentSettings?)e, (string?)e.Region, values.ForEnvironment(e))),
        PipelineCallEntry.ForEachRegion => config.Regions.Select(r => ((EnvironmentSettings?)null, (string?)r, values.ForRegion(r))),
        PipelineCallEntry.ForEachExtraRegion => config.ExtraRegions.Select(r => ((EnvironmentSettings?)null, (string?)r, values.ForRegion(r))),
        _ => [(null, null, values.Global)],
    };

    /// <summary>"approval" and "securityCheck" hold per environment under forEach environment, else when any environment has one.</summary>
    private static bool Applies(string? when, PipelineConfig config, EnvironmentSettings? environment) => when switch
    {
        null => true,
        "selfUpdate" => config.SelfUpdate,
        "slack" => config.Notifications.Slack is not null,
        "crossRegion" => config.ExtraRegions.Count > 0,
        "approval" => environment?.Approval ?? config.Environments.Any(e => e.Approval),
        "securityCheck" => environment?.HasSecurityCheck ?? config.Environments.Any(e => e.HasSecurityCheck),
        _ when SourceKinds.TraceConditions.Contains(when, StringComparer.Ordinal) => config.Source.Kind.TraceCondition == when,
        _ => throw new InvalidOperationException($"Unhandled when \"{when}\" (PipelineCallEntry.WhenValues and this switch disagree)."),
    };

    private static string ReadEmbedded()
    {
        using var stream = typeof(PipelineCalls).Assembly.GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException($"The kit was built without its embedded resource {ResourceName}.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
