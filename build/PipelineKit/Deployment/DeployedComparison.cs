namespace PipelineKit.Deployment;

using PipelineKit.Aws;

/// <summary>Whether a deployment equals what is deployed, so that the whole change-set flow can be skipped. Reads only.</summary>
internal sealed class DeployedComparison(StackContext context)
{
    /// <summary>True when template, parameters and tags equal what is deployed. Termination protection is not compared:
    /// it is a stack setting, not part of any change set (see <see cref="TerminationProtection"/>).</summary>
    public async Task<bool> IsAsDesiredAsync(StackDescription existing, StackDeployment desired, CancellationToken ct)
    {
        if (!SameEntries(desired.Parameters, existing.Parameters, subset: true) || !SameEntries(desired.Tags, existing.Tags, subset: false))
        {
            return false;
        }

        var deployed = await context.Poller.ReadAsync(token => context.Cfn.GetTemplateBodyAsync(context.Name, token), "the deployed template", ct)
            .ConfigureAwait(false);
        return IsAsDesired(existing, desired, deployed);
    }

    /// <summary>The same comparison, given the deployed template already read.</summary>
    internal static bool IsAsDesired(StackDescription existing, StackDeployment desired, string deployedTemplate) =>
        SameEntries(desired.Parameters, existing.Parameters, subset: true) && SameEntries(desired.Tags, existing.Tags, subset: false) &&
        string.Equals(Normalize(deployedTemplate), Normalize(desired.TemplateBody), StringComparison.Ordinal);

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
