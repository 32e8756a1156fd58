namespace PipelineKit.Reliability.Proxy;

using System.Text;

/// <summary>An answer the proxy makes up instead of the service's.</summary>
public sealed record FaultAnswer(int Status, string ContentType, string Body);

/// <summary>
/// The errors AWS answers, in each protocol's own format, so the SDK classes them as the real service's: Query
/// protocol services (CloudFormation, STS, IAM) answer 400 <c>Throttling</c> in an XML ErrorResponse; JSON protocol
/// services (KMS, CodePipeline) 400 <c>ThrottlingException</c> in a JSON body with <c>__type</c>; S3 503
/// <c>SlowDown</c> in an XML Error. Server errors come as a load balancer sends them: a status with an HTML page.
/// </summary>
public static class FaultAnswers
{
    public static FaultAnswer Throttling(AwsRequest request, string requestId)
    {
        ArgumentNullException.ThrowIfNull(request);
        return request.Protocol switch
        {
            AwsProtocol.Query => new FaultAnswer(400, "text/xml", new StringBuilder()
                .Append("<ErrorResponse xmlns=\"http://cloudformation.amazonaws.com/doc/2010-05-15/\">")
                .Append("<Error><Type>Sender</Type><Code>Throttling</Code><Message>Rate exceeded</Message></Error>")
                .Append("<RequestId>").Append(requestId).Append("</RequestId></ErrorResponse>").ToString()),
            AwsProtocol.Json => new FaultAnswer(400, "application/x-amz-json-1.1",
                "{\"__type\":\"ThrottlingException\",\"message\":\"Rate exceeded\"}"),
            _ => new FaultAnswer(503, "application/xml",
                "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Error><Code>SlowDown</Code><Message>Please reduce your request rate.</Message>" +
                $"<RequestId>{requestId}</RequestId><HostId>{requestId}</HostId></Error>"),
        };
    }

    public static FaultAnswer ServerError(int status) => new(status, "text/html",
        $"<html><head><title>{status} {Reason(status)}</title></head><body><center><h1>{status} {Reason(status)}</h1></center></body></html>");

    private static string Reason(int status) => status == 503 ? "Service Temporarily Unavailable" : "Internal Server Error";
}
