namespace PipelineKit.Aws;

using Amazon.Runtime.Endpoints;
using PipelineKit.Configuration;

/// <summary>
/// Client settings for <see cref="IdentityManagementClient"/>, standing in for AWSSDK.IdentityManagement's generated
/// config. IAM is a global service with one endpoint per partition, requests signed for that partition's IAM region:
/// iam.amazonaws.com (us-east-1), iam.us-gov.amazonaws.com (us-gov-west-1), iam.cn-north-1.amazonaws.com.cn (cn-north-1).
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

    /// <summary>The region IAM requests are signed for in <paramref name="partition"/> (aws, aws-cn or aws-us-gov).</summary>
    public static string SigningRegionOf(string partition) => partition switch
    {
        KnownRegions.China => "cn-north-1",
        KnownRegions.GovCloud => "us-gov-west-1",
        _ => SigningRegion,
    };

    /// <summary>The global endpoint of the partition of <paramref name="signingRegion"/>.</summary>
    public static string GlobalUrlOf(string signingRegion) => KnownRegions.PartitionOf(signingRegion) switch
    {
        KnownRegions.China => "https://iam.cn-north-1.amazonaws.com.cn",
        KnownRegions.GovCloud => "https://iam.us-gov.amazonaws.com",
        _ => GlobalUrl,
    };

    public override Endpoint DetermineServiceOperationEndpoint(ServiceOperationEndpointParameters parameters)
        => new(ServiceURL ?? GlobalUrlOf(RegionEndpoint?.SystemName ?? SigningRegion));
}
