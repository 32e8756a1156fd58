namespace PipelineKit.Configuration;

using System.Text.Json;

/// <summary>One environment as read, each field null when missing or invalid (already reported).</summary>
internal sealed record PartialEnvironment(
    int Index, string? Name, string? Account, string? Region, string? Profile, string? RoleArn, bool Approval,
    int? Wave = null, int? ApprovalTimeoutMinutes = null, SecurityApproval SecurityApproval = SecurityApproval.Broadening,
    string? OrganizationalUnit = null)
{
    public string Path => $"environments[{Index}]";

    /// <summary>How messages name the environment: its path, and its name when it has one.</summary>
    public string Label => Name is null ? Path : $"{Path} (\"{Name}\")";

    /// <summary>Only when nothing was reported. An approval without its own timeout takes the file's default.</summary>
    public EnvironmentSettings Complete(int? defaultApprovalTimeout) =>
        new(Name!, Account ?? "", Region!, Profile, RoleArn, Approval, Wave, Approval ? ApprovalTimeoutMinutes ?? defaultApprovalTimeout : null, SecurityApproval,
            OrganizationalUnit);
}

/// <summary><c>environments</c>: the target environments in pipeline order, each on its own; the rules that relate
/// environments to each other or to the build account are <see cref="CrossFieldRules"/>.</summary>
internal static class EnvironmentsSection
{
    public const string Path = "environments";

    /// <summary>CodePipeline's bounds for a manual approval's timeout (ActionDeclaration.TimeoutInMinutes; default 7 days).
    /// https://docs.aws.amazon.com/codepipeline/latest/userguide/limits.html</summary>
    public const int MinApprovalTimeoutMinutes = 5;

    public const int MaxApprovalTimeoutMinutes = 86400;

    public static IReadOnlyList<string> Properties { get; } =
        ["name", "account", "organizationalUnit", "region", "profile", "roleArn", "approval", "approvalTimeoutMinutes", "wave", "securityApproval"];

    /// <summary>The values of <c>securityApproval</c>, as the file spells them.</summary>
    public static IReadOnlyList<string> SecurityApprovals { get; } = ["broadening", "always", "never"];

    public static List<PartialEnvironment>? Read(ConfigReader reader, JsonElement root)
    {
        if (reader.RequiredArray(root, "", Path) is not { } items)
        {
            return null;
        }

        if (items.GetArrayLength() == 0)
        {
            reader.Error(Path, "needs at least one environment");
            return null;
        }

        var result = new List<PartialEnvironment>();
        var namesSeen = new Dictionary<string, (int Index, string Name)>(StringComparer.OrdinalIgnoreCase);
        var index = 0;
        foreach (var item in items.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.Object)
            {
                reader.Error($"{Path}[{index}]", $"expected an object, got {ConfigReader.Describe(item.ValueKind)}");
            }
            else
            {
                result.Add(ReadOne(reader, item, index, namesSeen));
            }

            index++;
        }

