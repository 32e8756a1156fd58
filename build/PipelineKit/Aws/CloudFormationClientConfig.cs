namespace PipelineKit.Aws;

using Amazon;

/// <summary>Client settings for <see cref="CloudFormationClient"/>, standing in for AWSSDK.CloudFormation's generated config.</summary>
public sealed class CloudFormationClientConfig() : NarrowServiceConfig(ServiceIdValue, SigningName, ApiVersion)
{
    public const string ServiceIdValue = "CloudFormation";
    public const string SigningName = "cloudformation";
    public const string ApiVersion = "2010-05-15";

    /// <summary>https://docs.aws.amazon.com/general/latest/gr/cfn.html</summary>
    internal static string RegionalUrl(RegionEndpoint region) => RegionalUrl(SigningName, region);
}
