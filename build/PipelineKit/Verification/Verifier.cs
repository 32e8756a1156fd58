namespace PipelineKit.Verification;

/// <summary>
/// Verify: proves that what is deployed works, reading only. Accounts, then the stacks the configuration implies, then
/// CloudFormation's drift detection, the permission chain over the policies as deployed, IAM's policy simulator on the
/// identity side and the source connection. Every call it makes reads, evaluates or compares; none changes anything.
/// </summary>
public sealed class Verifier(VerifyContext context)
{
    public async Task<VerifyReport> RunAsync(CancellationToken ct = default)
    {
        var columns = VerifyColumn.For(context.Config);
        var (accounts, reachable) = await AccountChecks.RunAsync(context, columns, ct).ConfigureAwait(false);
        var (stackFindings, stacks) = await new StackChecks(context).RunAsync(reachable, ct).ConfigureAwait(false);
        var stackSets = await new StackSetChecks(context).RunAsync(reachable, ct).ConfigureAwait(false);
        var drift = await new DriftChecks(context).RunAsync(stacks, ct).ConfigureAwait(false);
        var (permissionFindings, deployed) = await new PermissionChecks(context).RunAsync(stacks, columns, reachable, ct).ConfigureAwait(false);
        var simulation = await new SimulationChecks(context).RunAsync(deployed, columns, reachable, ct).ConfigureAwait(false);
        var connection = await ConnectionCheck.RunAsync(context, reachable, ct).ConfigureAwait(false);
        return new VerifyReport(context.Config.Name, context.Where, columns,
            [.. accounts, .. stackFindings, .. stackSets, .. drift, .. permissionFindings, .. simulation, .. connection]);
    }
}
