namespace PipelineKit.Verification;

using PipelineKit.Aws;
using PipelineKit.Deployment;

/// <summary>
/// What differs between a deployed stack and the deployment the kit would make of it, named one difference at a time.
/// The verdict is the deployer's own "same template, parameters and tags: skip" comparison; this only spells out what
/// it found.
/// </summary>
public static class StackComparison
{
    private const int Shown = 100;

    /// <summary>A stack is settled and as its last operation wanted: CREATE_COMPLETE, UPDATE_COMPLETE or IMPORT_COMPLETE.</summary>
    public static bool IsGood(StackStatus status) => status.IsSuccess && status != StackStatus.DeleteComplete;

    public static IReadOnlyList<string> Differences(StackDeployment desired, StackDescription deployed, string deployedTemplate)
    {
        ArgumentNullException.ThrowIfNull(desired);
        ArgumentNullException.ThrowIfNull(deployed);
        var differences = new List<string>();
        if (!DeployedComparison.SameEntries(desired.Parameters, deployed.Parameters, subset: true))
        {
            differences.AddRange(desired.Parameters.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => Entry("parameter", p.Key, p.Value, deployed.Parameters)).OfType<string>());
        }

        if (!DeployedComparison.SameEntries(desired.Tags, deployed.Tags, subset: false))
        {
            differences.AddRange(desired.Tags.OrderBy(t => t.Key, StringComparer.Ordinal).Select(t => Entry("tag", t.Key, t.Value, deployed.Tags)).OfType<string>());
            differences.AddRange(deployed.Tags.Keys.Where(k => !desired.Tags.ContainsKey(k)).Order(StringComparer.Ordinal)
                .Select(k => $"tag {k} is deployed, but the kit sets no such tag"));
        }

        if (TemplateDifference(desired.TemplateBody, deployedTemplate) is { } template) differences.Add(template);
        if (deployed.TerminationProtection != desired.TerminationProtection)
        {
            differences.Add($"termination protection is {(deployed.TerminationProtection ? "on" : "off")}, the kit keeps it {(desired.TerminationProtection ? "on" : "off")}");
        }

        return differences;
    }

    /// <summary>What differs between a deployed stack set and the kit's: parameters, tags, template and automatic deployment,
    /// compared as the stack set deployer compares them (<see cref="StackSetDeployer.IsAsDesired"/>).</summary>
    public static IReadOnlyList<string> Differences(StackSetRequest desired, StackSetDescription deployed)
    {
        ArgumentNullException.ThrowIfNull(desired);
        ArgumentNullException.ThrowIfNull(deployed);
        var differences = new List<string>();
        foreach (var (kind, kit, there) in new[] { ("parameter", desired.Parameters, deployed.Parameters), ("tag", desired.Tags, deployed.Tags) })
        {
            if (DeployedComparison.SameEntries(kit, there, subset: false)) continue;
            differences.AddRange(kit.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => Entry(kind, p.Key, p.Value, there)).OfType<string>());
            differences.AddRange(there.Keys.Where(k => !kit.ContainsKey(k)).Order(StringComparer.Ordinal).Select(k => $"{kind} {k} is deployed, but the kit sets no such {kind}"));
        }

        if (TemplateDifference(desired.TemplateBody, deployed.TemplateBody) is { } template) differences.Add(template);
        if (deployed.AutoDeployment != StackSetAutoDeployment.Kit)
        {
            differences.Add(deployed.AutoDeployment is not { } auto ? "automatic deployment is not reported; the kit turns it on"
                : $"automatic deployment is {(auto.Enabled ? "on" : "off")} with RetainStacksOnAccountRemoval {(auto.RetainStacksOnAccountRemoval ? "true" : "false")}; the kit sets it on, with false (an account moved out of the unit loses the roles)");
        }

        return differences;
    }

    private static string? Entry(string kind, string key, string configured, IReadOnlyDictionary<string, string> deployed) =>
        !deployed.TryGetValue(key, out var actual) ? $"{kind} {key} is missing: configured {Quote(configured)}"
        : actual != configured ? $"{kind} {key} differs: deployed {Quote(actual)}, configured {Quote(configured)}"
        : null;

    /// <summary>Null when equal as the deployer compares them (line endings, trailing space); else the first line that differs.</summary>
    private static string? TemplateDifference(string desired, string deployed)
    {
        var kit = DeployedComparison.Normalize(desired);
        var there = DeployedComparison.Normalize(deployed);
        if (string.Equals(kit, there, StringComparison.Ordinal)) return null;

        var kitLines = kit.Split('\n');
        var thereLines = there.Split('\n');
        var line = 0;
        while (line < kitLines.Length && line < thereLines.Length && kitLines[line] == thereLines[line]) line++;
        string At(string[] lines) => line < lines.Length ? Quote(lines[line].Trim()) : "(end of template)";
        return $"template differs from the kit's at line {line + 1}: deployed {At(thereLines)}, kit {At(kitLines)}";
    }

    private static string Quote(string value) => value.Length <= Shown ? $"\"{value}\"" : $"\"{value[..Shown]}...\" ({value.Length} characters)";
}
