namespace PipelineKit.Aws;

using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Amazon.Runtime;
using Amazon.Runtime.Internal;
using Amazon.Runtime.Internal.Transform;
using Amazon.Runtime.Internal.Util;

/// <summary>
/// One CodePipeline call in the awsJson1_1 protocol: the operation (sent as
/// <c>X-Amz-Target: CodePipeline_20150709.&lt;Operation&gt;</c>) and its JSON body. This is the request object
/// the SDK pipeline carries; <see cref="CodePipelineJsonMarshaller"/> turns it into the HTTP request.
/// </summary>
public sealed class CodePipelineJsonRequest(string operation, JsonObject body) : JsonProtocolRequest(operation, body);

/// <summary>A successful response's JSON document, parsed into the kit's records by <see cref="CodePipelineJson"/>.</summary>
public sealed class CodePipelineJsonResponse : AmazonWebServiceResponse
{
    public CodePipelineJsonResponse()
    {
    }

    public CodePipelineJsonResponse(JsonElement result) => Result = result;

    public JsonElement Result { get; init; }
}

/// <summary>CodePipeline's requests in awsJson1_1.</summary>
public static class CodePipelineJsonMarshaller
{
    public const string TargetPrefix = "CodePipeline_20150709.";
    public const string ContentType = "application/x-amz-json-1.1";

    public static JsonProtocolMarshaller Instance { get; } = new(CodePipelineClientConfig.ServiceIdValue, TargetPrefix, ContentType);
}

/// <summary>Reads any CodePipeline JSON response and maps an error body (<c>{"__type": ..., "message": ...}</c>, or the
/// x-amzn-ErrorType header) to <see cref="AmazonCodePipelineException"/> through the SDK's own JSON error reader.</summary>
public sealed class CodePipelineJsonUnmarshaller : JsonResponseUnmarshaller
{
    public static CodePipelineJsonUnmarshaller Instance { get; } = new();

    public override AmazonWebServiceResponse Unmarshall(JsonUnmarshallerContext input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var response = Read(input.Stream);
        if (input.ResponseData?.GetHeaderValue("x-amzn-RequestId") is { Length: > 0 } requestId)
        {
            response.ResponseMetadata = new ResponseMetadata { RequestId = requestId };
        }

        return response;
    }

    public override AmazonServiceException UnmarshallException(JsonUnmarshallerContext input, Exception innerException, HttpStatusCode statusCode)
    {
        ArgumentNullException.ThrowIfNull(input);
        var reader = new StreamingUtf8JsonReader(input.Stream);
        var error = JsonErrorResponseUnmarshaller.GetInstance().Unmarshall(input, ref reader);
        return new AmazonCodePipelineException(
            error.Message ?? $"CodePipeline returned HTTP {(int)statusCode} without an error message.",
            innerException, error.Type, error.Code, error.RequestId, statusCode);
    }

    /// <summary>Parses a successful response body; no HTTP involved. An empty body is an empty object.</summary>
    public static CodePipelineJsonResponse Read(Stream body)
    {
        using var buffer = new MemoryStream();
        body.CopyTo(buffer);
        if (buffer.Length == 0) return new CodePipelineJsonResponse(JsonDocument.Parse("{}").RootElement.Clone());
        using var document = JsonDocument.Parse(buffer.ToArray());
        return new CodePipelineJsonResponse(document.RootElement.Clone());
    }
}

/// <summary>The request bodies and result shapes of the operations the kit uses:
/// https://docs.aws.amazon.com/codepipeline/latest/APIReference/API_Operations.html</summary>
public static class CodePipelineJson
{
    public static CodePipelineJsonRequest PutApprovalResult(string pipelineName, string stageName, string actionName, string token, bool approved, string summary)
        => new("PutApprovalResult", new JsonObject
        {
            ["pipelineName"] = Required(pipelineName, nameof(pipelineName)),
            ["stageName"] = Required(stageName, nameof(stageName)),
            ["actionName"] = Required(actionName, nameof(actionName)),
            ["result"] = new JsonObject { ["summary"] = summary, ["status"] = approved ? "Approved" : "Rejected" },
            ["token"] = Required(token, nameof(token)),
        });

    public static CodePipelineJsonRequest GetPipelineState(string name)
        => new("GetPipelineState", new JsonObject { ["name"] = Required(name, nameof(name)) });

    public static CodePipelineJsonRequest ListPipelineExecutions(string pipelineName, int? maxResults, string? nextToken, string? succeededInStage = null)
    {
        var body = new JsonObject { ["pipelineName"] = Required(pipelineName, nameof(pipelineName)) };
        if (succeededInStage is not null)
        {
            body["filter"] = new JsonObject { ["succeededInStage"] = new JsonObject { ["stageName"] = Required(succeededInStage, nameof(succeededInStage)) } };
        }

        if (maxResults is { } max)
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(max, 1);
            ArgumentOutOfRangeException.ThrowIfGreaterThan(max, 100);
            body["maxResults"] = max;
        }

