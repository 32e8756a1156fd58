namespace PipelineKit.Pipeline;

using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using PipelineKit.Configuration;
using PipelineKit.Orchestration;

/// <summary>
/// The synthesized pipeline template, kept under artifacts/ and used again while its inputs are the same. Synthesizing
/// starts node and the CDK (JSII), seconds on every run that deploys or plans the pipeline stack, although a re-run
/// with nothing changed asks for the same template. The key covers everything the template is made of: the validated
/// configuration (every field, the source's own fields included), the foundation's outputs, the kit's assembly and the
/// CDK's (their module version ids, which a deterministic build changes with any code change), and the CDK's
/// environment variables. Any difference synthesizes afresh; an unreadable or foreign cache entry is ignored.
/// </summary>
public static class SynthesisCache
{
    private static readonly JsonSerializerOptions KeyOptions = new() { WriteIndented = false };

    /// <summary>The template for <paramref name="config"/> and <paramref name="outputs"/>: from the cache in
    /// <paramref name="outDir"/> when the key matches, else synthesized (<see cref="PipelineSynthesizer"/>) and kept.</summary>
    /// <param name="environment">The process environment (the CDK reads its CDK_* variables).</param>
    public static string TemplateBody(PipelineConfig config, FoundationOutputs outputs, string outDir, Func<string, string?> environment) =>
        TemplateBody(config, outputs, outDir, environment, () => PipelineSynthesizer.Synthesize(config, outputs, outDir).TemplateBody);

    /// <summary>As <see cref="TemplateBody(PipelineConfig, FoundationOutputs, string, Func{string, string?})"/>, with the
    /// synthesis given (tests count how often it runs).</summary>
    internal static string TemplateBody(
        PipelineConfig config, FoundationOutputs outputs, string outDir, Func<string, string?> environment, Func<string> synthesize)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(outputs);
        ArgumentNullException.ThrowIfNull(synthesize);
        var key = Key(config, outputs, environment);
        var path = CachePath(config, outDir);
        if (Read(path, key) is { } cached) return cached;

        var body = synthesize();
        Write(path, key, body);
        return body;
    }

    /// <summary>Starts the CDK's runtime (node, and the CDK's library loaded into it) in the background when the cache holds no
    /// template of <paramref name="config"/>'s pipeline (its first deploy), so that they load while the foundation deploys
    /// rather than after it: the pipeline's synthesis, which needs the foundation's outputs, then finds them started. With a
    /// template kept (a re-run) it starts nothing: a run that changes nothing starts no node. A failure to start is left to
    /// the synthesis, which meets and reports it.</summary>
    /// <returns>Whether it started the runtime.</returns>
    public static bool WarmUpUnlessCached(PipelineConfig config, string outDir) =>
        WarmUpUnlessCached(config, outDir, () => CdkRuntime.Run(() => new Amazon.CDK.App()));

    /// <summary>As <see cref="WarmUpUnlessCached(PipelineConfig, string)"/>, with the start given (tests count it).</summary>
    internal static bool WarmUpUnlessCached(PipelineConfig config, string outDir, Func<object> start)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(start);
        if (File.Exists(CachePath(config, outDir))) return false;
        _ = Task.Run(() =>
        {
            try
            {
                start();
            }
            catch (Exception)
            {
                // The synthesis starts the runtime again and reports why it cannot.
            }
        });
        return true;
    }

    private static string CachePath(PipelineConfig config, string outDir) => Path.Combine(outDir, "cache", $"{config.Name}.synthesized.json");

    /// <summary>The cache key: a SHA-256 of every input of the synthesis (<see cref="KeyText"/>).</summary>
    internal static string Key(PipelineConfig config, FoundationOutputs outputs, Func<string, string?> environment) =>
        Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(KeyText(config, outputs, environment))));

    /// <summary>Every input of the synthesis, as text.</summary>
    internal static string KeyText(PipelineConfig config, FoundationOutputs outputs, Func<string, string?> environment)
    {
        ArgumentNullException.ThrowIfNull(environment);
        var text = new StringBuilder()
            // The declared type of Source is abstract: its own fields are written by its runtime type.
            .AppendLine(JsonSerializer.Serialize(config, KeyOptions))
            .AppendLine(JsonSerializer.Serialize(config.Source, config.Source.GetType(), KeyOptions))
            .AppendLine(outputs.SourceBucketName)
            .AppendLine(outputs.NotificationsKeyArn);
        foreach (var (region, store) in outputs.ArtifactStores.OrderBy(s => s.Key, StringComparer.Ordinal))
        {
            text.AppendLine($"store {region} {store.Region} {store.BucketName} {store.KeyArn}");
        }

        foreach (var (account, roles) in outputs.TargetRoles.OrderBy(r => r.Key, StringComparer.Ordinal))
        {
            text.AppendLine($"roles {account} {roles.AccountId} {roles.PipelineActionRoleArn} {roles.ExecutionRoleArn}");
        }

        foreach (var assembly in new[] { typeof(SynthesisCache).Assembly, typeof(Amazon.CDK.App).Assembly, typeof(Constructs.Construct).Assembly })
        {
            text.AppendLine($"assembly {assembly.FullName} {assembly.ManifestModule.ModuleVersionId}");
        }

        foreach (var name in CdkVariables.Order(StringComparer.Ordinal))
        {
            text.AppendLine($"env {name}={environment(name)}");
        }

        return text.ToString();
    }

    /// <summary>Environment variables the CDK reads while it synthesizes (context, default account and region, and the
    /// feature switches of its CLI); the kit sets account and region itself, but a variable set changes the key anyway.</summary>
    private static readonly string[] CdkVariables =
    [
        "CDK_CONTEXT_JSON", "CDK_DEFAULT_ACCOUNT", "CDK_DEFAULT_REGION", "CDK_OUTDIR", "CDK_DISABLE_STACK_TRACE", "CDK_DEBUG",
        "CDK_DISABLE_VERSION_CHECK", "CDK_DISABLE_LEGACY_EXPORT_WARNING",
    ];

    private static string? Read(string path, string key)
    {
        try
        {
            if (!File.Exists(path)) return null;
            var entry = JsonNode.Parse(File.ReadAllText(path)) as JsonObject;
            return entry?["key"]?.GetValue<string>() == key ? entry["templateBody"]?.GetValue<string>() : null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or JsonException or InvalidOperationException)
        {
            return null;
        }
    }

    /// <summary>Written to a temporary file and moved into place, so an interrupted write leaves no half entry.</summary>
    private static void Write(string path, string key, string body)
    {
        try
        {
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            var temporary = $"{path}.{Guid.NewGuid():N}.tmp";
            File.WriteAllText(temporary, new JsonObject { ["key"] = key, ["templateBody"] = body }.ToJsonString());
            File.Move(temporary, path, overwrite: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // The cache only saves time: a run that cannot keep the template still deploys it.
        }
    }
}
