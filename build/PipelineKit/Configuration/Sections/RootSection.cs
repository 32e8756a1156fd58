namespace PipelineKit.Configuration;

using System.Text.Json;

/// <summary>The top level of pipeline.json: the properties it takes, and the fields that are not sections of their
/// own (name, assumeRoleName, artifactRetentionDays, selfUpdate, rollbackOnFailure, organizationId).</summary>
internal static class RootSection
{
    public const string DefaultAssumeRoleName = "OrganizationAccountAccessRole";
    public const int DefaultArtifactRetentionDays = 30;
    public const int MaxNameLength = 20;

    public static IReadOnlyList<string> Properties { get; } =
    [
        "$schema", "name", "build", "assumeRoleName", "environments", "source", "notifications",
        "cloudFormationExecution", "artifactRetentionDays", "approvalTimeoutMinutes", "selfUpdate", "rollbackOnFailure", "deployers", "organizationId",
    ];

    /// <summary>The pipeline's name, which prefixes every stack, bucket and role the kit creates.</summary>
    public static string? ReadName(ConfigReader reader, JsonElement root)
    {
        var name = reader.RequiredString(root, "", "name");
        if (name is null)
        {
            return null;
        }

        if (name.Length > MaxNameLength)
        {
            reader.Error("name", $"\"{name}\" is {name.Length} characters; at most {MaxNameLength} are allowed (it prefixes S3 bucket names, which must stay within 63)");
        }
        else if (!ConfigPatterns.PipelineName().IsMatch(name))
        {
            reader.Error("name", $"\"{name}\" must be lower-case letters, digits and hyphens, start with a letter and not end with a hyphen");
        }
        else if (ConfigPatterns.ReservedName().Match(name) is { Success: true } reserved)
        {
            reader.Error("name", reserved.Groups["kit"].Success
                ? $"\"{name}\" may not start with \"pipelinekit\": the kit's own stacks are named pipelinekit-<name>-..., and the pipeline may act on every stack named <name>-*"
                : $"\"{name}\" starts with \"{reserved.Value}\", which S3 reserves for bucket names (https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucketnamingrules.html)");
        }

        return name;
    }

    public static string ReadAssumeRoleName(ConfigReader reader, JsonElement root)
    {
        var assumeRoleName = reader.OptionalString(root, "", "assumeRoleName") ?? DefaultAssumeRoleName;
        if (!ConfigPatterns.RoleName().IsMatch(assumeRoleName))
        {
            reader.Error("assumeRoleName", $"\"{assumeRoleName}\" is not a valid IAM role name (1 to 64 of letters, digits and +=,.@_-)");
        }

        return assumeRoleName;
    }

    public static int ReadArtifactRetentionDays(ConfigReader reader, JsonElement root)
    {
        var retention = reader.OptionalInteger(root, "", "artifactRetentionDays") ?? DefaultArtifactRetentionDays;
        if (retention is < 1 or > 3650)
        {
            reader.Error("artifactRetentionDays", $"{retention} is out of range; use 1 to 3650 days");
        }

        return retention;
    }

    /// <summary>The AWS Organization of the target accounts, or null: the build account's grants then name it instead of
    /// every account. https://docs.aws.amazon.com/organizations/latest/APIReference/API_Organization.html</summary>
    public static string? ReadOrganizationId(ConfigReader reader, JsonElement root)
    {
        var organizationId = reader.OptionalString(root, "", "organizationId");
        if (organizationId is not null && !ConfigPatterns.OrganizationId().IsMatch(organizationId))
        {
            reader.Error("organizationId", $"\"{organizationId}\" is not an AWS Organizations id (o- followed by 10 to 32 lower-case letters or digits, e.g. o-a1b2c3d4e5)");
        }

        return organizationId;
    }

    public static bool ReadSelfUpdate(ConfigReader reader, JsonElement root) =>
        reader.OptionalBoolean(root, "", "selfUpdate") ?? false;

    /// <summary>Every deploy stage rolls back to its last successful execution when it fails (CodePipeline V2's
    /// OnFailure ROLLBACK); on by default.</summary>
    public static bool ReadRollbackOnFailure(ConfigReader reader, JsonElement root) =>
        reader.OptionalBoolean(root, "", "rollbackOnFailure") ?? true;
}
