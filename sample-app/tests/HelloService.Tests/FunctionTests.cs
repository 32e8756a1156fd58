namespace HelloService.Tests;

using System.Text;
using System.Text.Json;

public sealed class FunctionTests
{
    private static readonly Dictionary<string, string> Env = new()
    {
        ["ENVIRONMENT_NAME"] = "dev",
        ["APP_VERSION"] = "1.2.3",
    };

    [Fact]
    public async Task Handle_GetHello_Returns200WithMessageEnvironmentAndVersion()
    {
        var response = await InvokeAsync(Event("GET", "/hello"));

        Assert.Equal(200, response.GetProperty("statusCode").GetInt32());
        Assert.Equal("application/json", response.GetProperty("headers").GetProperty("content-type").GetString());
        Assert.False(response.GetProperty("isBase64Encoded").GetBoolean());
        var body = Body(response);
        Assert.Equal("Hello from dev!", body.GetProperty("message").GetString());
        Assert.Equal("dev", body.GetProperty("environment").GetString());
        Assert.Equal("1.2.3", body.GetProperty("version").GetString());
    }

    [Fact]
    public async Task Handle_WithoutAppVersion_ReportsTheAssemblyInformationalVersion()
    {
        var response = await InvokeAsync(Event("GET", "/hello"), new Dictionary<string, string> { ["ENVIRONMENT_NAME"] = "prod" });

        var body = Body(response);
        Assert.Equal("prod", body.GetProperty("environment").GetString());
        Assert.Equal("1.0.0", body.GetProperty("version").GetString());
    }

    [Fact]
    public async Task Handle_UnknownRoute_Returns404Json()
    {
        var response = await InvokeAsync(Event("GET", "/nope"));

        Assert.Equal(404, response.GetProperty("statusCode").GetInt32());
        Assert.Equal("application/json", response.GetProperty("headers").GetProperty("content-type").GetString());
        var body = Body(response);
        Assert.Equal("NotFound", body.GetProperty("error").GetString());
        Assert.Equal("No route for GET /nope.", body.GetProperty("message").GetString());
    }

    [Fact]
    public async Task Handle_WrongMethodOnHello_Returns405JsonWithAllowHeader()
    {
        var response = await InvokeAsync(Event("POST", "/hello"));

        Assert.Equal(405, response.GetProperty("statusCode").GetInt32());
        Assert.Equal("GET", response.GetProperty("headers").GetProperty("allow").GetString());
        Assert.Equal("MethodNotAllowed", Body(response).GetProperty("error").GetString());
    }

    [Theory]
    [InlineData("{ not json")]
    [InlineData("")]
    [InlineData("[1, 2]")]
    [InlineData("\"hello\"")]
    [InlineData("{\"version\": \"2.0\", \"rawPath\": 42}")]
    public async Task Handle_InvalidJson_Returns400Json(string payload)
    {
        var response = await InvokeAsync(payload);

        Assert.Equal(400, response.GetProperty("statusCode").GetInt32());
        Assert.Equal("application/json", response.GetProperty("headers").GetProperty("content-type").GetString());
        Assert.Equal("BadRequest", Body(response).GetProperty("error").GetString());
    }

    [Theory]
    [InlineData("null")]
    [InlineData("{}")]
    [InlineData("{\"version\": \"2.0\", \"rawPath\": \"/hello\"}")]
    [InlineData("{\"version\": \"2.0\", \"rawPath\": \"/hello\", \"requestContext\": {}}")]
    [InlineData("{\"version\": \"2.0\", \"rawPath\": \"/hello\", \"requestContext\": {\"http\": {\"method\": \"\"}}}")]
    [InlineData("{\"version\": \"2.0\", \"requestContext\": {\"http\": {\"method\": \"GET\"}}}")]
    public async Task Handle_MissingFields_Returns400Json(string payload)
    {
        var response = await InvokeAsync(payload);

        Assert.Equal(400, response.GetProperty("statusCode").GetInt32());
        Assert.StartsWith("The event is not an API Gateway HTTP API request", Body(response).GetProperty("message").GetString());
    }

    [Fact]
    public async Task Handle_PathOnlyInRequestContext_IsRouted()
    {
        const string payload = "{\"version\": \"2.0\", \"requestContext\": {\"http\": {\"method\": \"GET\", \"path\": \"/hello\"}}}";

        var response = await InvokeAsync(payload);

        Assert.Equal(200, response.GetProperty("statusCode").GetInt32());
    }

    [Fact]
    public async Task Handle_UnreadableStream_Returns500JsonInsteadOfThrowing()
    {
        var function = new Function(name => Env.GetValueOrDefault(name));

        await using var output = await function.HandleAsync(new FailingStream());

        var response = JsonDocument.Parse(output).RootElement.Clone();
        Assert.Equal(500, response.GetProperty("statusCode").GetInt32());
        Assert.Equal("InternalError", Body(response).GetProperty("error").GetString());
    }

    // The shape API Gateway sends for payload format 2.0 (abridged from the documented example).
    private static string Event(string method, string path) => $$"""
        {
          "version": "2.0",
          "routeKey": "{{method}} {{path}}",
          "rawPath": "{{path}}",
          "rawQueryString": "",
          "headers": { "accept": "application/json", "host": "abc123.execute-api.us-east-1.amazonaws.com" },
          "requestContext": {
            "accountId": "123456789012",
            "apiId": "abc123",
            "domainName": "abc123.execute-api.us-east-1.amazonaws.com",
            "http": { "method": "{{method}}", "path": "{{path}}", "protocol": "HTTP/1.1", "sourceIp": "192.0.2.1", "userAgent": "curl/8" },
            "requestId": "c6af9ac6-7b61-11e6-9a41-93e8deadbeef",
            "routeKey": "{{method}} {{path}}",
            "stage": "$default",
            "time": "12/Mar/2020:19:03:58 +0000",
            "timeEpoch": 1583348638390
          },
          "isBase64Encoded": false
        }
        """;

    private static Task<JsonElement> InvokeAsync(string payload) => InvokeAsync(payload, Env);

    private static async Task<JsonElement> InvokeAsync(string payload, IReadOnlyDictionary<string, string> environment)
    {
        var function = new Function(name => environment.GetValueOrDefault(name));
        await using var input = new MemoryStream(Encoding.UTF8.GetBytes(payload));

        await using var output = await function.HandleAsync(input);

        return JsonDocument.Parse(output).RootElement.Clone();
    }

    private static JsonElement Body(JsonElement response) =>
        JsonDocument.Parse(response.GetProperty("body").GetString()!).RootElement.Clone();

    private sealed class FailingStream : Stream
    {
        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override int Read(byte[] buffer, int offset, int count) => throw new IOException("connection reset");
        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            throw new IOException("connection reset");
        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            throw new IOException("connection reset");
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