        if (nextToken is not null) body["nextToken"] = Required(nextToken, nameof(nextToken));
        return new("ListPipelineExecutions", body);
    }

    public static CodePipelineJsonRequest GetPipelineExecution(string pipelineName, string pipelineExecutionId)
        => new("GetPipelineExecution", new JsonObject
        {
            ["pipelineName"] = Required(pipelineName, nameof(pipelineName)),
            ["pipelineExecutionId"] = Required(pipelineExecutionId, nameof(pipelineExecutionId)),
        });

    public static CodePipelineJsonRequest StartPipelineExecution(string name, string clientRequestToken)
        => new("StartPipelineExecution", new JsonObject
        {
            ["name"] = Required(name, nameof(name)),
            ["clientRequestToken"] = Required(clientRequestToken, nameof(clientRequestToken)),
        });

    public static CodePipelineJsonRequest RollbackStage(string pipelineName, string stageName, string targetPipelineExecutionId)
        => new("RollbackStage", new JsonObject
        {
            ["pipelineName"] = Required(pipelineName, nameof(pipelineName)),
            ["stageName"] = Required(stageName, nameof(stageName)),
            ["targetPipelineExecutionId"] = Required(targetPipelineExecutionId, nameof(targetPipelineExecutionId)),
        });

    public static PipelineState PipelineState(JsonElement result)
        => new(
            String(result, "pipelineName") ?? "",
            result.TryGetProperty("pipelineVersion", out var version) && version.ValueKind == JsonValueKind.Number ? version.GetInt32() : null,
            Array(result, "stageStates").Select(stage => new StageState(
                String(stage, "stageName") ?? "",
                Object(stage, "latestExecution") is { } latest
                    ? new StageExecution(String(latest, "pipelineExecutionId") ?? "", String(latest, "status") ?? "")
                    : null,
                Array(stage, "actionStates").Select(ActionState).ToArray())).ToArray());

    public static PipelineExecutionPage PipelineExecutionPage(JsonElement result)
        => new(Array(result, "pipelineExecutionSummaries").Select(summary => new PipelineExecutionSummary(
            String(summary, "pipelineExecutionId") ?? "",
            String(summary, "status") ?? "",
            Timestamp(summary, "startTime"),
            Timestamp(summary, "lastUpdateTime"),
            Array(summary, "sourceRevisions").Select(revision => new SourceRevision(
                String(revision, "actionName") ?? "",
                String(revision, "revisionId"),
                String(revision, "revisionSummary"),
                String(revision, "revisionUrl"))).ToArray(),
            Object(summary, "trigger") is { } trigger ? String(trigger, "triggerType") : null,
            Object(summary, "stopTrigger") is { } stop ? String(stop, "reason") : null,
            String(summary, "executionType"),
            Object(summary, "rollbackMetadata") is { } rollback ? String(rollback, "rollbackTargetPipelineExecutionId") : null)).ToArray(),
            String(result, "nextToken"));

    public static PipelineExecution PipelineExecution(JsonElement result)
    {
        var execution = Object(result, "pipelineExecution") ?? throw new FormatException("GetPipelineExecution returned no pipelineExecution.");
        return new PipelineExecution(
            String(execution, "pipelineName") ?? "",
            String(execution, "pipelineExecutionId") ?? "",
            String(execution, "status") ?? "",
            String(execution, "statusSummary"),
            Array(execution, "artifactRevisions").Select(revision => new ArtifactRevision(
                String(revision, "name") ?? "",
                String(revision, "revisionId"),
                String(revision, "revisionSummary"))).ToArray());
    }

    public static string StartedExecutionId(JsonElement result)
        => String(result, "pipelineExecutionId") ?? throw new FormatException("StartPipelineExecution or RollbackStage returned no pipelineExecutionId.");

    private static ActionState ActionState(JsonElement action)
    {
        ActionExecution? latest = null;
        if (Object(action, "latestExecution") is { } execution)
        {
            var details = Object(execution, "errorDetails");
            latest = new ActionExecution(
                String(execution, "status") ?? "",
                String(execution, "actionExecutionId"),
                String(execution, "summary"),
                String(execution, "externalExecutionUrl"),
                String(execution, "token"),
                details is { } d ? String(d, "code") : null,
                details is { } m ? String(m, "message") : null,
                Timestamp(execution, "lastStatusChange"));
        }

        return new ActionState(String(action, "actionName") ?? "", latest, String(action, "entityUrl"));
    }

    private static string Required(string value, string name)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(value, name);
        return value;
    }

    private static string? String(JsonElement element, string name)
        => element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String
            ? value.GetString()
            : null;

    private static JsonElement? Object(JsonElement element, string name)
        => element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Object
            ? value
            : null;

    private static IEnumerable<JsonElement> Array(JsonElement element, string name)
        => element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Array
            ? value.EnumerateArray()
            : [];

    /// <summary>awsJson timestamps are epoch seconds with a fraction; some emulators send ISO 8601 text.</summary>
    private static DateTimeOffset? Timestamp(JsonElement element, string name)
    {
        if (element.ValueKind != JsonValueKind.Object || !element.TryGetProperty(name, out var value)) return null;
        return value.ValueKind switch
        {
            JsonValueKind.Number => DateTimeOffset.FromUnixTimeMilliseconds((long)Math.Round(value.GetDouble() * 1000)),
            JsonValueKind.String when DateTimeOffset.TryParse(value.GetString(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var parsed) => parsed,
            _ => null,
        };
    }
}
