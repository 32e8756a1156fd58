namespace PipelineKit.Aws;

using System.Net;
using Amazon.KeyManagementService;
using Amazon.Runtime;
using Amazon.S3;
using Amazon.SecurityToken;

/// <summary>
/// The error a service answers a request its policies do not allow, as the service spells it: the Query-protocol services
/// (CloudFormation, IAM, STS) and S3 answer <c>AccessDenied</c> with HTTP 403; the JSON-protocol ones (KMS, CodePipeline,
/// CodeStar connections) <c>AccessDeniedException</c> with HTTP 400; SNS <c>AuthorizationError</c> with HTTP 403. Each is
/// the exception type the kit's (or the SDK's) client of that service throws, so the callers' catches see what AWS would give.
/// https://docs.aws.amazon.com/IAM/latest/UserGuide/troubleshoot_access-denied.html,
/// https://docs.aws.amazon.com/AmazonS3/latest/API/ErrorResponses.html,
/// https://docs.aws.amazon.com/kms/latest/APIReference/CommonErrors.html,
/// https://docs.aws.amazon.com/sns/latest/api/API_Publish.html (AuthorizationError).
/// </summary>
public static class AccessDeniedErrors
{
    public static AmazonServiceException For(string service, string message)
    {
        var requestId = Guid.NewGuid().ToString();
        return service switch
        {
            AwsServiceIds.CloudFormation => new AmazonCloudFormationException(message, null, ErrorType.Sender, "AccessDenied", requestId, HttpStatusCode.Forbidden),
            AwsServiceIds.Iam => new AmazonIdentityManagementServiceException(message, null, ErrorType.Sender, "AccessDenied", requestId, HttpStatusCode.Forbidden),
            AwsServiceIds.Sts => new AmazonSecurityTokenServiceException(message, null, ErrorType.Sender, "AccessDenied", requestId, HttpStatusCode.Forbidden),
            AwsServiceIds.S3 => new AmazonS3Exception(message, null, ErrorType.Sender, "AccessDenied", requestId, HttpStatusCode.Forbidden),
            AwsServiceIds.Kms => new AmazonKeyManagementServiceException(message, null, ErrorType.Sender, "AccessDeniedException", requestId, HttpStatusCode.BadRequest),
            AwsServiceIds.Sns => new AmazonSimpleNotificationServiceException(message, null, ErrorType.Sender, "AuthorizationError", requestId, HttpStatusCode.Forbidden),
            AwsServiceIds.CodePipeline => new AmazonCodePipelineException(message, null, ErrorType.Sender, "AccessDeniedException", requestId, HttpStatusCode.BadRequest),
            _ => new AmazonServiceException(message, null, ErrorType.Sender, "AccessDeniedException", requestId, HttpStatusCode.BadRequest),
        };
    }
}
