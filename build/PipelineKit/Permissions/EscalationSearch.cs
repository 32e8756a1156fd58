namespace PipelineKit.Permissions;

using PipelineKit.Naming;

/// <summary>A way from one of the kit's roles to writing the policies of a role that carries no boundary: the roles
/// passed through (assumed, or handed to CloudFormation) and the write that the last of them may make.</summary>
public sealed record EscalationPath(string FromRole, IReadOnlyList<string> Through, string Action, string Target)
{
    public override string ToString() =>
        $"{FromRole} -> {string.Join(" -> ", Through)}{(Through.Count > 0 ? " -> " : "")}{Action} on {Target}";
}

/// <summary>
/// Searches the deployed policies for privilege escalation: from every role of the kit, through every role it may
/// assume or pass to CloudFormation (a change set runs as the passed role), to a write that escapes the boundaries:
/// iam:CreateRole, iam:PutRolePolicy or iam:AttachRolePolicy on a role without one (a new role outside the kit's paths,
/// an existing role of the kit's that carries none); iam:UpdateAssumeRolePolicy on a role without one or on a role that
/// another role's trust names (who may act as it decides who may act as the other); a user or access key; a new version
/// of a boundary. Any such write would let code in a build container, or a change set, grant itself more than the kit
/// allows; the kit's templates must leave no such path.
/// </summary>
public static class EscalationSearch
{
    private static readonly string[] Writes = ["iam:CreateRole", "iam:PutRolePolicy", "iam:AttachRolePolicy"];

    public static IReadOnlyList<EscalationPath> Find(DeployedPermissions permissions)
    {
        ArgumentNullException.ThrowIfNull(permissions);
        var roles = permissions.Snapshot.Roles.Values.ToList();
        var edges = roles.ToDictionary(r => r.Arn, r => roles.Where(to => to.Arn != r.Arn && Reaches(permissions, r, to)).Select(to => to.Arn).ToList());
        var paths = new List<EscalationPath>();
        foreach (var start in roles)
        {
            foreach (var (arn, through) in Reachable(start.Arn, edges))
            {
                var role = permissions.Snapshot.Roles[arn];
                foreach (var (action, target) in UnboundedWrites(permissions, role))
                {
                    paths.Add(new EscalationPath(start.Arn, through, action, target));
                }
            }
        }

        return paths;
    }

    /// <summary>Every role reachable from <paramref name="start"/> (itself included), with the roles on the way.</summary>
    private static IEnumerable<(string Arn, IReadOnlyList<string> Through)> Reachable(string start, Dictionary<string, List<string>> edges)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal) { start };
        var queue = new Queue<(string, IReadOnlyList<string>)>([(start, [])]);
        while (queue.Count > 0)
        {
            var (arn, through) = queue.Dequeue();
            yield return (arn, through);
            foreach (var next in edges[arn].Where(seen.Add))
            {
                queue.Enqueue((next, [.. through, next]));
            }
        }
    }

    /// <summary>A role reaches another by assuming it, or by passing it to CloudFormation (the execution-role pattern).</summary>
    private static bool Reaches(DeployedPermissions permissions, RoleSnapshot from, RoleSnapshot to)
    {
        var principal = AccessPrincipal.Role(from.Arn);
        if (Allowed(permissions, principal, "sts:AssumeRole", to.Arn, to.AccountId, [])) return true;
        return from.AccountId == to.AccountId &&
            Allowed(permissions, principal, "iam:PassRole", to.Arn, to.AccountId, [("iam:PassedToService", "cloudformation.amazonaws.com")]);
    }

    private static IEnumerable<(string Action, string Target)> UnboundedWrites(DeployedPermissions permissions, RoleSnapshot role)
    {
        var principal = AccessPrincipal.Role(role.Arn);
        var account = role.AccountId;
        var partition = Partitions.OfArn(role.Arn);
        var roles = permissions.Snapshot.Roles.Values.Where(r => r.AccountId == account).ToList();
        // A new role at the root and under each path the account's kit roles use, an existing role outside the kit (as
        // every account has), and every kit role that carries no boundary.
        var unbounded = new List<string>
        {
            $"arn:{partition}:iam::{account}:role/pipelinekit-escalation-probe",
            $"arn:{partition}:iam::{account}:role/OrganizationAccountAccessRole",
        };
        unbounded.AddRange(roles.Select(r => PathOf(r.Arn)).Where(p => p != "/").Distinct(StringComparer.Ordinal)
            .Select(p => $"arn:{partition}:iam::{account}:role{p}pipelinekit-escalation-probe"));
        unbounded.AddRange(roles.Where(r => r.PermissionsBoundary is null).Select(r => r.Arn));
        var trusted = roles.Where(r => roles.Any(other => other.Trust.Document.Contains(r.Arn, StringComparison.Ordinal))
                || permissions.Snapshot.Roles.Values.Any(other => other.Trust.Document.Contains(r.Arn, StringComparison.Ordinal)))
            .Select(r => r.Arn);
        var boundaries = roles.Select(r => r.PermissionsBoundary?.Name).OfType<string>()
            .Select(n => n.Split(' ').FirstOrDefault(w => w.StartsWith("arn:", StringComparison.Ordinal))).OfType<string>().Distinct(StringComparer.Ordinal);

        // Who may act as a role is changed through its trust, which no condition key ties to a boundary: probed on the roles
        // outside the kit's paths and the roles other roles trust. A role under a kit path is made only with the boundary
        // (iam:CreateRole requires it); an unbounded one there could only come from an IAM administrator.
        var outsidePaths = unbounded.Where(t => PathOf(t) == "/");
        var probes = unbounded.SelectMany(t => Writes.Select(a => (Action: a, Target: t)))
            .Concat(outsidePaths.Concat(trusted).Select(t => (Action: "iam:UpdateAssumeRolePolicy", Target: t)))
            .Concat([("iam:CreateUser", $"arn:{partition}:iam::{account}:user/pipelinekit-escalation-probe"),
                     ("iam:CreateAccessKey", $"arn:{partition}:iam::{account}:user/pipelinekit-escalation-probe")])
            .Concat(boundaries.Select(b => (Action: "iam:CreatePolicyVersion", Target: b)))
            .Distinct();
        foreach (var (action, target) in probes)
        {
            if (Allowed(permissions, principal, action, target, account, [("iam:PolicyARN", $"arn:{partition}:iam::aws:policy/AdministratorAccess")]))
            {
                yield return (action, target);
            }
        }
    }

    private static string PathOf(string roleArn)
    {
        var resource = roleArn.Split(':', 6)[5];
        var last = resource.LastIndexOf('/');
        return resource["role".Length..(last + 1)];
    }

    private static bool Allowed(DeployedPermissions permissions, AccessPrincipal principal, string action, string resource, string account,
        IReadOnlyList<(string Key, string Value)> context) =>
        permissions.Check(new AccessRequest(principal, action, resource, account,
            context.ToDictionary(c => c.Key, c => (IReadOnlyList<string>)[c.Value], StringComparer.OrdinalIgnoreCase))).Decision.Allowed;
}
