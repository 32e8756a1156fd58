namespace PipelineKit.Tests.Aws;

using System.Net;
using Amazon.Runtime;
using PipelineKit.Aws;

/// <summary>The CodeStar connections client over a scripted HTTP transport: GetConnection in awsJson1_0 as the API
/// reference shapes it (https://docs.aws.amazon.com/codestar-connections/latest/APIReference/API_GetConnection.html).</summary>
public sealed class CodeStarConnectionsClientTransportTests
{
    private const string Arn = "arn:aws:codestar-connections:us-east-1:123456789012:connection/39e4c34d-e13a-4e94-a886-ea67651bf042";

    private readonly ScriptedTransport transport = new("application/x-amz-json-1.0");
    private readonly AwsCallLog callLog = new();
    private readonly AwsClientFactory factory;

    public CodeStarConnectionsClientTransportTests() => factory = transport.Clients("https://connections.test", callLog);

    private ICodeStarConnections Client => factory.CodeStarConnections(new BasicAWSCredentials("AKIDEXAMPLE", "secret"), "us-east-1");

    [Fact]
    public async Task GetConnection_IsASignedJson10Post_AndReadsTheStatus()
    {
        transport.Respond(HttpStatusCode.OK,
            """{"Connection":{"ConnectionName":"hello","ConnectionArn":"ARN","ProviderType":"GitHub","OwnerAccountId":"123456789012","ConnectionStatus":"PENDING"}}"""
                .Replace("ARN", Arn, StringComparison.Ordinal));

        var connection = await Client.GetConnectionAsync(Arn);

        Assert.Equal(new ConnectionDescription(Arn, "hello", "GitHub", "PENDING"), connection);
        Assert.False(connection!.IsAvailable);
        var sent = Assert.Single(transport.Requests);
        Assert.Equal("application/x-amz-json-1.0", sent.ContentType);
        Assert.Equal("com.amazonaws.codestar.connections.CodeStar_connections_20191201.GetConnection", sent.Target);
        Assert.Equal($$"""{"ConnectionArn":"{{Arn}}"}""", sent.Body);
        Assert.Contains("/us-east-1/codestar-connections/aws4_request", sent.Authorization);
        Assert.Equal([new AwsCall("CodeStar connections", "GetConnection", "us-east-1")], callLog.Calls);
        Assert.Empty(callLog.MutatingCalls);
    }

    [Fact]
    public async Task GetConnection_OfAMissingConnection_IsNull()
    {
        transport.Respond(HttpStatusCode.BadRequest, """{"__type":"ResourceNotFoundException","Message":"Connection not found"}""");

        Assert.Null(await Client.GetConnectionAsync(Arn));
    }
}
