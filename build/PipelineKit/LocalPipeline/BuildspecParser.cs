namespace PipelineKit.LocalPipeline;

using PipelineKit.Errors;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

/// <summary>
/// Reads a version 0.2 buildspec into a <see cref="Buildspec"/>. Every key is checked against the CodeBuild user guide's
/// "Build specification reference for CodeBuild": a key CodeBuild knows that the local run does not honour (run-as,
/// cache, parameter-store, secondary-artifacts, ...) and a key CodeBuild does not know are both refused by name, with
/// <see cref="ErrorCodes.LocalPipelineRefused"/>; nothing is skipped in silence.
/// </summary>
public static class BuildspecParser
{
    private static readonly string[] TopKeys = ["version", "env", "phases", "artifacts", "reports"];
    private static readonly string[] TopKnownElsewhere = ["run-as", "proxy", "batch", "cache"];
    private static readonly string[] EnvKeys = ["shell", "variables", "exported-variables"];
    private static readonly string[] EnvKnownElsewhere = ["parameter-store", "secrets-manager", "git-credential-helper"];
    private static readonly string[] PhaseKeys = ["commands", "finally", "on-failure", "runtime-versions"];
    private static readonly string[] PhaseKnownElsewhere = ["run-as"];
    private static readonly string[] ArtifactKeys = ["files", "base-directory", "discard-paths", "name"];
    private static readonly string[] ArtifactKnownElsewhere = ["secondary-artifacts", "exclude-paths", "enable-symlinks", "s3-prefix"];
    private static readonly string[] ReportKeys = ["files", "base-directory", "discard-paths", "file-format"];

