namespace HelloService;

using System.Text.Json.Serialization;

// The parts of API Gateway's HTTP API payload format 2.0 this function reads and writes:
// https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-develop-integrations-lambda.html

/// <summary>The request event (payload format version 2.0).</summary>
public sealed record HttpApiRequest(
    string? Version,
    string? RouteKey,
    string? RawPath,
    string? RawQueryString,
    IReadOnlyDictionary<string, string>? Headers,
    HttpApiRequestContext? RequestContext,
    string? Body,
    bool IsBase64Encoded);

public sealed record HttpApiRequestContext(string? RequestId, string? Stage, HttpApiHttpDescription? Http);

public sealed record HttpApiHttpDescription(string? Method, string? Path, string? Protocol, string? SourceIp);

/// <summary>The response (payload format version 2.0); <see cref="Body"/> is the JSON text the caller receives.</summary>
public sealed record HttpApiResponse(
    int StatusCode,
    IReadOnlyDictionary<string, string> Headers,
    string Body,
    bool IsBase64Encoded = false);

public sealed record HelloBody(string Message, string Environment, string Version);

public sealed record ErrorBody(string Error, string Message);

[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    PropertyNameCaseInsensitive = true,
    DefaultIgnoreCondition = JsonIgnoreCondition.Never)]
[JsonSerializable(typeof(HttpApiRequest))]
[JsonSerializable(typeof(HttpApiResponse))]
[JsonSerializable(typeof(HelloBody))]
[JsonSerializable(typeof(ErrorBody))]
internal sealed partial class HelloJsonContext : JsonSerializerContext;
