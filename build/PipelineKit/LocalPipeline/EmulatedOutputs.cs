namespace PipelineKit.LocalPipeline;

using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

/// <summary>
/// The emulator leaves out a stack output that refers to a resource type it does not create (moto-quirks.md: the sample app's
/// ApiUrl, from its HTTP API), where CloudFormation returns every unconditional output. A later action that refers to such an
/// output as a variable would then fail on the emulator only; the local run gives it as an empty variable instead, and the
/// action's log says so. The outputs are the template's: its Outputs section, those without a Condition.
/// </summary>
internal static class EmulatedOutputs
{
    public static IReadOnlyDictionary<string, string> Complete(IReadOnlyDictionary<string, string> outputs, string templateBody, Action<string> log)
    {
        var missing = DeclaredOutputs(templateBody).Where(name => !outputs.ContainsKey(name)).ToList();
        if (missing.Count == 0) return outputs;
        var completed = new Dictionary<string, string>(outputs, StringComparer.Ordinal);
        foreach (var name in missing)
        {
            completed[name] = "";
            log($"output {name}: the emulator returned no value (it does not create the resource it refers to); the variable is empty");
        }

        return completed;
    }

    /// <summary>The names of the template's unconditional outputs (JSON or YAML, short-form intrinsics included).</summary>
    public static IReadOnlyList<string> DeclaredOutputs(string templateBody)
    {
        var yaml = new YamlStream();
        try
        {
            yaml.Load(new StringReader(templateBody));
        }
        catch (YamlException)
        {
            return [];
        }

        if (yaml.Documents.Count == 0 || yaml.Documents[0].RootNode is not YamlMappingNode root) return [];
        if (!root.Children.TryGetValue(new YamlScalarNode("Outputs"), out var section) || section is not YamlMappingNode outputs) return [];
        return [.. outputs.Children
            .Where(o => o.Value is not YamlMappingNode output || !output.Children.ContainsKey(new YamlScalarNode("Condition")))
            .Select(o => ((YamlScalarNode)o.Key).Value ?? "")
            .Where(name => name.Length > 0)];
    }
}
