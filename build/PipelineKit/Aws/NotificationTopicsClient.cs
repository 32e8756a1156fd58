namespace PipelineKit.Aws;

using System.Net;
using System.Xml.Linq;
using Amazon.Runtime;
using Amazon.Runtime.Internal;

/// <summary>The one SNS operation the kit uses: the security check sends its diff to the pipeline's topic.</summary>
public interface INotificationTopics
{
    /// <summary>Publish; returns the message id. SNS takes a subject of at most 100 characters.</summary>
    Task<string> PublishAsync(string topicArn, string subject, string message, CancellationToken ct = default);
}

/// <summary>Client settings for <see cref="NotificationTopicsClient"/>, standing in for AWSSDK.SimpleNotificationService's config.</summary>
public sealed class NotificationTopicsClientConfig() : NarrowServiceConfig(ServiceIdValue, SigningName, ApiVersion)
{
    public const string ServiceIdValue = "SNS";
    public const string SigningName = "sns";
    public const string ApiVersion = "2010-03-31";
}

/// <summary>One SNS call (Query protocol, API version 2010-03-31).</summary>
public sealed class NotificationTopicsQueryRequest(string action, IReadOnlyList<KeyValuePair<string, string>> parameters)
    : QueryRequest(action, parameters);

/// <summary>
/// <see cref="INotificationTopics"/> over SNS's Query API, sent through AWSSDK.Core's own pipeline (signing "sns",
/// retries, errors), as the CloudFormation and IAM clients are. Until AWSSDK.SimpleNotificationService is available
/// this stands in for AmazonSimpleNotificationServiceClient.
/// https://docs.aws.amazon.com/sns/latest/api/API_Publish.html
/// </summary>
public sealed class NotificationTopicsClient : NarrowServiceClient, INotificationTopics
{
    private static readonly QueryMarshaller Marshaller = new(NotificationTopicsClientConfig.ServiceIdValue, NotificationTopicsClientConfig.ApiVersion);

    public NotificationTopicsClient(AWSCredentials credentials, NotificationTopicsClientConfig config)
        : base(credentials, config)
    {
    }

    public async Task<string> PublishAsync(string topicArn, string subject, string message, CancellationToken ct = default)
    {
        var request = new NotificationTopicsQueryRequest("Publish",
            [new("TopicArn", topicArn), new("Subject", subject.Length > 100 ? subject[..100] : subject), new("Message", message)]);
        var response = await SendAsync<QueryResponse>(request, Marshaller, NotificationTopicsResponseUnmarshaller.Instance, ct).ConfigureAwait(false);
        return response.Result.Elements().FirstOrDefault(e => e.Name.LocalName == "MessageId")?.Value ?? "";
    }
}

/// <summary>SNS's XML envelope is the Query protocol's; its errors become <see cref="AmazonServiceException"/> with the code.</summary>
public sealed class NotificationTopicsResponseUnmarshaller() : QueryResponseUnmarshaller("SNS")
{
    public static NotificationTopicsResponseUnmarshaller Instance { get; } = new();

    protected override AmazonServiceException ServiceException(string message, Exception innerException, ErrorResponse error, HttpStatusCode statusCode)
        => new(message, innerException, error.Type, error.Code, error.RequestId, statusCode);
}
