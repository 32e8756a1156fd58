namespace PipelineKit.Aws;

using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Amazon.Runtime;
using Amazon.Runtime.Internal;
using Amazon.Runtime.Internal.Transform;
using Amazon.Runtime.Internal.Util;

/// <summary>One call in AWS's JSON protocols (awsJson1_0, awsJson1_1): the operation, sent as <c>X-Amz-Target</c>, and
/// its JSON body. This is the request object the SDK pipeline carries for the kit's JSON-protocol clients.</summary>
public abstract class JsonProtocolRequest(string operation, JsonObject body) : AmazonWebServiceRequest
{
    public string Operation { get; } = operation;

    public JsonObject Body { get; } = body;
}

/// <summary>POST / with the service's target prefix and the protocol's content type; signing happens later in the
/// pipeline. https://smithy.io/2.0/aws/protocols/aws-json-1_1-protocol.html</summary>
public sealed class JsonProtocolMarshaller(string serviceId, string targetPrefix, string contentType) : IMarshaller<IRequest, AmazonWebServiceRequest>
{
    public IRequest Marshall(AmazonWebServiceRequest input)
    {
        var call = input as JsonProtocolRequest ?? throw new ArgumentException($"Expected a {nameof(JsonProtocolRequest)}.", nameof(input));
        var request = new DefaultRequest(call, serviceId)
        {
            HttpMethod = "POST",
            ResourcePath = "/",
            Content = Encoding.UTF8.GetBytes(call.Body.ToJsonString()),
        };
        request.Headers["X-Amz-Target"] = targetPrefix + call.Operation;
        request.Headers["Content-Type"] = contentType;
        return request;
    }
}

/// <summary>
/// Reads a narrow JSON-protocol client's responses (<see cref="CodePipelineJsonUnmarshaller.Read"/>) and maps an error
/// body to <see cref="AmazonServiceException"/> through the SDK's own JSON error reader; <paramref name="service"/> names
/// the service when the answer has no message.
/// </summary>
public sealed class NarrowJsonUnmarshaller(string service) : JsonResponseUnmarshaller
{
    public override AmazonWebServiceResponse Unmarshall(JsonUnmarshallerContext input)
    {
        ArgumentNullException.ThrowIfNull(input);
        return CodePipelineJsonUnmarshaller.Read(input.Stream);
    }

    public override AmazonServiceException UnmarshallException(JsonUnmarshallerContext input, Exception innerException, HttpStatusCode statusCode)
    {
        ArgumentNullException.ThrowIfNull(input);
        var reader = new StreamingUtf8JsonReader(input.Stream);
        var error = JsonErrorResponseUnmarshaller.GetInstance().Unmarshall(input, ref reader);
        return new AmazonServiceException(
            error.Message ?? $"{service} returned HTTP {(int)statusCode} without an error message.",
            innerException, error.Type, error.Code, error.RequestId, statusCode);
    }
}
