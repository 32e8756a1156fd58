namespace PipelineKit.Aws;

using System.Net;
using System.Xml.Linq;
using Amazon.Runtime;
using Amazon.Runtime.Internal;

/// <summary>
/// <see cref="ISimpleNotification"/> over the SNS Query API (POST, Action=..., Version=2010-03-31, XML responses), sent
/// through AWSSDK.Core's own pipeline like the kit's other narrow clients. Only the wire format lives here.
/// </summary>
public sealed class SimpleNotificationClient : NarrowServiceClient, ISimpleNotification
{
    public static QueryMarshaller Marshaller { get; } = new(SimpleNotificationClientConfig.ServiceIdValue, SimpleNotificationClientConfig.ApiVersion);

    public SimpleNotificationClient(AWSCredentials credentials, SimpleNotificationClientConfig config)
        : base(credentials, config)
    {
    }

    public Task<IReadOnlyDictionary<string, string>?> GetTopicAttributesAsync(string topicArn, CancellationToken ct = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(topicArn);
        return NullWhenMissingAsync<IReadOnlyDictionary<string, string>?>(
            async () => Attributes((await SendAsync<QueryResponse>(new SimpleNotificationQueryRequest("GetTopicAttributes", [new("TopicArn", topicArn)]),
                Marshaller, SimpleNotificationResponseUnmarshaller.Instance, ct).ConfigureAwait(false)).Result),
            e => e.ErrorCode == "NotFound");
    }

    public async Task<string> PublishAsync(string topicArn, string subject, string message, CancellationToken ct = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(topicArn);
        var request = new SimpleNotificationQueryRequest("Publish",
            [new("TopicArn", topicArn), new("Subject", subject.Length > 100 ? subject[..100] : subject), new("Message", message)]);
        var response = await SendAsync<QueryResponse>(request, Marshaller, SimpleNotificationResponseUnmarshaller.Instance, ct).ConfigureAwait(false);
        return response.Result.Elements().FirstOrDefault(e => e.Name.LocalName == "MessageId")?.Value ?? "";
    }

    /// <summary>GetTopicAttributesResult/Attributes: a map, as entry/key and entry/value.</summary>
    public static IReadOnlyDictionary<string, string> Attributes(XElement result)
    {
        var attributes = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var entry in result.Child("Attributes")?.Elements().Where(e => e.Name.LocalName == "entry") ?? [])
        {
            if (entry.Text("key") is { } key) attributes[key] = entry.Text("value") ?? "";
        }

        return attributes;
    }
}

/// <summary>One SNS call (Query protocol, API version 2010-03-31).</summary>
public sealed class SimpleNotificationQueryRequest(string action, IReadOnlyList<KeyValuePair<string, string>> parameters)
    : QueryRequest(action, parameters);

/// <summary>Client settings for <see cref="SimpleNotificationClient"/>. https://docs.aws.amazon.com/general/latest/gr/sns.html</summary>
public sealed class SimpleNotificationClientConfig() : NarrowServiceConfig(ServiceIdValue, SigningName, ApiVersion)
{
    public const string ServiceIdValue = "SNS";
    public const string SigningName = "sns";
    public const string ApiVersion = "2010-03-31";
}

/// <summary>The same envelope as CloudFormation's and IAM's; errors become <see cref="AmazonSimpleNotificationServiceException"/>.</summary>
public sealed class SimpleNotificationResponseUnmarshaller() : QueryResponseUnmarshaller(SimpleNotificationClientConfig.ServiceIdValue)
{
    public static SimpleNotificationResponseUnmarshaller Instance { get; } = new();

    protected override AmazonServiceException ServiceException(string message, Exception innerException, ErrorResponse error, HttpStatusCode statusCode)
        => new AmazonSimpleNotificationServiceException(message, innerException, error.Type, error.Code, error.RequestId, statusCode);
}

/// <summary>An SNS service error, with its AWS error code ("NotFound", "AuthorizationError", ...). Named like the official package's.</summary>
public sealed class AmazonSimpleNotificationServiceException(
    string message, Exception? innerException, ErrorType errorType, string errorCode, string requestId, HttpStatusCode statusCode)
    : AmazonServiceException(message, innerException, errorType, errorCode, requestId, statusCode);
