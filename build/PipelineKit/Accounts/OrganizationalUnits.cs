namespace PipelineKit.Accounts;

using Amazon.Runtime;
using PipelineKit.Aws;
using PipelineKit.Configuration;
using PipelineKit.Messages;

/// <summary>The organization the units were found in, each unit's active accounts, and how CloudFormation StackSets
/// calls from the build account name their role in it.</summary>
public sealed record ResolvedUnits(
    PipelineConfig Config, OrganizationDescription Organization, IReadOnlyDictionary<string, IReadOnlyList<string>> Accounts)
{
    /// <summary>SELF in the management account, DELEGATED_ADMIN in a delegated administrator (CloudFormation's CallAs).
    /// https://docs.aws.amazon.com/AWSCloudFormation/latest/APIReference/API_CreateStackSet.html</summary>
    public string CallAs => Organization.ManagementAccountId == Config.Build.Account ? "SELF" : "DELEGATED_ADMIN";
}

/// <summary>
/// Resolves the environments of pipeline.json that name an organizational unit to the unit's ACTIVE accounts, its child
/// units' included, through Organizations, with the build account's credentials (its management account or a delegated
/// administrator: only they may list the organization). A suspended or closing account is skipped and said so; an
/// empty unit, a unit the build account cannot list, or an organization other than organizationId stops the run before
/// anything is deployed.
/// </summary>
public sealed class OrganizationalUnits(IOrganizations organizations, IKitMessages messages)
{
    /// <summary>The configuration with every unit environment expanded to its accounts (<see cref="PipelineConfig.WithUnitAccounts"/>).</summary>
    public async Task<ResolvedUnits> ResolveAsync(PipelineConfig config, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(config);
        var organization = await Call(() => organizations.DescribeOrganizationAsync(ct), config, "DescribeOrganization").ConfigureAwait(false)
            ?? throw Unresolved($"the build account {config.Build.Account} is in no AWS Organization, so it cannot resolve {Units(config)}; run the kit with the credentials of the organization's management account, or of an account registered as its delegated administrator for CloudFormation StackSets.");
        if (organization.Id != config.OrganizationId)
        {
            throw Unresolved($"the build account {config.Build.Account} is in organization {organization.Id}, but pipeline.json's organizationId is {config.OrganizationId}; correct organizationId, or run the kit from an account of {config.OrganizationId}.");
        }

        var accounts = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
        var paths = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var unit in config.OrganizationalUnits)
        {
            paths[unit] = await PathOfAsync(config, organization.Id, unit, ct).ConfigureAwait(false);
            var found = await AccountsUnderAsync(config, unit, ct).ConfigureAwait(false);
            foreach (var skipped in found.Where(a => !a.IsActive))
            {
                messages.Report(MessageCodes.OrganizationalAccountSkipped,
                    $"Organizational unit {unit}: account {skipped.Id}{Named(skipped)} is {skipped.Status}; nothing is deployed to it.");
            }

            var active = found.Where(a => a.IsActive).Select(a => a.Id).Distinct(StringComparer.Ordinal).ToArray();
            if (active.Length == 0)
            {
                throw Unresolved($"organizational unit {unit} (environment {EnvironmentsOf(config, unit)}) has no active account, its child units included; move an account into it, or name another unit.");
            }

            if (active.FirstOrDefault(a => a == config.Build.Account) is { } build)
            {
                throw Unresolved($"organizational unit {unit} holds the build account {build}; the build account holds the pipeline and its keys, and gets no target roles: move it out of the unit, or name another unit.");
            }

            if (active.FirstOrDefault(a => a == organization.ManagementAccountId) is { } management)
            {
                throw Unresolved($"organizational unit {unit} holds the organization's management account {management}, which a service-managed stack set never deploys to, so it would get no target roles: move it out of the unit, or name another unit.");
            }

            messages.Report(MessageCodes.OrganizationalUnitResolved,
                $"Organizational unit {unit} (environment {EnvironmentsOf(config, unit)}): {active.Length} active account(s): {string.Join(", ", active)}");
            accounts[unit] = active;
        }

