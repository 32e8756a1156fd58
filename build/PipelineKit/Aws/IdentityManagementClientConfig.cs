namespace PipelineKit.Aws;

using Amazon.Runtime.Endpoints;

/// <summary>
/// Client settings for <see cref="IdentityManagementClient"/>, standing in for AWSSDK.IdentityManagement's generated
/// config. IAM is a global service: one endpoint for the aws partition, requests signed for us-east-1.
/// https://docs.aws.amazon.com/general/latest/gr/iam-service.html
/// </summary>
public sealed class IdentityManagementClientConfig() : NarrowServiceConfig(ServiceIdValue, SigningName, ApiVersion)
{
    public const string ServiceIdValue = "IAM";
    public const string SigningName = "iam";
    public const string ApiVersion = "2010-05-08";

    /// <summary>The region IAM requests are signed for in the aws partition.</summary>
    public const string SigningRegion = "us-east-1";

    public const string GlobalUrl = "https://iam.amazonaws.com";

    public override Endpoint DetermineServiceOperationEndpoint(ServiceOperationEndpointParameters parameters)
        => new(ServiceURL ?? GlobalUrl);
}
