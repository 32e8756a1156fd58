namespace PipelineKit.Configuration;

using System.Text.Json;
using System.Text.RegularExpressions;

/// <summary>CodeStarConnection: a GitHub, Bitbucket or GitLab repository read through a connection in the build
/// account; the pipeline starts on every push to the branch.</summary>
/// <param name="ConnectionArn">A connection that is Available (created and approved in the console).</param>
/// <param name="Repository">The full repository id, OWNER/NAME.</param>
/// <param name="Branch">The branch the pipeline builds.</param>
public sealed partial record CodeStarConnectionSource(string ConnectionArn, string Repository, string Branch) : SourceSettings
{
    internal static SourceKind Definition { get; } = new(
        type: "CodeStarConnection",
        properties: ["connectionArn", "repository", "branch"],
        required: ["connectionArn", "repository", "branch"],
        traceCondition: "codeStarConnection",
        traceValueNames: ["connectionArn", "sourceRepository"],
        foundationParameterNames: ["SourceConnectionArn"],
        read: Read);

    internal override SourceKind Kind => Definition;

    internal override IReadOnlyDictionary<string, string?> TraceValues =>
        new Dictionary<string, string?>(StringComparer.Ordinal) { ["connectionArn"] = ConnectionArn, ["sourceRepository"] = Repository };

    /// <summary>The foundation lets the pipeline's actions role use this connection and no other.</summary>
    internal override IReadOnlyDictionary<string, string?> FoundationParameters =>
        new Dictionary<string, string?>(StringComparer.Ordinal) { ["SourceConnectionArn"] = ConnectionArn };

    private protected override string PushTarget => $"{Repository}, branch {Branch} (connection {ConnectionArn})";

    private static CodeStarConnectionSource? Read(ConfigReader reader, JsonElement source)
    {
        var repository = SourceSection.PresentString(reader, source, "repository");
        var branch = SourceSection.ReadBranch(reader, source);
        var connectionArn = SourceSection.PresentString(reader, source, "connectionArn");
        if (connectionArn is not null && !ConnectionArnPattern().IsMatch(connectionArn))
        {
            reader.Error("source.connectionArn", $"\"{connectionArn}\" is not a connection ARN (arn:{reader.Partition}:codestar-connections:REGION:ACCOUNT:connection/ID, as the console shows it under Settings, Connections)");
        }
        else if (connectionArn is not null && !reader.InPartition("source.connectionArn", connectionArn))
        {
            connectionArn = null;
        }

        if (repository is not null && !FullRepositoryIdPattern().IsMatch(repository))
        {
            reader.Error("source.repository", $"\"{repository}\" must be the full repository id, OWNER/NAME (for example my-org/my-service)");
        }

        return connectionArn is null || repository is null || branch is null ? null : new(connectionArn, repository, branch);
    }

    // https://docs.aws.amazon.com/service-authorization/latest/reference/list_awscodeconnections.html (connection ARN);
    // connections made before the rename to CodeConnections keep the codestar-connections service name.
    [GeneratedRegex(@"^arn:(?:aws|aws-cn|aws-us-gov):(?:codestar-connections|codeconnections):[a-z0-9-]+:[0-9]{12}:connection/[0-9a-f-]{36}$")]
    private static partial Regex ConnectionArnPattern();

    [GeneratedRegex(@"^[^/\s]+/[^\s]+$")]
    private static partial Regex FullRepositoryIdPattern();
}
