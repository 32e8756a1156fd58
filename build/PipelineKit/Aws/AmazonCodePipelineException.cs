namespace PipelineKit.Aws;

using System.Net;
using Amazon.Runtime;

/// <summary>A CodePipeline service error (the JSON protocol's <c>__type</c> and <c>message</c>), with its AWS error
/// code ("PipelineNotFoundException", "ValidationException", "ThrottlingException", ...) in
/// <see cref="AmazonServiceException.ErrorCode"/>. Named like the official package's exception.</summary>
public sealed class AmazonCodePipelineException : AmazonServiceException
{
    public AmazonCodePipelineException(string message)
        : base(message)
    {
    }

    public AmazonCodePipelineException(
        string message, Exception? innerException, ErrorType errorType, string errorCode, string requestId, HttpStatusCode statusCode)
        : base(message, innerException, errorType, errorCode, requestId, statusCode)
    {
    }
}