        return result;
    }

    /// <summary><c>approvalTimeoutMinutes</c> of an environment, or of the top level (the default for every approval).</summary>
    public static int? ReadApprovalTimeout(ConfigReader reader, JsonElement obj, string path)
    {
        var minutes = reader.OptionalInteger(obj, path, "approvalTimeoutMinutes");
        if (minutes is < MinApprovalTimeoutMinutes or > MaxApprovalTimeoutMinutes)
        {
            reader.Error(ConfigReader.Join(path, "approvalTimeoutMinutes"), $"{minutes} is out of range; CodePipeline accepts {MinApprovalTimeoutMinutes} to {MaxApprovalTimeoutMinutes} minutes (60 days)");
            return null;
        }

        return minutes;
    }

    private static PartialEnvironment ReadOne(
        ConfigReader reader, JsonElement item, int index, Dictionary<string, (int Index, string Name)> namesSeen)
    {
        var path = $"{Path}[{index}]";
        reader.CheckProperties(item, path, Properties);

        var name = ReadName(reader, item, path, index, namesSeen);
        var unit = OrganizationalUnitField.Read(reader, item, path, out var readAccount);
        var account = readAccount ? reader.AccountId(item, path) : null;
        var region = reader.Region(item, path);
        var profile = reader.Profile(item, path);
        var roleArn = ReadRoleArn(reader, item, path, account);
        OrganizationalUnitField.CheckAccess(reader, path, unit, profile, roleArn);

        var approval = reader.OptionalBoolean(item, path, "approval") ?? false;
        var timeout = ReadApprovalTimeout(reader, item, path);
        if (timeout is not null && !approval)
        {
            reader.Error(ConfigReader.Join(path, "approvalTimeoutMinutes"), "applies only to an environment with \"approval\": true");
        }

        var wave = reader.OptionalInteger(item, path, "wave");
        if (wave is < 1)
        {
            reader.Error(ConfigReader.Join(path, "wave"), $"{wave} is out of range; waves are numbered from 1");
            wave = null;
        }

        var securityApproval = OrganizationalUnitField.SecurityApproval(reader, item, path, unit, ReadSecurityApproval(reader, item, path));
        return new PartialEnvironment(index, name, account, region, profile, roleArn, approval, wave, timeout, securityApproval, unit);
    }

    private static SecurityApproval ReadSecurityApproval(ConfigReader reader, JsonElement item, string path)
    {
        var value = reader.OptionalString(item, path, "securityApproval");
        switch (value)
        {
            case null or "broadening":
                return SecurityApproval.Broadening;
            case "always":
                return SecurityApproval.Always;
            case "never":
                return SecurityApproval.Never;
            default:
                var hint = DidYouMean.ClosestMatch(value, SecurityApprovals) is { } near ? $"; did you mean {near}?" : "";
                reader.Error(ConfigReader.Join(path, "securityApproval"), $"\"{value}\" is not one of {string.Join(", ", SecurityApprovals)}{hint}");
                return SecurityApproval.Broadening;
        }
    }

    private static string? ReadName(
        ConfigReader reader, JsonElement item, string path, int index, Dictionary<string, (int Index, string Name)> namesSeen)
    {
        var name = reader.RequiredString(item, path, "name");
        if (name is null)
        {
            return null;
        }

        if (!ConfigPatterns.EnvironmentName().IsMatch(name))
        {
            reader.Error(ConfigReader.Join(path, "name"), $"\"{name}\" must be 1 to 20 lower-case letters, digits and hyphens, starting with a letter");
        }

        // Case-insensitive: stack and role names derived from these must not collide either.
        if (namesSeen.TryGetValue(name, out var first))
        {
            var sameSpelling = first.Name == name ? "" : $" (\"{first.Name}\"; names are compared ignoring case)";
            reader.Error(ConfigReader.Join(path, "name"), $"\"{name}\" is already the name of environments[{first.Index}]{sameSpelling}; environment names must be unique");
        }
        else
        {
            namesSeen[name] = (index, name);
        }

        return name;
    }

    /// <summary>The role the kit assumes in the environment's account; null when absent or invalid (reported).</summary>
    private static string? ReadRoleArn(ConfigReader reader, JsonElement item, string path, string? account)
    {
        var roleArn = reader.OptionalString(item, path, "roleArn");
        if (roleArn is null)
        {
            return null;
        }

        var match = ConfigPatterns.RoleArn().Match(roleArn);
        if (!match.Success)
        {
            reader.Error(ConfigReader.Join(path, "roleArn"), $"\"{roleArn}\" is not an IAM role ARN (arn:{reader.Partition}:iam::ACCOUNT:role/NAME)");
            return null;
        }

        if (!reader.InPartition(ConfigReader.Join(path, "roleArn"), roleArn))
        {
            return null;
        }

        if (account is not null && match.Groups["account"].Value != account)
        {
            reader.Error(ConfigReader.Join(path, "roleArn"), $"\"{roleArn}\" is a role in account {match.Groups["account"].Value}, but the environment's account is {account}");
            return null;
        }

        return roleArn;
    }
}