    /// <param name="source">Where the buildspec came from, for messages: "buildspecs/buildspec.yml", "the project's inline buildspec".</param>
    public static Buildspec Parse(string yaml, string source)
    {
        ArgumentNullException.ThrowIfNull(yaml);
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(yaml));
        }
        catch (YamlException e)
        {
            throw Refused(source, $"is not valid YAML ({e.Start}: {e.Message}).", e);
        }

        if (stream.Documents.Count == 0 || stream.Documents[0].RootNode is not YamlMappingNode root)
        {
            throw Refused(source, "is not a YAML mapping.");
        }

        var top = Keys(root, source, "", TopKeys, TopKnownElsewhere);
        var version = top.TryGetValue("version", out var v) ? Scalar(v, source, "version") : null;
        if (version != "0.2")
        {
            throw Refused(source, $"has version {version ?? "(none)"}; the local run reads version 0.2 only.");
        }

        var variables = new List<KeyValuePair<string, string>>();
        var exported = new List<string>();
        if (top.TryGetValue("env", out var envNode))
        {
            var env = Keys(Mapping(envNode, source, "env"), source, "env/", EnvKeys, EnvKnownElsewhere);
            if (env.TryGetValue("shell", out var shell) && Scalar(shell, source, "env/shell") is var name && name != "bash")
            {
                throw Refused(source, $"sets env/shell to {name}; the local run runs commands in bash only.");
            }

            if (env.TryGetValue("variables", out var vars))
            {
                variables.AddRange(Pairs(vars, source, "env/variables"));
            }

            if (env.TryGetValue("exported-variables", out var exports))
            {
                exported.AddRange(List(exports, source, "env/exported-variables"));
            }
        }

        var phases = top.TryGetValue("phases", out var phasesNode) ? ParsePhases(phasesNode, source) : [];
        var artifacts = top.TryGetValue("artifacts", out var artifactsNode) ? ParseArtifacts(artifactsNode, source) : null;
        var reports = top.TryGetValue("reports", out var reportsNode) ? ParseReports(reportsNode, source) : [];
        return new Buildspec(variables, exported, phases, artifacts, reports);
    }

    private static List<BuildspecPhase> ParsePhases(YamlNode node, string source)
    {
        var byName = Keys(Mapping(node, source, "phases"), source, "phases/", Buildspec.PhaseOrder.ToArray(), []);
        var phases = new List<BuildspecPhase>();
        foreach (var name in Buildspec.PhaseOrder)
        {
            if (!byName.TryGetValue(name, out var phaseNode) || phaseNode is YamlScalarNode { Value: null or "" })
            {
                continue;
            }

            var path = $"phases/{name}";
            var keys = Keys(Mapping(phaseNode, source, path), source, path + "/", PhaseKeys, PhaseKnownElsewhere);
            if (keys.ContainsKey("runtime-versions") && name != "install")
            {
                throw Refused(source, $"sets {path}/runtime-versions; CodeBuild reads runtime-versions in the install phase only.");
            }

            var onFailure = keys.TryGetValue("on-failure", out var f)
                ? Scalar(f, source, path + "/on-failure") switch
                {
                    "ABORT" => PhaseOnFailure.Abort,
                    "CONTINUE" => PhaseOnFailure.Continue,
                    var other => throw Refused(source, $"sets {path}/on-failure to {other}; CodeBuild knows ABORT and CONTINUE."),
                }
                : PhaseOnFailure.Transitions;
            phases.Add(new BuildspecPhase(
                name,
                keys.TryGetValue("commands", out var c) ? List(c, source, path + "/commands") : [],
                keys.TryGetValue("finally", out var fin) ? List(fin, source, path + "/finally") : [],
                onFailure,
                keys.TryGetValue("runtime-versions", out var r) ? Pairs(r, source, path + "/runtime-versions") : []));
        }

        return phases;
    }

    private static BuildspecArtifacts ParseArtifacts(YamlNode node, string source)
    {
        var keys = Keys(Mapping(node, source, "artifacts"), source, "artifacts/", ArtifactKeys, ArtifactKnownElsewhere);
        return new BuildspecArtifacts(
            keys.TryGetValue("files", out var files) ? List(files, source, "artifacts/files") : [],
            keys.TryGetValue("base-directory", out var b) ? Scalar(b, source, "artifacts/base-directory") : null,
            keys.TryGetValue("discard-paths", out var d) && YesNo(d, source, "artifacts/discard-paths"),
            keys.TryGetValue("name", out var n) ? Scalar(n, source, "artifacts/name") : null);
    }

    private static List<BuildspecReport> ParseReports(YamlNode node, string source)
    {
        var reports = new List<BuildspecReport>();
        foreach (var (key, value) in Mapping(node, source, "reports").Children)
        {
            var group = Scalar(key, source, "reports");
            // The local run keeps a group's files in a folder of its name: a name outside CodeBuild's pattern (an ARN,
            // "../x") is refused, as a project name would be (BuildProjectReader.IsProjectName).
            if (!BuildProjectReader.IsProjectName(group))
            {
                throw Refused(source, $"names report group {group}; the local run takes report group names of CodeBuild's pattern only (a letter or digit, then 1 to 254 letters, digits, '-' or '_').");
            }

            var path = $"reports/{group}";
            var keys = Keys(Mapping(value, source, path), source, path + "/", ReportKeys, []);
            reports.Add(new BuildspecReport(
                group,
                keys.TryGetValue("files", out var files) ? List(files, source, path + "/files") : [],
                keys.TryGetValue("base-directory", out var b) ? Scalar(b, source, path + "/base-directory") : null,
                keys.TryGetValue("discard-paths", out var d) && YesNo(d, source, path + "/discard-paths"),
                keys.TryGetValue("file-format", out var f) ? Scalar(f, source, path + "/file-format") : null));
        }

        return reports;
    }

    /// <summary>The mapping's entries by key, after refusing each key not in <paramref name="known"/>: the keys of
    /// <paramref name="notLocal"/> as CodeBuild keys the local run does not honour, any other as unknown.</summary>
    private static Dictionary<string, YamlNode> Keys(YamlMappingNode mapping, string source, string path, string[] known, string[] notLocal)
    {
        var keys = new Dictionary<string, YamlNode>(StringComparer.Ordinal);
        foreach (var (keyNode, value) in mapping.Children)
        {
            var key = Scalar(keyNode, source, path.TrimEnd('/'));
            if (notLocal.Contains(key, StringComparer.Ordinal))
            {
                throw Refused(source, $"sets {path}{key}, which the local CodeBuild run does not honour; run this build in AWS.");
            }

            if (!known.Contains(key, StringComparer.Ordinal))
            {
                throw Refused(source, $"sets {path}{key}, which is not a buildspec key (expected {string.Join(", ", known)}).");
            }

            keys[key] = value;
        }

        return keys;
    }

    private static YamlMappingNode Mapping(YamlNode node, string source, string path)
        => node as YamlMappingNode ?? throw Refused(source, $"has {path} that is not a mapping.");

    private static string Scalar(YamlNode node, string source, string path)
        => node is YamlScalarNode { Value: { } value } ? value : throw Refused(source, $"has {path} that is not a single value.");

    /// <summary>A list of values; CodeBuild also takes a single value where a list is expected.</summary>
    private static List<string> List(YamlNode node, string source, string path) => node switch
    {
        YamlSequenceNode seq => seq.Children.Select(c => Scalar(c, source, path)).ToList(),
        YamlScalarNode { Value: null or "" } => [],
        YamlScalarNode s => [s.Value!],
        _ => throw Refused(source, $"has {path} that is not a list."),
    };

    private static List<KeyValuePair<string, string>> Pairs(YamlNode node, string source, string path)
        => node is YamlScalarNode { Value: null or "" }
            ? []
            : Mapping(node, source, path).Children
                .Select(p => KeyValuePair.Create(Scalar(p.Key, source, path), Scalar(p.Value, source, $"{path}/{Scalar(p.Key, source, path)}")))
                .ToList();

    private static bool YesNo(YamlNode node, string source, string path) => Scalar(node, source, path).ToLowerInvariant() switch
    {
        "yes" or "true" => true,
        "no" or "false" => false,
        var other => throw Refused(source, $"sets {path} to {other}; CodeBuild knows yes and no."),
    };

    private static LocalPipelineException Refused(string source, string what, Exception? inner = null)
        => new(ErrorCodes.LocalPipelineRefused.Code, $"The buildspec {source} {what}", null, inner);
}
