namespace PipelineKit.Configuration;

using System.Text.Json;

/// <summary><c>source</c>: where the pipeline gets its source.</summary>
internal static class SourceSection
{
    public static IReadOnlyList<string> Properties { get; } = ["type", "objectKey", "connectionArn", "repository", "branch", "account", "roleArn"];

    public static SourceSettings? Read(ConfigReader reader, JsonElement root)
    {
        var element = reader.OptionalObject(root, "", "source");
        if (element is not { } s)
        {
            return new SourceSettings(PipelineConfigLoader.DefaultSourceType, PipelineConfigLoader.DefaultObjectKey);
        }

        reader.CheckProperties(s, "source", Properties);
        var type = reader.OptionalString(s, "source", "type") ?? PipelineConfigLoader.DefaultSourceType;
        if (!PipelineConfigLoader.SourceTypes.Contains(type, StringComparer.Ordinal))
        {
            var hint = DidYouMean.ClosestMatch(type, PipelineConfigLoader.SourceTypes) is { } near ? $"; did you mean {near}?" : "";
            reader.Error("source.type", $"\"{type}\" is not one of {string.Join(", ", PipelineConfigLoader.SourceTypes)}{hint}");
            return null;
        }

        var fields = PipelineConfigLoader.SourceFields[type];
        foreach (var property in s.EnumerateObject().Select(p => p.Name).Distinct(StringComparer.Ordinal))
        {
            if (property is "type" or "$schema" || fields.Contains(property, StringComparer.Ordinal)
                || !Properties.Contains(property, StringComparer.Ordinal))
            {
                continue;
            }

            var owners = PipelineConfigLoader.SourceFields.Where(f => f.Value.Contains(property, StringComparer.Ordinal)).Select(f => f.Key);
            reader.Error(ConfigReader.Join("source", property), $"applies only to source type {string.Join(" and ", owners)}, not {type}");
        }

        foreach (var field in fields.Where(f => f != "objectKey" && !s.TryGetProperty(f, out _)))
        {
            reader.Error(ConfigReader.Join("source", field), $"is required for source type {type}");
        }

        var objectKey = PipelineConfigLoader.DefaultObjectKey;
        if (type == "S3")
        {
            objectKey = reader.OptionalString(s, "source", "objectKey") ?? PipelineConfigLoader.DefaultObjectKey;
            if (objectKey.Length is 0 or > 1024)
            {
                reader.Error("source.objectKey", "must be an S3 object key of 1 to 1024 characters");
            }

            return new SourceSettings(type, objectKey);
        }

        var repository = s.TryGetProperty("repository", out _) ? reader.RequiredString(s, "source", "repository") : null;
        var branch = s.TryGetProperty("branch", out _) ? reader.RequiredString(s, "source", "branch") : null;
        if (branch is not null && (branch.Length == 0 || branch.Any(char.IsWhiteSpace)))
        {
            reader.Error("source.branch", $"\"{branch}\" is not a branch name (not empty, no spaces)");
        }

        if (type == "CodeStarConnection")
        {
            var connectionArn = s.TryGetProperty("connectionArn", out _) ? reader.RequiredString(s, "source", "connectionArn") : null;
            if (connectionArn is not null && !ConfigPatterns.ConnectionArn().IsMatch(connectionArn))
            {
                reader.Error("source.connectionArn", $"\"{connectionArn}\" is not a connection ARN (arn:aws:codestar-connections:REGION:ACCOUNT:connection/ID, as the console shows it under Settings, Connections)");
            }

            if (repository is not null && !ConfigPatterns.FullRepositoryId().IsMatch(repository))
            {
                reader.Error("source.repository", $"\"{repository}\" must be the full repository id, OWNER/NAME (for example my-org/my-service)");
            }

            return new SourceSettings(type, objectKey, ConnectionArn: connectionArn, Repository: repository, Branch: branch);
        }

        if (repository is not null && !ConfigPatterns.CodeCommitRepository().IsMatch(repository))
        {
            reader.Error("source.repository", $"\"{repository}\" is not a CodeCommit repository name (1 to 100 letters, digits, '.', '_' and '-')");
        }

        var account = s.TryGetProperty("account", out _) ? reader.AccountId(s, "source") : null;
        var roleArn = s.TryGetProperty("roleArn", out _) ? reader.RequiredString(s, "source", "roleArn") : null;
        if (roleArn is not null)
        {
            var match = ConfigPatterns.RoleArn().Match(roleArn);
            if (!match.Success)
            {
                reader.Error("source.roleArn", $"\"{roleArn}\" is not an IAM role ARN (arn:aws:iam::ACCOUNT:role/NAME)");
            }
            else if (account is not null && match.Groups["account"].Value != account)
            {
                reader.Error("source.roleArn", $"\"{roleArn}\" is a role in account {match.Groups["account"].Value}, but source.account is {account}; the pipeline reads the repository through a role in the repository's account");
            }
        }

        return new SourceSettings(type, objectKey, Repository: repository, Branch: branch, Account: account, RoleArn: roleArn);
    }
}
