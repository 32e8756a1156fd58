namespace PipelineKit.Aws;

using System.Net;
using System.Text.RegularExpressions;
using Amazon.Runtime;
using Amazon.Runtime.Internal;

/// <summary>What kind of failure an AWS error is: the kit's client retries and the waits of the deployer
/// ask the same questions here.</summary>
public static partial class AwsErrors
{
    /// <summary>The codes AWSSDK.Core retries as throttling (<see cref="RetryPolicy.ThrottlingErrorCodes"/>), read from the SDK
    /// so the two never drift apart, and EC2ThrottledException, which botocore and the Go SDK also count and AWSSDK.Core
    /// does not. https://docs.aws.amazon.com/sdkref/latest/guide/feature-retry-behavior.html</summary>
    private static readonly HashSet<string> ThrottlingCodes =
        new(new StandardRetryPolicy(0).ThrottlingErrorCodes.Append("EC2ThrottledException"), StringComparer.OrdinalIgnoreCase);

    public static IReadOnlyCollection<string> ThrottlingErrorCodes => ThrottlingCodes;

    /// <summary>The service asked the caller to slow down: a throttling code, the SDK's throttling mark, or HTTP 429 without a
    /// code (as a proxy or load balancer answers it), which the SDK does not retry on its own.</summary>
    public static bool IsThrottling(Exception exception) => exception is AmazonServiceException e && (
        e.Retryable?.Throttling == true
        || (e.ErrorCode is { Length: > 0 } code && ThrottlingCodes.Contains(code))
        || e.StatusCode == HttpStatusCode.TooManyRequests);

    /// <summary>An error the SDK counts as throttling that is a quota instead: CloudFormation's LimitExceededException says "the
    /// quota for the resource has already been reached" (the number of stacks, of stack sets, ...); waiting does not lift it.
    /// https://docs.aws.amazon.com/AWSCloudFormation/latest/APIReference/CommonErrors.html</summary>
    public static bool IsQuotaExceeded(string service, Exception exception) =>
        service == AwsServiceIds.CloudFormation && exception is AmazonServiceException { ErrorCode: "LimitExceededException" };

    /// <summary>HTTP 5xx: the service (or something in front of it) failed; the same request may succeed later.</summary>
    public static bool IsServerError(Exception exception) => exception is AmazonServiceException { StatusCode: var status } && (int)status is >= 500 and < 600;

    /// <summary>What waits read again on their next tick instead of failing: a throttled or a 5xx answer.</summary>
    public static bool IsTransient(Exception exception) => IsThrottling(exception) || IsServerError(exception);

    /// <summary>The code to show for a failed attempt: the service's error code, <c>HTTP503</c> when the answer had none, or the
    /// exception's type when no answer came (a network error).</summary>
    public static string Code(Exception exception) => exception switch
    {
        AmazonServiceException { ErrorCode: { Length: > 0 } code } when !IsMarkup(code) => code,
        AmazonServiceException { StatusCode: var status } when status != 0 => $"HTTP{(int)status}",
        _ => exception.GetType().Name,
    };

    /// <summary>A 5xx whose answer explains nothing: no error code, or a body that is HTML or empty (a load balancer's or a
    /// proxy's page). Its message would be the page; <see cref="Explained"/> says what happened instead.</summary>
    public static bool IsUnexplainedServerError(Exception exception) =>
        IsServerError(exception) && exception is AmazonServiceException e
        && (string.IsNullOrWhiteSpace(e.ErrorCode) || IsMarkup(e.ErrorCode) || string.IsNullOrWhiteSpace(e.Message) || IsMarkup(e.Message));

    /// <summary>"HTTP 503 Service Unavailable from CloudFormation:CreateChangeSet (us-east-1)", code <c>HTTP503</c>, as a
    /// Receiver error with the request id; the original stays as the inner exception for the log.</summary>
    public static AmazonServiceException Explained(AmazonServiceException exception, AwsCall call)
    {
        ArgumentNullException.ThrowIfNull(exception);
        ArgumentNullException.ThrowIfNull(call);
        var status = (int)exception.StatusCode;
        return new AmazonServiceException(
            $"HTTP {status} {ReasonPhrase(exception.StatusCode)} from {call}, with no AWS error in the answer.",
            exception, ErrorType.Receiver, $"HTTP{status}", exception.RequestId, exception.StatusCode);
    }

    private static bool IsMarkup(string text) => text.TrimStart().StartsWith('<');

    /// <summary>ServiceUnavailable: "Service Unavailable".</summary>
    private static string ReasonPhrase(HttpStatusCode status) =>
        Enum.IsDefined(status) ? WordStart().Replace(status.ToString(), " $1") : "Server Error";

    [GeneratedRegex("(?<=[a-z])([A-Z])")]
    private static partial Regex WordStart();
}
