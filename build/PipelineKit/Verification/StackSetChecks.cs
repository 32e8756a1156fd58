namespace PipelineKit.Verification;

using Amazon.Runtime;
using PipelineKit.Aws;
using PipelineKit.Deployment;
using PipelineKit.Orchestration;

/// <summary>
/// Each organizational unit's stack set (build account, build region) exists, is SERVICE_MANAGED, has the template,
/// parameters, tags and automatic deployment the kit would deploy now, and an instance CURRENT in the build region for
/// each active account of the unit; and no stack set of the pipeline's is left for a unit pipeline.json no longer names
/// (its accounts would keep roles that trust the pipeline). Reads only: DescribeStackSet, ListStackInstances, ListStackSets.
/// </summary>
internal sealed class StackSetChecks(VerifyContext context)
{
    private const string Check = VerifyChecks.UnitStackSets;

    public async Task<IReadOnlyList<CheckFinding>> RunAsync(IReadOnlySet<string> reachable, CancellationToken ct)
    {
        if (context.Plan.UnitRoles is not { } units) return [];
        var build = context.Build;
        if (!reachable.Contains(build)) return [AccountChecks.Unreachable(Check, build)];
        var findings = new List<CheckFinding>();
        var subject = $"stack sets of {context.Config.Name} ({context.Config.Build.Region})";
        try
        {
            var sets = await units.At(ct).ConfigureAwait(false);
            foreach (var unit in context.Config.OrganizationalUnits)
            {
                var desired = context.Plan.DesiredSet(unit);
                subject = $"{desired.Request.StackSetName} ({desired.InstanceRegion})";
                findings.AddRange(await CheckAsync(sets, desired, subject, ct).ConfigureAwait(false));
            }

            subject = $"stack sets of {context.Config.Name} ({context.Config.Build.Region})";
            var dropped = await UnitStackSets.FindAsync(sets, context.Config, units.CallAs, ct, droppedOnly: true).ConfigureAwait(false);
            findings.AddRange(dropped.Where(s => s.IsKits).Select(s => CheckFinding.Fail(Check, build, s.StackSetName,
                $"is the stack set of organizational unit {s.OrganizationalUnitId}, which pipeline.json no longer names: its accounts keep target roles that trust this pipeline; run ./build.sh DeployTargetRoles, which deletes it")));
        }
        catch (AmazonServiceException e)
        {
            findings.Add(CheckFinding.Fail(Check, build, subject, $"could not be read: {e.ErrorCode}: {e.Message}"));
        }

        return findings;
    }

    private async Task<IReadOnlyList<CheckFinding>> CheckAsync(ICloudFormationStackSets sets, StackSetDeployment desired, string subject, CancellationToken ct)
    {
        var build = context.Build;
        var request = desired.Request;
        var existing = await sets.DescribeStackSetAsync(request.StackSetName, request.CallAs, ct).ConfigureAwait(false);
        if (existing is null) return [CheckFinding.Fail(Check, build, subject, "does not exist; run ./build.sh DeployTargetRoles (or BootstrapAll)")];
        if (existing.PermissionModel is { } model && model != "SERVICE_MANAGED")
        {
            return [CheckFinding.Fail(Check, build, subject, $"is {model}, not SERVICE_MANAGED: it is not the kit's, and the unit's accounts get no roles from it")];
        }

        var differences = StackComparison.Differences(request, existing).ToList();
        var instances = await sets.ListStackInstancesAsync(request.StackSetName, request.CallAs, ct).ConfigureAwait(false);
        var inRegion = instances.Where(i => i.Region == desired.InstanceRegion).GroupBy(i => i.Account, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.First().Status, StringComparer.Ordinal);
        foreach (var account in desired.Accounts)
        {
            if (!inRegion.TryGetValue(account, out var status))
            {
                differences.Add($"account {account} of {desired.OrganizationalUnitId} has no instance in {desired.InstanceRegion}, so no target roles; run ./build.sh DeployTargetRoles");
            }
            else if (status != "CURRENT")
            {
                differences.Add($"the instance of account {account} is {status}, not CURRENT; see aws cloudformation list-stack-instances --stack-set-name {request.StackSetName} --call-as {request.CallAs}, then run ./build.sh DeployTargetRoles");
            }
        }

        return differences.Count == 0
            ? [CheckFinding.Pass(Check, build, $"{subject} SERVICE_MANAGED, as the kit deploys it, an instance CURRENT in each of the {desired.Accounts.Count} account(s) of {desired.OrganizationalUnitId}")]
            : [.. differences.Select(d => CheckFinding.Fail(Check, build, subject, d))];
    }
}
