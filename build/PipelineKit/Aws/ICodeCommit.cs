namespace PipelineKit.Aws;

/// <summary>
/// The CodeCommit operations the kit uses: whether a CodeCommit source's repository exists before the source account's
/// stack is deployed, and, on the emulator only, the stand-in repository the sandbox creates. One instance acts in one
/// account and region. Shaped like the official AWSSDK.CodeCommit operations.
/// https://docs.aws.amazon.com/codecommit/latest/APIReference/API_GetRepository.html
/// </summary>
public interface ICodeCommit
{
    /// <summary>GetRepository; null when there is no such repository (RepositoryDoesNotExistException).</summary>
    Task<RepositoryDescription?> GetRepositoryAsync(string repositoryName, CancellationToken ct = default);

    /// <summary>CreateRepository (an empty repository).</summary>
    Task<RepositoryDescription> CreateRepositoryAsync(string repositoryName, string description, CancellationToken ct = default);
}

/// <summary>A repository's metadata, as GetRepository and CreateRepository answer it (repositoryMetadata).</summary>
public sealed record RepositoryDescription(string Name, string Arn, string AccountId);
