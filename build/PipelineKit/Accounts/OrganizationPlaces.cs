namespace PipelineKit.Accounts;

using PipelineKit.Aws;

/// <summary>Where an account sits in its AWS Organization, as IAM sees its principals: aws:PrincipalOrgID and the path of
/// its parent, "o-a1b2c3d4e5/r-ab12/ou-ab12-11111111/" (aws:PrincipalOrgPaths).
/// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html#condition-keys-principalorgpaths</summary>
public sealed record OrganizationPlace(string OrganizationId, string Path);

/// <summary>Paths in an organization, read through Organizations (ListParents up to the root), never inferred from the
/// configuration: what the grants by aws:PrincipalOrgPaths are checked against.</summary>
public static class OrganizationPlaces
{
    /// <summary>Organizations nests units five levels deep at most, below the root.</summary>
    private const int MaxDepth = 5;

    /// <summary>The path of the parents of <paramref name="childId"/> (an account or a unit), root first, each followed by
    /// "/": "o-.../r-.../ou-.../"; null when Organizations knows no such child.</summary>
    public static async Task<string?> ParentsPathAsync(IOrganizations organizations, string organizationId, string childId, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(organizations);
        var segments = new List<string>();
        for (var id = childId; !id.StartsWith("r-", StringComparison.Ordinal) && segments.Count <= MaxDepth;)
        {
            if (await organizations.ParentOfAsync(id, ct).ConfigureAwait(false) is not { } parent) return null;
            segments.Insert(0, parent);
            id = parent;
        }

        return $"{organizationId}/{string.Join("", segments.Select(s => s + "/"))}";
    }

    /// <summary>Each of <paramref name="accounts"/> that is in the organization of the caller's account, with its place; empty
    /// when that account is in no organization.</summary>
    public static async Task<IReadOnlyDictionary<string, OrganizationPlace>> ReadAsync(
        IOrganizations organizations, IEnumerable<string> accounts, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(organizations);
        var places = new Dictionary<string, OrganizationPlace>(StringComparer.Ordinal);
        if (await organizations.DescribeOrganizationAsync(ct).ConfigureAwait(false) is not { } organization) return places;
        foreach (var account in accounts.Distinct(StringComparer.Ordinal))
        {
            if (await ParentsPathAsync(organizations, organization.Id, account, ct).ConfigureAwait(false) is { } path)
            {
                places[account] = new OrganizationPlace(organization.Id, path);
            }
        }

        return places;
    }
}
