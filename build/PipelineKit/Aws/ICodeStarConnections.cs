namespace PipelineKit.Aws;

/// <summary>
/// The CodeStar connections operation the kit uses to check a repository source's connection (Verify), and nothing
/// else. One instance acts in one account and region. Shaped like the official AWSSDK.CodeStarconnections operation.
/// https://docs.aws.amazon.com/codestar-connections/latest/APIReference/API_GetConnection.html
/// </summary>
public interface ICodeStarConnections
{
    /// <summary>GetConnection; null when there is no such connection (ResourceNotFoundException).</summary>
    Task<ConnectionDescription?> GetConnectionAsync(string connectionArn, CancellationToken ct = default);
}

/// <param name="Status">PENDING (the handshake in the console is not done), AVAILABLE or ERROR.</param>
public sealed record ConnectionDescription(string ConnectionArn, string? ConnectionName, string? ProviderType, string Status)
{
    public bool IsAvailable => Status == "AVAILABLE";
}
