namespace HelloService;

using System.Reflection;
using System.Text.Json;

/// <summary>
/// The Lambda handler <c>HelloService::HelloService.Function::HandleAsync</c>. Stream in, stream out: the managed
/// runtime needs no serializer package for that, and System.Text.Json's source generator does the (de)serializing.
/// Every outcome is an HTTP response; no exception leaves the handler, so API Gateway never answers a bare 500.
/// </summary>
public sealed class Function
{
    private const string HelloPath = "/hello";

    private static readonly IReadOnlyDictionary<string, string> JsonHeaders =
        new Dictionary<string, string> { ["content-type"] = "application/json" };

    private readonly string environmentName;
    private readonly string version;

    /// <summary>The constructor the Lambda runtime calls; configuration comes from the function's environment.</summary>
    public Function()
        : this(Environment.GetEnvironmentVariable)
    {
    }

    public Function(Func<string, string?> environment)
    {
        environmentName = NonEmpty(environment("ENVIRONMENT_NAME")) ?? "unknown";
        version = NonEmpty(environment("APP_VERSION")) ?? AssemblyVersion();
    }

    public async Task<Stream> HandleAsync(Stream input)
    {
        HttpApiResponse response;
        try
        {
            var request = await JsonSerializer.DeserializeAsync(input, HelloJsonContext.Default.HttpApiRequest).ConfigureAwait(false);
            response = Route(request);
        }
        catch (JsonException)
        {
            response = Error(400, "BadRequest", "The event is not valid JSON.");
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            response = Error(500, "InternalError", "The request could not be handled.");
        }

        var output = new MemoryStream();
        await JsonSerializer.SerializeAsync(output, response, HelloJsonContext.Default.HttpApiResponse).ConfigureAwait(false);
        output.Position = 0;
        return output;
    }

    private HttpApiResponse Route(HttpApiRequest? request)
    {
        var method = request?.RequestContext?.Http?.Method;
        var path = request?.RawPath ?? request?.RequestContext?.Http?.Path;
        if (request is null || string.IsNullOrEmpty(method) || string.IsNullOrEmpty(path))
        {
            return Error(400, "BadRequest", "The event is not an API Gateway HTTP API request (payload format 2.0): requestContext.http.method and rawPath are required.");
        }

        if (!string.Equals(path, HelloPath, StringComparison.Ordinal))
        {
            return Error(404, "NotFound", $"No route for {method} {path}.");
        }

        if (!string.Equals(method, "GET", StringComparison.OrdinalIgnoreCase))
        {
            var headers = new Dictionary<string, string>(JsonHeaders) { ["allow"] = "GET" };
            return new HttpApiResponse(405, headers,
                JsonSerializer.Serialize(new ErrorBody("MethodNotAllowed", $"{path} answers GET only."), HelloJsonContext.Default.ErrorBody));
        }

        var body = new HelloBody($"Hello from {environmentName}!", environmentName, version);
        return new HttpApiResponse(200, JsonHeaders, JsonSerializer.Serialize(body, HelloJsonContext.Default.HelloBody));
    }

    private static HttpApiResponse Error(int status, string error, string message) =>
        new(status, JsonHeaders, JsonSerializer.Serialize(new ErrorBody(error, message), HelloJsonContext.Default.ErrorBody));

    private static string? NonEmpty(string? value) => string.IsNullOrWhiteSpace(value) ? null : value;

    private static string AssemblyVersion() =>
        typeof(Function).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "0.0.0";
}
