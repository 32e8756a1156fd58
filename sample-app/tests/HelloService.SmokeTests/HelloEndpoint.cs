namespace HelloService.SmokeTests;

using System.Text;
using System.Text.Json;

/// <summary>What GET /hello answered: the HTTP status and the body's text.</summary>
public sealed record HelloAnswer(int Status, string Body);

/// <summary>Where the smoke test sends GET /hello: the deployed API, or the handler hosted in this process.</summary>
public abstract class HelloEndpoint
{
    /// <summary>How the answer was obtained, for the test's output.</summary>
    public abstract string Description { get; }

    public abstract Task<HelloAnswer> GetHelloAsync(CancellationToken ct);

    public static HelloEndpoint For(SmokeSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        return settings.ApiUrl is { } url ? new Http(url) : new InProcess(settings.FunctionEnvironment);
    }

    /// <summary>The deployed HTTP API, through API Gateway and Lambda.</summary>
    private sealed class Http(Uri url) : HelloEndpoint
    {
        public override string Description => $"GET {url}";

        public override async Task<HelloAnswer> GetHelloAsync(CancellationToken ct)
        {
            using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
            using var response = await client.GetAsync(url, ct);
            return new HelloAnswer((int)response.StatusCode, await response.Content.ReadAsStringAsync(ct));
        }
    }

    /// <summary>
    /// The function's handler in this process, with the environment the stack gives the function, called with the event
    /// API Gateway sends for GET /hello (HTTP API payload format 2.0,
    /// https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-develop-integrations-lambda.html).
    /// </summary>
    private sealed class InProcess(Func<string, string?> environment) : HelloEndpoint
    {
        public override string Description =>
            "the handler hosted in process (no ApiUrl: the environment has no HTTP API), with the stack's function environment";

        public override async Task<HelloAnswer> GetHelloAsync(CancellationToken ct)
        {
            var request = new HttpApiRequest("2.0", "GET /hello", "/hello", "", new Dictionary<string, string> { ["accept"] = "application/json" },
                new HttpApiRequestContext(Guid.NewGuid().ToString(), "$default", new HttpApiHttpDescription("GET", "/hello", "HTTP/1.1", "127.0.0.1")),
                null, false);
            var json = JsonSerializer.Serialize(request, SmokeJson.Options);
            await using var input = new MemoryStream(Encoding.UTF8.GetBytes(json));
            await using var output = await new Function(environment).HandleAsync(input);
            using var document = await JsonDocument.ParseAsync(output, cancellationToken: ct);
            var root = document.RootElement;
            return new HelloAnswer(root.GetProperty("statusCode").GetInt32(), root.GetProperty("body").GetString() ?? "");
        }
    }
}

internal static class SmokeJson
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web);
}
