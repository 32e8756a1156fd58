namespace PipelineKit.Aws;

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