        CheckEachAccountOnce(config, accounts);
        return new ResolvedUnits(config.WithUnitAccounts(accounts, paths), organization, accounts);
    }

    /// <summary>An account gets its target roles once: from its own roles stack, or from one unit's stack set. The same roles
    /// twice would fail on their fixed names, after half the deployment.</summary>
    private static void CheckEachAccountOnce(PipelineConfig config, Dictionary<string, IReadOnlyList<string>> accounts)
    {
        var owner = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var environment in config.Environments.Where(e => !e.IsOfOrganizationalUnit))
        {
            owner.TryAdd(environment.Account, $"environment {environment.Name}");
        }

        foreach (var (unit, found) in accounts)
        {
            foreach (var account in found)
            {
                if (owner.TryGetValue(account, out var other))
                {
                    throw Unresolved($"account {account} of organizational unit {unit} (environment {EnvironmentsOf(config, unit)}) is also the account of {other}: it would get the target roles twice; name it in one way only (a unit below another named unit counts as inside it).");
                }
            }

            foreach (var account in found) owner[account] = $"organizational unit {unit}";
        }
    }

    /// <summary>"o-.../r-.../ou-.../.../UNIT/": the unit's parents up to the root, as aws:PrincipalOrgPaths spells an
    /// account's place (<see cref="OrganizationPlaces"/>).</summary>
    private async Task<string> PathOfAsync(PipelineConfig config, string organizationId, string unit, CancellationToken ct)
    {
        var parents = await Call(() => OrganizationPlaces.ParentsPathAsync(organizations, organizationId, unit, ct), config, "ListParents").ConfigureAwait(false)
            ?? throw Unresolved($"organizational unit {unit} does not exist in organization {organizationId} (environment {EnvironmentsOf(config, unit)}); correct the environment's organizationalUnit.");
        return $"{parents}{unit}/";
    }

    /// <summary>The unit's accounts and those of every unit below it, breadth first.</summary>
    private async Task<List<OrganizationAccount>> AccountsUnderAsync(PipelineConfig config, string unit, CancellationToken ct)
    {
        var result = new List<OrganizationAccount>();
        var pending = new Queue<string>([unit]);
        while (pending.TryDequeue(out var parent))
        {
            var accounts = await Call(() => organizations.ListAccountsForParentAsync(parent, ct), config, "ListAccountsForParent").ConfigureAwait(false);
            var children = await Call(() => organizations.ListOrganizationalUnitsForParentAsync(parent, ct), config, "ListOrganizationalUnitsForParent").ConfigureAwait(false);
            if (accounts is null || children is null)
            {
                throw Unresolved($"organizational unit {parent} does not exist in organization {config.OrganizationId} (environment {EnvironmentsOf(config, unit)}); correct the environment's organizationalUnit.");
            }

            result.AddRange(accounts);
            foreach (var child in children) pending.Enqueue(child.Id);
        }

        return result;
    }

    /// <summary>An AWS refusal said in the kit's words: which account needs which permission.</summary>
    private static async Task<T> Call<T>(Func<Task<T>> call, PipelineConfig config, string operation)
    {
        try
        {
            return await call().ConfigureAwait(false);
        }
        catch (AmazonServiceException e) when (e.ErrorCode is "AccessDeniedException" or "AccessDenied")
        {
            throw new AccountAccessException(AccountAccessError.OrganizationalUnitUnresolved,
                $"Organizations refused organizations:{operation} to the build account {config.Build.Account} ({e.Message}), so it cannot resolve {Units(config)}. Only the organization's management account, or an account registered as a delegated administrator, may list it: run the kit there, with organizations:DescribeOrganization, ListParents, ListAccountsForParent and ListOrganizationalUnitsForParent allowed.",
                e.ErrorCode, e);
        }
    }

    private static AccountAccessException Unresolved(string message) =>
        new(AccountAccessError.OrganizationalUnitUnresolved, message[..1].ToUpperInvariant() + message[1..]);

    private static string Units(PipelineConfig config) => "organizational unit(s) " + string.Join(", ", config.OrganizationalUnits);

    private static string EnvironmentsOf(PipelineConfig config, string unit) =>
        string.Join(", ", config.Environments.Where(e => e.OrganizationalUnit == unit).Select(e => e.Name).Distinct(StringComparer.Ordinal));

    private static string Named(OrganizationAccount account) => account.Name is null ? "" : $" ({account.Name})";
}
