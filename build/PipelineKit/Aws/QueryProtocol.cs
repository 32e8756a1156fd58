namespace PipelineKit.Aws;

using System.Net;
using System.Xml.Linq;
using Amazon.Runtime;
using Amazon.Runtime.Internal;
using Amazon.Runtime.Internal.Transform;

/// <summary>
/// One call of a Query-protocol service (CloudFormation, IAM): the action and its flattened form parameters
/// (lists as <c>Name.member.N</c>, structures as <c>Name.member.N.Field</c>). This is the request object the SDK
/// pipeline carries; a <see cref="QueryMarshaller"/> turns it into the HTTP request.
/// </summary>
public abstract class QueryRequest(string action, IReadOnlyList<KeyValuePair<string, string>> parameters) : AmazonWebServiceRequest
{
    public string Action { get; } = action;

    public IReadOnlyList<KeyValuePair<string, string>> Parameters { get; } = parameters;
}

/// <summary>Turns a <see cref="QueryRequest"/> into the SDK's request: POST to "/", form-encoded body with Action,
/// the service's API Version and the parameters. Signing happens later in the pipeline.</summary>
public sealed class QueryMarshaller(string serviceId, string apiVersion) : IMarshaller<IRequest, AmazonWebServiceRequest>
{
    public IRequest Marshall(AmazonWebServiceRequest input)
    {
        var query = input as QueryRequest ?? throw new ArgumentException($"Expected a {nameof(QueryRequest)}.", nameof(input));
        var request = new DefaultRequest(query, serviceId) { HttpMethod = "POST" };
        request.Parameters.Add("Action", query.Action);
        request.Parameters.Add("Version", apiVersion);
        foreach (var (name, value) in query.Parameters)
        {
            request.Parameters.Add(name, value);
        }

        return request;
    }
}

/// <summary>A Query-protocol response (CloudFormation and IAM share the envelope): the <c>&lt;ActionResult&gt;</c> element
/// (empty for actions that return nothing) and the request id. Each service's responses class parses it into records.</summary>
public sealed class QueryResponse : AmazonWebServiceResponse
{
    public QueryResponse()
    {
    }

    public QueryResponse(XElement result) => Result = result;

    public XElement Result { get; init; } = new("EmptyResult");
}

/// <summary>Reads any XML response of a Query-protocol service (CloudFormation and IAM share the envelope:
/// <c>&lt;ActionResponse&gt;&lt;ActionResult/&gt;&lt;ResponseMetadata/&gt;&lt;/ActionResponse&gt;</c>) and maps the
/// ErrorResponse of a failed call to the service's exception.</summary>
public abstract class QueryResponseUnmarshaller(string serviceName) : XmlResponseUnmarshaller
{
    public override AmazonWebServiceResponse Unmarshall(XmlUnmarshallerContext input)
    {
        ArgumentNullException.ThrowIfNull(input);
        return Read(input.Stream, serviceName);
    }

    public override AmazonServiceException UnmarshallException(XmlUnmarshallerContext input, Exception innerException, HttpStatusCode statusCode)
    {
        var error = XmlErrorResponseUnmarshaller.GetInstance().Unmarshall(input);
        return ServiceException(error.Message ?? $"{serviceName} returned HTTP {(int)statusCode} without an error message.",
            innerException, error, statusCode);
    }

    /// <summary>Parses a successful response body; no HTTP involved.</summary>
    protected static QueryResponse Read(Stream body, string serviceName)
    {
        var document = XDocument.Load(body);
        var root = document.Root ?? throw new FormatException($"Empty {serviceName} response.");
        var result = root.Elements().FirstOrDefault(e => e.Name.LocalName.EndsWith("Result", StringComparison.Ordinal))
            ?? new XElement("EmptyResult");
        var response = new QueryResponse(result);
        var requestId = root.Elements().FirstOrDefault(e => e.Name.LocalName == "ResponseMetadata")?.Text("RequestId");
        if (requestId is not null)
        {
            response.ResponseMetadata = new ResponseMetadata { RequestId = requestId };
        }

        return response;
    }

    /// <summary>The service's own exception type, named like the official package's.</summary>
    protected abstract AmazonServiceException ServiceException(string message, Exception innerException, ErrorResponse error, HttpStatusCode statusCode);
}
