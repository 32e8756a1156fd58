namespace PipelineKit.Deployment;

using PipelineKit.Aws;

/// <summary>Whether a deployment equals what is deployed, so that the whole change-set flow can be skipped. Reads only.</summary>
internal sealed class DeployedComparison(StackContext context)
{
    /// <summary>True when template, parameters and tags equal what is deployed. Termination protection is not compared:
    /// it is a stack setting, not part of any change set (see <see cref="TerminationProtection"/>).</summary>
    public async Task<bool> IsAsDesiredAsync(StackDescription existing, StackDeployment desired, CancellationToken ct) =>
        await DifferenceAsync(existing, desired, ct).ConfigureAwait(false) is null;

    /// <summary>What differs from what is deployed, first found first (a parameter, the tags, the template's first differing
    /// line), or null when nothing does: the run says why it deploys a stack it did not create.</summary>
    public async Task<string?> DifferenceAsync(StackDescription existing, StackDeployment desired, CancellationToken ct)
    {
        if (EntriesDifference(existing, desired) is { } entries) return entries;
        var deployed = await context.Poller.ReadAsync(token => context.Cfn.GetTemplateBodyAsync(context.Name, token), "the deployed template", ct)
            .ConfigureAwait(false);
        return TemplateDifference(deployed, desired.TemplateBody);
    }

    /// <summary>The same comparison, given the deployed template already read.</summary>
    internal static bool IsAsDesired(StackDescription existing, StackDeployment desired, string deployedTemplate) =>
        EntriesDifference(existing, desired) is null && TemplateDifference(deployedTemplate, desired.TemplateBody) is null;

    private static string? EntriesDifference(StackDescription existing, StackDeployment desired)
    {
        var parameter = desired.Parameters.Keys.Order(StringComparer.Ordinal)
            .FirstOrDefault(k => !existing.Parameters.TryGetValue(k, out var actual) || !string.Equals(actual, desired.Parameters[k], StringComparison.Ordinal));
        if (parameter is not null) return $"parameter {parameter}";
        return SameEntries(desired.Tags, existing.Tags, subset: false) ? null : "tags";
    }

    private static string? TemplateDifference(string deployed, string desired)
    {
        var (was, wanted) = (Normalize(deployed), Normalize(desired));
        if (string.Equals(was, wanted, StringComparison.Ordinal)) return null;
        var (a, b) = (was.Split('\n'), wanted.Split('\n'));
        var line = 0;
        while (line < a.Length && line < b.Length && string.Equals(a[line], b[line], StringComparison.Ordinal)) line++;
        return $"template, from line {line + 1}";
    }

    internal static bool SameEntries(IReadOnlyDictionary<string, string> desired, IReadOnlyDictionary<string, string> deployed, bool subset)
    {
        // Parameters: the deployed stack also lists parameters left at their template default; the kit
        // passes every parameter it sets, so only those are compared. Tags: compared as whole sets.
        if (!subset && desired.Count != deployed.Count) return false;
        foreach (var (key, value) in desired)
        {
            if (!deployed.TryGetValue(key, out var actual) || !string.Equals(actual, value, StringComparison.Ordinal)) return false;
        }

        return true;
    }

    internal static string Normalize(string template) => template.Replace("\r\n", "\n", StringComparison.Ordinal).TrimEnd();
}
