namespace PipelineKit.Configuration;

using System.Text.Json;

/// <summary><c>environments[].organizationalUnit</c>: an environment that deploys to every active account of an AWS
/// Organizations organizational unit (its child units included), resolved when the kit runs, instead of to one
/// <c>account</c>. Exactly one of the two; the kit reaches each account of the unit through <c>assumeRoleName</c>.</summary>
internal static class OrganizationalUnitField
{
    public const string Name = "organizationalUnit";

    /// <summary>The unit's id, or null for an account environment or when reported; <paramref name="readAccount"/> is
    /// true when the environment names no unit, so its <c>account</c> is read (and required) as before.</summary>
    public static string? Read(ConfigReader reader, JsonElement item, string path, out bool readAccount)
    {
        var hasUnit = item.TryGetProperty(Name, out _);
        var hasAccount = item.TryGetProperty("account", out _);
        readAccount = !hasUnit;
        if (!hasUnit)
        {
            if (!hasAccount)
            {
                reader.Error(ConfigReader.Join(path, "account"), $"is required (the 12-digit AWS account id, in quotes), or instead \"{Name}\" (an organizational unit id, ou-...) to deploy to every account of the unit");
                readAccount = false;
            }

            return null;
        }

        var unit = reader.OptionalString(item, path, Name);
        if (unit is null)
        {
            return null;
        }

        if (hasAccount)
        {
            reader.Error(ConfigReader.Join(path, Name), $"\"{unit}\" and \"account\" are both set; an environment deploys to one account or to the accounts of one organizational unit: keep one of them");
            return null;
        }

        if (!ConfigPatterns.OrganizationalUnitId().IsMatch(unit))
        {
            reader.Error(ConfigReader.Join(path, Name), $"\"{unit}\" is not an organizational unit id (ou- followed by 4 to 32 lower-case letters or digits, a hyphen and 8 to 32 more, e.g. ou-ab12-cd34ef56)");
            return null;
        }

        return unit;
    }

    /// <summary>An environment of a unit has no single account to name a profile or a role of.</summary>
    public static void CheckAccess(ConfigReader reader, string path, string? unit, string? profile, string? roleArn)
    {
        if (unit is null)
        {
            return;
        }

        foreach (var (field, value) in new[] { ("profile", profile), ("roleArn", roleArn) })
        {
            if (value is not null)
            {
                reader.Error(ConfigReader.Join(path, field), $"\"{value}\" cannot apply to organizational unit {unit}, whose accounts are found when the kit runs; the kit reaches each of them as arn:{reader.Partition}:iam::ACCOUNT:role/<assumeRoleName>: leave {field} out");
            }
        }
    }

    /// <summary>The security gate reads one account's change set; an organizational unit's environment has none yet. Its
    /// securityApproval must say "never", so nobody takes a unit's approval for one the gate informed: left out (where an
    /// account's environment would have the gate) or asking for the gate, it is refused rather than silently not done.</summary>
    public static SecurityApproval SecurityApproval(ConfigReader reader, JsonElement item, string path, string? unit, SecurityApproval read)
    {
        if (unit is null) return read;
        if (!item.TryGetProperty("securityApproval", out _) || read != Configuration.SecurityApproval.Never)
        {
            reader.Error(ConfigReader.Join(path, "securityApproval"), $"the security gate checks one account's change set and does not cover organizational unit {unit} yet, so its accounts deploy without it: say \"securityApproval\": \"never\" to accept that, or give its accounts environments of their own");
        }

        return Configuration.SecurityApproval.Never;
    }

    /// <summary>Environments of organizational units need the organization's id: the grants name the units by their path
    /// in it (aws:PrincipalOrgPaths), and the kit checks that the build account sees that organization.</summary>
    /// <summary>With selfUpdate the pipeline re-creates itself as its update role, which may not list the organization: refused
    /// rather than failing in the pipeline.</summary>
    public static void CheckOrganization(
        ConfigReader reader, List<PartialEnvironment>? environments, string? organizationId, bool organizationIdReported, bool selfUpdate)
    {
        if (environments is null)
        {
            return;
        }

        if (selfUpdate && environments.FirstOrDefault(e => e.OrganizationalUnit is not null) is { } first)
        {
            reader.Error("selfUpdate", $"does not cover organizational units yet ({first.Label} names {first.OrganizationalUnit}): the pipeline's update role may not list the organization; leave selfUpdate out and run CreatePipeline from the build account when accounts join or leave the unit");
        }

        if (organizationId is not null || organizationIdReported)
        {
            return;
        }

        foreach (var environment in environments.Where(e => e.OrganizationalUnit is not null))
        {
            reader.Error(ConfigReader.Join(environment.Path, Name), $"needs \"organizationId\" at the top level (the o-... id of the organization {environment.OrganizationalUnit} belongs to): the build account's grants name the unit by its path in the organization");
        }
    }
}
