namespace PipelineKit.Aws;

using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Amazon.Runtime;
using Amazon.Runtime.Internal;
using Amazon.Runtime.Internal.Transform;
using Amazon.Runtime.Internal.Util;

/// <summary>
/// <see cref="ICodeStarConnections"/> over the awsJson1_0 API, through AWSSDK.Core's own pipeline like the kit's other
/// narrow clients. https://smithy.io/2.0/aws/protocols/aws-json-1_0-protocol.html
/// </summary>
public sealed class CodeStarConnectionsClient : NarrowServiceClient, ICodeStarConnections
{
    public const string TargetPrefix = "com.amazonaws.codestar.connections.CodeStar_connections_20191201.";
    public const string ContentType = "application/x-amz-json-1.0";

    private static readonly JsonProtocolMarshaller Marshaller = new(CodeStarConnectionsClientConfig.ServiceIdValue, TargetPrefix, ContentType);

    public CodeStarConnectionsClient(AWSCredentials credentials, CodeStarConnectionsClientConfig config)
        : base(credentials, config)
    {
    }

    public Task<ConnectionDescription?> GetConnectionAsync(string connectionArn, CancellationToken ct = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionArn);
        var request = new CodeStarConnectionsRequest("GetConnection", new JsonObject { ["ConnectionArn"] = connectionArn });
        return NullWhenMissingAsync<ConnectionDescription?>(
            async () => Connection((await SendAsync<CodePipelineJsonResponse>(request, Marshaller, Unmarshaller, ct).ConfigureAwait(false)).Result),
            e => e.ErrorCode == "ResourceNotFoundException");
    }

    /// <summary>GetConnection's output: {"Connection": {"ConnectionArn", "ConnectionName", "ProviderType", "ConnectionStatus", ...}}.</summary>
    public static ConnectionDescription Connection(JsonElement result)
    {
        if (!result.TryGetProperty("Connection", out var connection) || connection.ValueKind != JsonValueKind.Object)
        {
            throw new FormatException("GetConnection returned no Connection.");
        }

        string? Text(string name) => connection.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
        return new ConnectionDescription(Text("ConnectionArn") ?? "", Text("ConnectionName"), Text("ProviderType"),
            Text("ConnectionStatus") ?? throw new FormatException("GetConnection returned no ConnectionStatus."));
    }

    private static readonly NarrowJsonUnmarshaller Unmarshaller = new("CodeStar connections");
}

/// <summary>One CodeStar connections call: the operation (X-Amz-Target) and its JSON body.</summary>
public sealed class CodeStarConnectionsRequest(string operation, JsonObject body) : JsonProtocolRequest(operation, body);

/// <summary>Client settings for <see cref="CodeStarConnectionsClient"/>. https://docs.aws.amazon.com/general/latest/gr/codestar_connections.html</summary>
public sealed class CodeStarConnectionsClientConfig() : NarrowServiceConfig(ServiceIdValue, SigningName, ApiVersion)
{
    public const string ServiceIdValue = "CodeStar connections";
    public const string SigningName = "codestar-connections";
    public const string ApiVersion = "2019-12-01";
}
