namespace PipelineKit.Aws;

using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Amazon.Runtime;
using Amazon.Runtime.Internal;
using Amazon.Runtime.Internal.Transform;
using Amazon.Runtime.Internal.Util;

/// <summary>
/// <see cref="ICodeCommit"/> over the awsJson1_1 API, through AWSSDK.Core's own pipeline like the kit's other narrow
/// clients. https://smithy.io/2.0/aws/protocols/aws-json-1_1-protocol.html
/// </summary>
public sealed class CodeCommitClient : NarrowServiceClient, ICodeCommit
{
    public const string TargetPrefix = "CodeCommit_20150413.";
    public const string ContentType = "application/x-amz-json-1.1";

    private static readonly JsonProtocolMarshaller Marshaller = new(CodeCommitClientConfig.ServiceIdValue, TargetPrefix, ContentType);

    public CodeCommitClient(AWSCredentials credentials, CodeCommitClientConfig config)
        : base(credentials, config)
    {
    }

    public Task<RepositoryDescription?> GetRepositoryAsync(string repositoryName, CancellationToken ct = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(repositoryName);
        var request = new CodeCommitRequest("GetRepository", new JsonObject { ["repositoryName"] = repositoryName });
        return NullWhenMissingAsync<RepositoryDescription?>(
            async () => Repository((await SendAsync<CodePipelineJsonResponse>(request, Marshaller, Unmarshaller, ct).ConfigureAwait(false)).Result),
            e => e.ErrorCode == "RepositoryDoesNotExistException");
    }

    public async Task<RepositoryDescription> CreateRepositoryAsync(string repositoryName, string description, CancellationToken ct = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(repositoryName);
        var request = new CodeCommitRequest("CreateRepository",
            new JsonObject { ["repositoryName"] = repositoryName, ["repositoryDescription"] = description });
        return Repository((await SendAsync<CodePipelineJsonResponse>(request, Marshaller, Unmarshaller, ct).ConfigureAwait(false)).Result);
    }

    /// <summary>GetRepository's and CreateRepository's output: {"repositoryMetadata": {"repositoryName", "Arn", "accountId", ...}}.</summary>
    public static RepositoryDescription Repository(JsonElement result)
    {
        if (!result.TryGetProperty("repositoryMetadata", out var metadata) || metadata.ValueKind != JsonValueKind.Object)
        {
            throw new FormatException("CodeCommit returned no repositoryMetadata.");
        }

        string Text(string name) => metadata.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() ?? "" : "";
        return new RepositoryDescription(Text("repositoryName"), Text("Arn"), Text("accountId"));
    }

    private static readonly NarrowJsonUnmarshaller Unmarshaller = new("CodeCommit");
}

/// <summary>One CodeCommit call: the operation (X-Amz-Target) and its JSON body.</summary>
public sealed class CodeCommitRequest(string operation, JsonObject body) : JsonProtocolRequest(operation, body);

/// <summary>Client settings for <see cref="CodeCommitClient"/>. https://docs.aws.amazon.com/general/latest/gr/codecommit.html</summary>
public sealed class CodeCommitClientConfig() : NarrowServiceConfig(ServiceIdValue, SigningName, ApiVersion)
{
    public const string ServiceIdValue = "CodeCommit";
    public const string SigningName = "codecommit";
    public const string ApiVersion = "2015-04-13";
}
