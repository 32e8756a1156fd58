namespace PipelineKit.Aws;

using Amazon;
using Amazon.Runtime;
using Amazon.Runtime.Endpoints;
using Amazon.Runtime.Internal;

/// <summary>
/// Client settings for <see cref="CodePipelineClient"/>. AWSSDK.CodePipeline is not available here,
/// so this stands in for its generated config: Standard defaults mode with Standard retries, SigV4 for
/// the "codepipeline" signing name, and the regional endpoint unless <see cref="ClientConfig.ServiceURL"/>
/// is set. Unlike the generated configs it does not read AWS_ENDPOINT_URL itself: <see cref="AwsClientFactory"/>
/// resolves the endpoint settings (<see cref="AwsEndpoints"/>) and sets ServiceURL.
/// </summary>
public sealed class CodePipelineClientConfig : ClientConfig
{
    public const string ServiceIdValue = "CodePipeline";
    public const string SigningName = "codepipeline";
    public const string ApiVersion = "2015-07-09";

    public CodePipelineClientConfig()
        : base(new DefaultConfigurationProvider(
        [
            new DefaultConfiguration
            {
                Name = DefaultConfigurationMode.Standard,
                RetryMode = RequestRetryMode.Standard,
                S3UsEast1RegionalEndpoint = S3UsEast1RegionalEndpointValue.Regional,
                ConnectTimeout = TimeSpan.FromSeconds(3.1),
                TlsNegotiationTimeout = TimeSpan.FromSeconds(3.1),
            },
        ]))
    {
        ServiceId = ServiceIdValue;
        AuthenticationServiceName = SigningName;
    }

    public override string RegionEndpointServiceName => SigningName;

    public override string ServiceVersion => ApiVersion;

    public override string UserAgent => "pipelinekit-codepipeline/1.0";

    public override Endpoint DetermineServiceOperationEndpoint(ServiceOperationEndpointParameters parameters)
        => new(ServiceURL ?? RegionalUrl(RegionEndpoint ?? RegionEndpoint.USEast1));

    /// <summary>https://docs.aws.amazon.com/general/latest/gr/codepipeline.html</summary>
    internal static string RegionalUrl(RegionEndpoint region)
    {
        var suffix = region.SystemName.StartsWith("cn-", StringComparison.Ordinal) ? "amazonaws.com.cn" : "amazonaws.com";
        return $"https://codepipeline.{region.SystemName}.{suffix}";
    }
}
