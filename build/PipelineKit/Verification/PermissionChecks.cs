namespace PipelineKit.Verification;

using Amazon.Runtime;
using PipelineKit.Orchestration;
using PipelineKit.Permissions;

/// <summary>The policies as deployed and the calls AWS makes for the pipeline, expanded for this configuration, each
/// with the environment it was expanded for.</summary>
internal sealed record DeployedPipelinePermissions(DeployedPermissions Permissions, IReadOnlyList<ScopedCall> Calls);

/// <summary>
/// The permission chain over the policies actually deployed (IAM roles, bucket, key and topic policies, read back), decided
/// by the kit's own evaluator: every call AWS makes for the pipeline must be allowed, every must-deny entry denied, every
/// boundary in place, and no role may reach a write on a role without a boundary.
/// </summary>
internal sealed class PermissionChecks(VerifyContext context)
{
    public async Task<(IReadOnlyList<CheckFinding> Findings, DeployedPipelinePermissions? Deployed)> RunAsync(
        IReadOnlyList<DeployedStack> stacks, IReadOnlyList<VerifyColumn> columns, IReadOnlySet<string> reachable, CancellationToken ct)
    {
        var config = context.Config;
        var foundation = stacks.Where(s => s.Ref.Key == FoundationPlan.PrimaryKey || s.Ref.Key.StartsWith(FoundationPlan.RegionalPrefix, StringComparison.Ordinal))
            .ToDictionary(s => s.Ref.Location.Region, s => s.Description.Outputs, StringComparer.Ordinal);
        var keys = config.Regions.Where(r => foundation.GetValueOrDefault(r)?.ContainsKey("ArtifactKeyArn") == true)
            .ToDictionary(r => r, r => foundation[r]["ArtifactKeyArn"], StringComparer.Ordinal);
        var notifications = foundation.GetValueOrDefault(config.Build.Region)?.GetValueOrDefault("NotificationsKeyArn");
        if (keys.Count < config.Regions.Count || notifications is null)
        {
            return (Everywhere(columns, reachable, (row, account) => CheckFinding.Skip(row, account, "the permission chain",
                "not evaluated: the foundation stacks and their key outputs could not be read (see the stack rows)")), null);
        }

        DeployedPermissions permissions;
        try
        {
            permissions = await ReadAsync(stacks, reachable, ct).ConfigureAwait(false);
        }
        catch (AmazonServiceException e)
        {
            return (Everywhere(columns, reachable, (row, account) => CheckFinding.Fail(row, account, "the deployed policies",
                $"could not be read: {e.ErrorCode}: {e.Message}")), null);
        }

        var calls = PipelineCalls.ExpandScoped(PipelineCalls.Entries, config, keys, notifications);
        var findings = calls.Select(c => Decide(c, permissions, reachable))
            .Concat(BoundaryChecks.Run(config, permissions.Snapshot, reachable))
            .Concat(Escalations(permissions, reachable))
            .ToList();
        return (findings, new DeployedPipelinePermissions(permissions, calls));
    }

    private async Task<DeployedPermissions> ReadAsync(IReadOnlyList<DeployedStack> stacks, IReadOnlySet<string> reachable, CancellationToken ct)
    {
        var config = context.Config;
        var accounts = PolicySnapshotPlan.RoleAccounts(config).Where(reachable.Contains).ToArray();
        var request = PolicySnapshotPlan.For(config, stacks.Select(s => s.Description.Outputs), accounts);
        var snapshot = await new DeployedPolicyReader(PolicySources.From(context.Sessions, context.Clients, context.Config.Partition)).ReadAsync(request, ct).ConfigureAwait(false);
        var sns = context.Clients.Sns(await context.CredentialsAsync(context.Build, ct).ConfigureAwait(false), config.Build.Region);
        return new DeployedPermissions(snapshot with { TopicPolicies = await PolicySnapshotPlan.TopicPoliciesAsync(config, sns, ct).ConfigureAwait(false) });
    }

    private CheckFinding Decide(ScopedCall scoped, DeployedPermissions permissions, IReadOnlySet<string> reachable)
    {
        var (call, request) = (scoped.Call, scoped.Call.Request);
        var row = PermissionGroups.RowOf(call, context.Config);
        var account = PermissionGroups.AccountOf(scoped.Environment, context.Config);
        var principal = request.Principal;
        // An account the kit holds no roles in (an outsider a negative check names, such as 999999999999) has nothing to read:
        // the pipeline's own policies decide it.
        var pipelineAccounts = PolicySnapshotPlan.RoleAccounts(context.Config);
        bool Unreached(string a) => a.Length > 0 && pipelineAccounts.Contains(a) && !reachable.Contains(a);
        if (!reachable.Contains(account) || Unreached(principal.Account) || Unreached(request.ResourceAccount))
        {
            return AccountChecks.Unreachable(row, account);
        }

        var decision = permissions.Check(request).Decision;
        if (decision.Allowed != call.MustDeny)
        {
            return CheckFinding.Pass(row, account, $"{principal.DisplayName}: {request.Action} on {request.Resource}");
        }

        return call.MustDeny
            ? CheckFinding.Fail(row, account, principal.DisplayName, $"must be denied, but is {decision.Explanation} ({call.Why})")
            : CheckFinding.Fail(row, account, principal.DisplayName, decision.Explanation);
    }

    private IEnumerable<CheckFinding> Escalations(DeployedPermissions permissions, IReadOnlySet<string> reachable)
    {
        var paths = EscalationSearch.Find(permissions);
        foreach (var path in paths)
        {
            yield return CheckFinding.Fail(VerifyChecks.Escalation, path.FromRole.Split(':')[4], $"role {path.FromRole}", $"reaches {path}");
        }

        var accounts = PolicySnapshotPlan.RoleAccounts(context.Config);
        foreach (var account in accounts.Where(a => reachable.Contains(a) && paths.All(p => p.FromRole.Split(':')[4] != a)))
        {
            yield return CheckFinding.Pass(VerifyChecks.Escalation, account, "no role of the account reaches a write on a role without a boundary");
        }
    }

    private static List<CheckFinding> Everywhere(IReadOnlyList<VerifyColumn> columns, IReadOnlySet<string> reachable, Func<string, string, CheckFinding> finding) =>
        VerifyChecks.Permission.SelectMany(row => columns.Select(c => reachable.Contains(c.Account) ? finding(row, c.Account) : AccountChecks.Unreachable(row, c.Account))).ToList();
}
