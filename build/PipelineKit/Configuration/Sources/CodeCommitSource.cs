namespace PipelineKit.Configuration;

using System.Text.Json;
using System.Text.RegularExpressions;

/// <summary>CodeCommit: a repository in a source account, read through a role there that the pipeline assumes. In another
/// account than the build account the kit deploys that role and the forwarding of the branch's changes to the build
/// account there (DeploySourceAccount), and the pipeline starts on those events.</summary>
/// <param name="Repository">The repository's name in the source account (and the pipeline's region).</param>
/// <param name="Branch">The branch the pipeline builds.</param>
/// <param name="Account">The source account, which holds the repository.</param>
/// <param name="RoleArn">The role in the source account that the pipeline assumes to read the repository: source.roleArn,
/// else arn:PARTITION:iam::ACCOUNT:role/NAME-source-action (<see cref="DerivedRoleName"/>).</param>
public sealed partial record CodeCommitSource(string Repository, string Branch, string Account, string RoleArn) : SourceSettings
{
    internal static SourceKind Definition { get; } = new(
        type: "CodeCommit",
        properties: ["repository", "branch", "account", "roleArn"],
        required: ["repository", "branch", "account"],
        traceCondition: "codeCommit",
        traceValueNames: ["sourceRepository", "sourceAccount", "sourceRoleArn", "sourceRoleName"],
        foundationParameterNames: ["SourceRoleArn"],
        read: Read);

    internal override SourceKind Kind => Definition;

    /// <summary>The source role's name when source.roleArn is not given.</summary>
    public static string DerivedRoleName(string pipelineName) => $"{pipelineName}-source-action";

    /// <summary>True when source.roleArn was not given and the kit named the role.</summary>
    public bool RoleDerived { get; init; }

    /// <summary>The role's path and name as CreateRole takes them: "/" and NAME, or "/a/b/" and NAME for role/a/b/NAME.</summary>
    public (string Path, string Name) RolePathAndName
    {
        get
        {
            var full = RoleName ?? "";
            var slash = full.LastIndexOf('/');
            return slash < 0 ? ("/", full) : ("/" + full[..(slash + 1)], full[(slash + 1)..]);
        }
    }

    /// <summary>The source account's stack is the kit's only when the repository is in another account than the build's.</summary>
    public bool InOtherAccountThan(string buildAccount) => !string.Equals(Account, buildAccount, StringComparison.Ordinal);

    internal override IReadOnlyDictionary<string, string?> TraceValues =>
        new Dictionary<string, string?>(StringComparer.Ordinal)
        {
            ["sourceRepository"] = Repository,
            ["sourceAccount"] = Account,
            ["sourceRoleArn"] = RoleArn,
            ["sourceRoleName"] = RoleName,
        };

    /// <summary>The role writes the source artifact into the primary region's artifact bucket with its key; the primary
    /// stack grants it there.</summary>
    internal override IReadOnlyDictionary<string, string?> FoundationParameters =>
        new Dictionary<string, string?>(StringComparer.Ordinal) { ["SourceRoleArn"] = RoleArn };

    private protected override string PushTarget => $"CodeCommit repository {Repository} (account {Account}), branch {Branch}";

    /// <summary>The role's name with its path, as role:ACCOUNT:NAME spells it.</summary>
    private string? RoleName =>
        RoleArn.IndexOf(":role/", StringComparison.Ordinal) is var at and >= 0 ? RoleArn[(at + ":role/".Length)..] : null;

    private static CodeCommitSource? Read(ConfigReader reader, JsonElement source)
    {
        var repository = SourceSection.PresentString(reader, source, "repository");
        var branch = SourceSection.ReadBranch(reader, source);
        if (repository is not null && !RepositoryNamePattern().IsMatch(repository))
        {
            reader.Error("source.repository", $"\"{repository}\" is not a CodeCommit repository name (1 to 100 letters, digits, '.', '_' and '-')");
        }

        var account = source.TryGetProperty("account", out _) ? reader.AccountId(source, SourceSection.Path) : null;
        var roleArn = SourceSection.PresentString(reader, source, "roleArn");
        if (roleArn is not null)
        {
            var match = ConfigPatterns.RoleArn().Match(roleArn);
            if (!match.Success)
            {
                reader.Error("source.roleArn", $"\"{roleArn}\" is not an IAM role ARN (arn:{reader.Partition}:iam::ACCOUNT:role/NAME)");
            }
            else if (!reader.InPartition("source.roleArn", roleArn))
            {
                return null;
            }
            else if (account is not null && match.Groups["account"].Value != account)
            {
                reader.Error("source.roleArn", $"\"{roleArn}\" is a role in account {match.Groups["account"].Value}, but source.account is {account}; the pipeline reads the repository through a role in the repository's account");
            }
        }

        if (repository is null || branch is null || account is null) return null;
        if (roleArn is not null) return new(repository, branch, account, roleArn);
        if (reader.PipelineName is not { } name) return null;
        if (reader.BuildAccount == account)
        {
            reader.Error("source.roleArn", $"is required when source.account is the build account ({account}): the kit deploys the source role only in another account");
            return null;
        }

        return new(repository, branch, account, $"arn:{reader.Partition}:iam::{account}:role/{DerivedRoleName(name)}") { RoleDerived = true };
    }

    // https://docs.aws.amazon.com/codecommit/latest/APIReference/API_CreateRepository.html (repositoryName)
    [GeneratedRegex(@"^[\w.-]{1,100}$")]
    private static partial Regex RepositoryNamePattern();
}
