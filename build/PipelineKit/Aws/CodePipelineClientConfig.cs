namespace PipelineKit.Aws;

using Amazon;

/// <summary>Client settings for <see cref="CodePipelineClient"/>, standing in for AWSSDK.CodePipeline's generated config.</summary>
public sealed class CodePipelineClientConfig() : NarrowServiceConfig(ServiceIdValue, SigningName, ApiVersion)
{
    public const string ServiceIdValue = "CodePipeline";
    public const string SigningName = "codepipeline";
    public const string ApiVersion = "2015-07-09";

    /// <summary>https://docs.aws.amazon.com/general/latest/gr/codepipeline.html</summary>
    internal static string RegionalUrl(RegionEndpoint region) => RegionalUrl(SigningName, region);
}
