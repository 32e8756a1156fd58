namespace PipelineKit.Testing;

using System.Net;
using Amazon.Runtime;
using PipelineKit.Aws;

/// <summary>
/// An in-memory AWS Organization behind <see cref="IOrganizations"/>: a root, units under it or under each other, and
/// accounts under either, each with its status. Answers as Organizations does for the kit's operations: a parent that
/// does not exist is null (ParentNotFoundException), an account outside any organization gets null from
/// DescribeOrganization, and <see cref="DenyAccess"/> makes every call AccessDeniedException (an account that is neither
/// the management account nor a delegated administrator). Records each call.
/// </summary>
public sealed class FakeOrganizations(string id = "o-a1b2c3d4e5", string managementAccountId = "123456789012", string rootId = "r-ab12") : IOrganizations
{
    private readonly Dictionary<string, string?> units = new(StringComparer.Ordinal) { [rootId] = null };
    private readonly List<(string Id, string Parent, string Status, string? Name)> accounts = [];
    private readonly List<string> calls = [];

    public string RootId => rootId;

    /// <summary>The build account belongs to no organization.</summary>
    public bool NotInUse { get; set; }

    public bool DenyAccess { get; set; }

    public IReadOnlyList<string> Calls { get { lock (calls) return calls.ToArray(); } }

    public FakeOrganizations AddUnit(string unitId, string? parentId = null)
    {
        units[unitId] = parentId ?? rootId;
        return this;
    }

    public FakeOrganizations AddAccount(string accountId, string parentId, string status = "ACTIVE", string? name = null)
    {
        accounts.RemoveAll(a => a.Id == accountId);
        accounts.Add((accountId, parentId, status, name));
        return this;
    }

    public Task<OrganizationDescription?> DescribeOrganizationAsync(CancellationToken ct = default)
    {
        Record("DescribeOrganization");
        return Task.FromResult(NotInUse ? null : new OrganizationDescription(id, managementAccountId));
    }

    public Task<IReadOnlyList<OrganizationAccount>?> ListAccountsForParentAsync(string parentId, CancellationToken ct = default)
    {
        Record($"ListAccountsForParent {parentId}");
        return Task.FromResult(units.ContainsKey(parentId)
            ? (IReadOnlyList<OrganizationAccount>?)accounts.Where(a => a.Parent == parentId).Select(a => new OrganizationAccount(a.Id, a.Name, a.Status)).ToArray()
            : null);
    }

    public Task<IReadOnlyList<OrganizationalUnitSummary>?> ListOrganizationalUnitsForParentAsync(string parentId, CancellationToken ct = default)
    {
        Record($"ListOrganizationalUnitsForParent {parentId}");
        return Task.FromResult(units.ContainsKey(parentId)
            ? (IReadOnlyList<OrganizationalUnitSummary>?)units.Where(u => u.Value == parentId).Select(u => new OrganizationalUnitSummary(u.Key, null)).ToArray()
            : null);
    }

    public Task<string?> ParentOfAsync(string childId, CancellationToken ct = default)
    {
        Record($"ListParents {childId}");
        var parent = units.TryGetValue(childId, out var unitParent) ? unitParent
            : accounts.Where(a => a.Id == childId).Select(a => a.Parent).FirstOrDefault();
        return Task.FromResult(parent);
    }

    /// <summary>Moves an account under another parent (MoveAccount).</summary>
    public FakeOrganizations Move(string accountId, string parentId)
    {
        var account = accounts.Single(a => a.Id == accountId);
        return AddAccount(accountId, parentId, account.Status, account.Name);
    }

    private void Record(string call)
    {
        lock (calls) calls.Add(call);
        if (DenyAccess)
        {
            throw new AmazonServiceException("You don't have permissions to access this resource.", null, ErrorType.Sender,
                "AccessDeniedException", "request-1", HttpStatusCode.BadRequest);
        }
    }
}
