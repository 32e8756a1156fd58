namespace PipelineKit.Aws;

using System.Net;
using Amazon.Runtime;

/// <summary>A CloudFormation service error (the Query protocol's ErrorResponse/Error), with its AWS error
/// code ("ValidationError", "Throttling", "AlreadyExistsException", "ChangeSetNotFound", ...) in
/// <see cref="AmazonServiceException.ErrorCode"/>. Named like the official package's exception.</summary>
public sealed class AmazonCloudFormationException : AmazonServiceException
{
    public AmazonCloudFormationException(string message)
        : base(message)
    {
    }

    public AmazonCloudFormationException(
        string message, Exception? innerException, ErrorType errorType, string errorCode, string requestId, HttpStatusCode statusCode)
        : base(message, innerException, errorType, errorCode, requestId, statusCode)
    {
    }
}
