namespace PipelineKit.Permissions;

public enum PrincipalKind { AwsAccount, Role, RoleSession, User, Service }

/// <summary>
/// Who makes the request. A role's credentials act as a session: Arn is the assumed-role ARN
/// (arn:PARTITION:sts::A:assumed-role/NAME/SESSION) and RoleArn the role's IAM ARN, path included.
/// A service has Arn = service principal name and no account.
/// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_identifiers.html#identifiers-arns
/// </summary>
public sealed record AccessPrincipal(PrincipalKind Kind, string Arn, string Account, string? RoleArn = null)
{
    /// <summary>The AWS Organization of the principal's account (aws:PrincipalOrgID), or null when the evaluator does not
    /// know it: a condition on aws:PrincipalOrgID then does not hold, so a grant by organization is denied.</summary>
    public string? OrganizationId { get; init; }

    /// <summary>The paths of the principal's account in its organization (aws:PrincipalOrgPaths), e.g.
    /// "o-a1b2c3d4e5/r-ab12/ou-ab12-11111111/ou-ab12-22222222/", or null when the evaluator does not know them: a condition
    /// on aws:PrincipalOrgPaths then does not hold, so a grant by organizational unit is denied.
    /// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html#condition-keys-principalorgpaths</summary>
    public IReadOnlyList<string>? OrganizationPaths { get; init; }

    /// <summary>The principal's "own" IAM ARN: the role for a session, else Arn (aws:PrincipalArn).</summary>
    public string IdentityArn => RoleArn ?? Arn;

    /// <summary>How explanations name the principal: "role NAME", "user NAME", "service X", "account A".</summary>
    public string DisplayName => Kind switch
    {
        PrincipalKind.Role or PrincipalKind.RoleSession => "role " + LastSegment(IdentityArn),
        PrincipalKind.User => "user " + LastSegment(Arn),
        PrincipalKind.Service => "service " + Arn,
        _ => "account " + Account,
    };

    public static AccessPrincipal Role(string roleArn, string session = "session")
    {
        var arn = ParseIamArn(roleArn, "role/");
        var name = LastSegment(arn.Resource);
        return new AccessPrincipal(PrincipalKind.RoleSession,
            $"arn:{arn.Partition}:sts::{arn.Account}:assumed-role/{name}/{session}", arn.Account, roleArn);
    }

    public static AccessPrincipal Service(string servicePrincipal) =>
        new(PrincipalKind.Service, servicePrincipal, "");

    public static AccessPrincipal User(string userArn) =>
        new(PrincipalKind.User, userArn, ParseIamArn(userArn, "user/").Account);

    /// <summary>
    /// Reads GetCallerIdentity's Arn. An assumed-role ARN carries no role path, so RoleArn is built without one.
    /// </summary>
    public static AccessPrincipal FromCallerArn(string callerArn)
    {
        var parts = callerArn.Split(':', 6);
        if (parts.Length == 6 && parts[0] == "arn" && parts[2] == "sts" && parts[5].StartsWith("assumed-role/", StringComparison.Ordinal))
        {
            var names = parts[5].Split('/');
            if (names.Length == 3)
            {
                return new AccessPrincipal(PrincipalKind.RoleSession, callerArn, parts[4],
                    $"arn:{parts[1]}:iam::{parts[4]}:role/{names[1]}");
            }
        }
        if (parts.Length == 6 && parts[0] == "arn" && parts[2] == "iam" && parts[5] == "root")
        {
            return new AccessPrincipal(PrincipalKind.AwsAccount, callerArn, parts[4]);
        }
        if (parts.Length == 6 && parts[0] == "arn" && parts[2] == "iam" && parts[5].StartsWith("user/", StringComparison.Ordinal))
        {
            return User(callerArn);
        }
        throw new ArgumentException($"'{callerArn}' is not an assumed-role, user or root ARN.", nameof(callerArn));
    }

    private static (string Partition, string Account, string Resource) ParseIamArn(string arn, string resourcePrefix)
    {
        var parts = arn.Split(':', 6);
        if (parts.Length != 6 || parts[0] != "arn" || parts[2] != "iam" || parts[4].Length == 0 ||
            !parts[5].StartsWith(resourcePrefix, StringComparison.Ordinal))
        {
            throw new ArgumentException($"'{arn}' is not an IAM {resourcePrefix.TrimEnd('/')} ARN.", nameof(arn));
        }
        return (parts[1], parts[4], parts[5]);
    }

    private static string LastSegment(string value) => value[(value.LastIndexOf('/') + 1)..];
}
