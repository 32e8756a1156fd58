namespace PipelineKit.Verification;

using PipelineKit.Configuration;
using PipelineKit.Naming;
using PipelineKit.Permissions;

/// <summary>
/// The roles whose boundary the permission model rests on carry it as deployed: each target account's execution role
/// (the kit's boundary, or cloudFormationExecution.permissionsBoundaryArn) and every role the app stacks made under the
/// pipeline's path (the kit's), the build account's deployer and pipeline execution role and the pipeline stack's roles
/// (the pipeline boundary). A boundary removed by hand is found here by name, not only through what it would have denied.
/// </summary>
internal static class BoundaryChecks
{
    public static IEnumerable<CheckFinding> Run(PipelineConfig config, PolicySnapshot snapshot, IReadOnlySet<string> reachable)
    {
        foreach (var (roleArn, boundaryArn) in Expected(config, snapshot).Where(e => reachable.Contains(AccountOf(e.RoleArn))))
        {
            var account = AccountOf(roleArn);
            var subject = $"role {roleArn[(roleArn.IndexOf(":role/", StringComparison.Ordinal) + 6)..]}";
            if (!snapshot.Roles.TryGetValue(roleArn, out var role))
            {
                yield return CheckFinding.Fail(VerifyChecks.Boundaries, account, subject, $"does not exist in account {account}");
                continue;
            }

            var actual = role.PermissionsBoundary?.Name.Split(' ').FirstOrDefault(w => w.StartsWith("arn:", StringComparison.Ordinal));
            yield return actual == boundaryArn
                ? CheckFinding.Pass(VerifyChecks.Boundaries, account, $"{subject} carries {boundaryArn}")
                : CheckFinding.Fail(VerifyChecks.Boundaries, account, subject,
                    actual is null ? $"carries no permissions boundary; it needs {boundaryArn}" : $"carries {actual} as boundary; it needs {boundaryArn}");
        }
    }

    private static IEnumerable<(string RoleArn, string BoundaryArn)> Expected(PipelineConfig config, PolicySnapshot snapshot)
    {
        var name = config.Name;
        var build = config.Build.Account;
        var pipelineBoundary = KitNames.PolicyArn(config.Partition, build, KitNames.PipelineBoundary(name));
        var buildRoles = new List<string> { KitNames.PipelineExecutionRole(name), KitNames.PipelineRole(name), KitNames.PipelineActionsRole(name), KitNames.BuildRole(name) };
        if (config.Deployers.Count > 0) buildRoles.Add(KitNames.DeployerRole(name));
        if (config.SelfUpdate) buildRoles.Add(KitNames.UpdateRole(name));
        if (config.Notifications.Slack is not null) buildRoles.Add(KitNames.ChatbotRole(name));
        if (config.Source is CodeCommitSource) buildRoles.Add(KitNames.SourceChangedRole(name));
        foreach (var role in buildRoles) yield return (KitNames.RoleArn(config.Partition, build, role), pipelineBoundary);

        foreach (var account in config.TargetAccounts.Select(a => a.AccountId))
        {
            var kitBoundary = KitNames.PolicyArn(config.Partition, account, KitNames.PermissionsBoundary(name));
            yield return (KitNames.ExecutionRoleArn(config.Partition, name, account), config.CloudFormationExecution.PermissionsBoundaryArn ?? kitBoundary);
            var appPath = $"arn:{config.Partition}:iam::{account}:role{KitNames.AppRolePath(name)}";
            foreach (var appRole in snapshot.Roles.Keys.Where(arn => arn.StartsWith(appPath, StringComparison.Ordinal)))
            {
                yield return (appRole, kitBoundary);
            }
        }
    }

    private static string AccountOf(string arn) => arn.Split(':')[4];
}
