namespace PipelineKit.Aws;

using System.Net;
using Amazon.Runtime;

/// <summary>An IAM service error (the Query protocol's ErrorResponse/Error), with its AWS error code
/// ("NoSuchEntity", "Throttling", "AccessDenied", ...) in <see cref="AmazonServiceException.ErrorCode"/>.
/// Named like the official package's exception.</summary>
public sealed class AmazonIdentityManagementServiceException : AmazonServiceException
{
    public AmazonIdentityManagementServiceException(string message)
        : base(message)
    {
    }

    public AmazonIdentityManagementServiceException(
        string message, Exception? innerException, ErrorType errorType, string errorCode, string requestId, HttpStatusCode statusCode)
        : base(message, innerException, errorType, errorCode, requestId, statusCode)
    {
    }
}
