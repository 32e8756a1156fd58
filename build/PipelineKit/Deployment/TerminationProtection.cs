namespace PipelineKit.Deployment;

/// <summary>Termination protection is a stack setting, outside every change set: brought in line, either way,
/// on every path that leaves the stack as desired (unchanged, no changes, change set executed).</summary>
internal static class TerminationProtection
{
    public static async Task AlignAsync(StackContext context, bool current, bool wanted, CancellationToken ct)
    {
        if (current == wanted) return;
        context.Progress(wanted ? "turning termination protection on" : "turning termination protection off");
        await context.Cfn.UpdateTerminationProtectionAsync(context.Name, wanted, ct).ConfigureAwait(false);
    }
}
