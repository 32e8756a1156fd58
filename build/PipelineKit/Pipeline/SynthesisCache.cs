namespace PipelineKit.Pipeline;

using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using PipelineKit.Configuration;
using PipelineKit.Orchestration;

/// <summary>
/// The synthesized pipeline template, kept under artifacts/ and used again while its inputs are the same. Synthesizing
/// starts node and the CDK (JSII), seconds on every run that deploys or plans the pipeline stack, although a re-run
/// with nothing changed asks for the same template. The template is synthesized with stand-ins for the foundation's key
/// ids (<see cref="KeyPlaceholders"/>), so it needs nothing deployed: a first deploy synthesizes while the foundation
/// deploys (<see cref="Start"/>), and the deployed ids are filled in when the pipeline's turn comes. The key covers
/// everything that template is made of: the validated configuration (every field, the source's own fields included),
/// the foundation's names, the kit's assembly and the CDK's (their module version ids, which a deterministic build
/// changes with any code change), and the CDK's environment variables. Any difference synthesizes afresh; an unreadable
/// or foreign cache entry is ignored.
/// </summary>
public static class SynthesisCache
{
    private static readonly JsonSerializerOptions KeyOptions = new() { WriteIndented = false };

    /// <summary>Syntheses under way, by cache entry and key: the pipeline's node waits for the one <see cref="Start"/> began.</summary>
    private static readonly ConcurrentDictionary<string, Lazy<string>> UnderWay = new(StringComparer.Ordinal);

    /// <summary>The template for <paramref name="config"/> and <paramref name="outputs"/>: the kept (or just synthesized)
    /// template with the deployed key ids filled in; synthesized with <paramref name="outputs"/> themselves, and not kept,
    /// when their key ARNs are not of the kit's shape.</summary>
    /// <param name="environment">The process environment (the CDK reads its CDK_* variables).</param>
    public static string TemplateBody(PipelineConfig config, FoundationOutputs outputs, string outDir, Func<string, string?> environment) =>
        TemplateBody(config, outputs, outDir, environment, o => SynthesizeApart(config, o, outDir));

    /// <summary>As <see cref="TemplateBody(PipelineConfig, FoundationOutputs, string, Func{string, string?})"/>, with the
    /// synthesis given (tests count how often it runs).</summary>
    internal static string TemplateBody(
        PipelineConfig config, FoundationOutputs outputs, string outDir, Func<string, string?> environment, Func<FoundationOutputs, string> synthesize)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(outputs);
        ArgumentNullException.ThrowIfNull(synthesize);
        return KeyPlaceholders.Fill(WithStandIns(config, outDir, environment, synthesize), config, outputs) ?? synthesize(outputs);
    }

    /// <summary>Starts the synthesis in the background when the cache holds no template for <paramref name="config"/> (a
    /// first deploy, or a changed configuration or kit), so that node and the CDK work while the foundation deploys rather
    /// than after it. With the template kept (a re-run) it starts nothing: a run that changes nothing starts no node. A
    /// failure is left to the pipeline's node, which synthesizes again and reports it.</summary>
    /// <returns>Whether it started a synthesis.</returns>
    public static bool Start(PipelineConfig config, string outDir, Func<string, string?> environment) =>
        Start(config, outDir, environment, o => SynthesizeApart(config, o, outDir));

    /// <summary>As <see cref="Start(PipelineConfig, string, Func{string, string?})"/>, with the synthesis given.</summary>
    internal static bool Start(PipelineConfig config, string outDir, Func<string, string?> environment, Func<FoundationOutputs, string> synthesize)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(synthesize);
        if (Read(CachePath(config, outDir), Key(config, KeyPlaceholders.Outputs(config), environment)) is not null) return false;
        _ = Task.Run(() =>
        {
            try
            {
                WithStandIns(config, outDir, environment, synthesize);
            }
            catch (Exception)
            {
                // The pipeline's node synthesizes again and reports why it cannot.
            }
        });
        return true;
    }

    /// <summary>Synthesizes in a folder of this synthesis's own (the CDK writes its assembly there and the template is read
    /// back from it): the background synthesis starts before the run lock, and two runs in one checkout must not read each
    /// other's template.</summary>
    private static string SynthesizeApart(PipelineConfig config, FoundationOutputs outputs, string outDir)
    {
        var folder = Path.Combine(outDir, "synth", Guid.NewGuid().ToString("N"));
        try
        {
            return PipelineSynthesizer.Synthesize(config, outputs, folder).TemplateBody;
        }
        finally
        {
            try
            {
                if (Directory.Exists(folder)) Directory.Delete(folder, recursive: true);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // A folder left under artifacts/ costs nothing but space.
            }
        }
    }

    /// <summary>The template with stand-in key ids: kept, under way (waited for), or synthesized now and kept.</summary>
    private static string WithStandIns(PipelineConfig config, string outDir, Func<string, string?> environment, Func<FoundationOutputs, string> synthesize)
    {
        var standIns = KeyPlaceholders.Outputs(config);
        var key = Key(config, standIns, environment);
        var path = CachePath(config, outDir);
        if (Read(path, key) is { } cached) return cached;

        var entry = path + "\n" + key;
        var slot = UnderWay.GetOrAdd(entry, _ => new Lazy<string>(() =>
        {
            var body = synthesize(standIns);
            Write(path, key, body);
            return body;
        }));
        try
        {
            return slot.Value;
        }
        finally
        {
            // Kept now (or failed: the next caller tries again).
            UnderWay.TryRemove(KeyValuePair.Create(entry, slot));
        }
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
