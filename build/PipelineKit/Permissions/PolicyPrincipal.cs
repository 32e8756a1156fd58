using System.Text.Json;

namespace PipelineKit.Permissions;

/// <summary>
/// The Principal (or NotPrincipal) element: "*", or an object with AWS / Service / Federated /
/// CanonicalUser entries, each a string or a list.
/// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_principal.html
/// </summary>
public sealed record PolicyPrincipal(bool Everyone, IReadOnlyList<string> Aws, IReadOnlyList<string> Service,
    IReadOnlyList<string> Federated, IReadOnlyList<string> CanonicalUser)
{
    internal static PolicyPrincipal Read(JsonElement element, string where)
    {
        if (element.ValueKind == JsonValueKind.String)
        {
            return element.GetString() == "*"
                ? new PolicyPrincipal(true, [], [], [], [])
                : throw new FormatException($"{where} must be \"*\" or an object.");
        }
        if (element.ValueKind != JsonValueKind.Object)
        {
            throw new FormatException($"{where} must be \"*\" or an object.");
        }
        var entries = new Dictionary<string, IReadOnlyList<string>>();
        foreach (var property in element.EnumerateObject())
        {
            if (property.Name is not ("AWS" or "Service" or "Federated" or "CanonicalUser"))
            {
                throw new FormatException($"{where} has an unknown principal type '{property.Name}'.");
            }
            entries[property.Name] = PolicyJson.Strings(property.Value, $"{where} {property.Name}");
        }
        IReadOnlyList<string> Of(string type) => entries.GetValueOrDefault(type) ?? [];
        // {"AWS": "*"} is documented as the same as "*" for authenticated principals.
        return new PolicyPrincipal(Of("AWS").Contains("*"), Of("AWS"), Of("Service"), Of("Federated"), Of("CanonicalUser"));
    }
}

/// <summary>
/// How a resource policy's principal entry reaches the caller; the evaluator treats the levels differently.
/// </summary>
internal enum PrincipalMatch
{
    None,

    /// <summary>Through the account (12-digit id or :root): delegation, the identity policies must also allow.</summary>
    Account,

    /// <summary>Through the role ARN (or "*" for a role session): a grant a permissions boundary still limits.</summary>
    Role,

    /// <summary>The exact session, user or service: a grant neither identity policies nor boundary limit.</summary>
    Exact,
}

internal static class PrincipalMatcher
{
    /// <summary>The strongest way any entry of <paramref name="principal"/> names <paramref name="caller"/>.</summary>
    public static PrincipalMatch Match(PolicyPrincipal principal, AccessPrincipal caller)
    {
        if (principal.Everyone)
        {
            // A wildcard grant reaches a session through its role, so a boundary still caps it (conservative).
            return caller.Kind is PrincipalKind.RoleSession or PrincipalKind.Role ? PrincipalMatch.Role : PrincipalMatch.Exact;
        }
        if (caller.Kind == PrincipalKind.Service)
        {
            return principal.Service.Any(s => string.Equals(s, caller.Arn, StringComparison.OrdinalIgnoreCase))
                ? PrincipalMatch.Exact
                : PrincipalMatch.None;
        }
        var best = PrincipalMatch.None;
        foreach (var entry in principal.Aws)
        {
            var level = MatchAws(entry, caller);
            best = level > best ? level : best;
        }
        return best;
    }

    /// <summary>
    /// NotPrincipal excludes the caller only when it lists the caller's account and the caller itself (its role
    /// or session), because AWS checks the account, then the role, then the session.
    /// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_notprincipal.html
    /// </summary>
    public static bool Excludes(PolicyPrincipal notPrincipal, AccessPrincipal caller)
    {
        if (notPrincipal.Everyone || caller.Kind == PrincipalKind.Service)
        {
            return Match(notPrincipal, caller) != PrincipalMatch.None;
        }
        var levels = notPrincipal.Aws.Select(entry => MatchAws(entry, caller)).ToList();
        var accountListed = levels.Contains(PrincipalMatch.Account) || caller.Kind == PrincipalKind.AwsAccount;
        return accountListed && (levels.Contains(PrincipalMatch.Role) || levels.Contains(PrincipalMatch.Exact));
    }

    private static PrincipalMatch MatchAws(string entry, AccessPrincipal caller)
    {
        if (entry == "*")
        {
            return caller.Kind is PrincipalKind.RoleSession or PrincipalKind.Role ? PrincipalMatch.Role : PrincipalMatch.Exact;
        }
        if (entry == caller.Account || entry == $"arn:{Partition(caller)}:iam::{caller.Account}:root")
        {
            // For the account's root user the account principal is the caller itself.
            return caller.Kind == PrincipalKind.AwsAccount ? PrincipalMatch.Exact : PrincipalMatch.Account;
        }
        if (caller.Kind == PrincipalKind.Role && entry == caller.Arn)
        {
            return PrincipalMatch.Role;
        }
        if (caller.Kind == PrincipalKind.RoleSession && entry == caller.RoleArn)
        {
            return PrincipalMatch.Role;
        }
        return entry == caller.Arn ? PrincipalMatch.Exact : PrincipalMatch.None;
    }

    private static string Partition(AccessPrincipal caller)
    {
        var parts = caller.Arn.Split(':');
        return parts.Length > 1 && parts[0] == "arn" ? parts[1] : "aws";
    }
}
