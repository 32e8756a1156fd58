namespace PipelineKit.Aws;

/// <summary>
/// The AWS Organizations operations the kit uses to find the accounts of an organizational unit and its path, and nothing else: all
/// read-only, every page read. Organizations answers these only in the management account or a delegated administrator.
/// Shaped like the official AWSSDK.Organizations operations.
/// https://docs.aws.amazon.com/organizations/latest/APIReference/API_Operations.html
/// </summary>
public interface IOrganizations
{
    /// <summary>DescribeOrganization; null when the account is in no organization (AWSOrganizationsNotInUseException).</summary>
    Task<OrganizationDescription?> DescribeOrganizationAsync(CancellationToken ct = default);

    /// <summary>ListAccountsForParent, every page: the accounts directly under a root or unit (not under its child units);
    /// null when there is no such parent (ParentNotFoundException).</summary>
    Task<IReadOnlyList<OrganizationAccount>?> ListAccountsForParentAsync(string parentId, CancellationToken ct = default);

    /// <summary>ListOrganizationalUnitsForParent, every page: the units directly under a root or unit; null when there is
    /// no such parent (ParentNotFoundException).</summary>
    Task<IReadOnlyList<OrganizationalUnitSummary>?> ListOrganizationalUnitsForParentAsync(string parentId, CancellationToken ct = default);

    /// <summary>ListParents: the id of a unit's or account's parent (a unit, or the root: an organization has one), so the kit
    /// can spell a unit's path (o-.../r-.../ou-.../) as aws:PrincipalOrgPaths compares it; null when there is no such child
    /// (ChildNotFoundException). https://docs.aws.amazon.com/organizations/latest/APIReference/API_ListParents.html</summary>
    Task<string?> ParentOfAsync(string childId, CancellationToken ct = default);
}

/// <param name="ManagementAccountId">The organization's management account (MasterAccountId in the API).</param>
public sealed record OrganizationDescription(string Id, string ManagementAccountId);

/// <param name="Status">ACTIVE, SUSPENDED or PENDING_CLOSURE.
/// https://docs.aws.amazon.com/organizations/latest/APIReference/API_Account.html</param>
public sealed record OrganizationAccount(string Id, string? Name, string Status)
{
    public bool IsActive => Status == "ACTIVE";
}

public sealed record OrganizationalUnitSummary(string Id, string? Name);
