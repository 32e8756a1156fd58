namespace PipelineKit.Aws;

using Amazon.KeyManagementService;
using Amazon.Runtime;
using Amazon.Runtime.Internal;
using Amazon.S3;
using Amazon.SecurityToken;

/// <summary>A client whose SDK pipeline <see cref="AwsClientFactory"/> adjusts once it is built (<see cref="AwsRetryPipeline"/>).
/// The SDK keeps the pipeline protected: a client exposes it through this interface, to the kit only.</summary>
internal interface IPipelineClient
{
    RuntimePipeline Pipeline { get; }
}

/// <summary>AWSSDK.S3's client, unchanged but for <see cref="IPipelineClient"/>.</summary>
internal sealed class KitS3Client(AWSCredentials credentials, AmazonS3Config config) : AmazonS3Client(credentials, config), IPipelineClient
{
    RuntimePipeline IPipelineClient.Pipeline => RuntimePipeline;
}

/// <summary>AWSSDK.KeyManagementService's client, unchanged but for <see cref="IPipelineClient"/>.</summary>
internal sealed class KitKeyManagementServiceClient(AWSCredentials credentials, AmazonKeyManagementServiceConfig config)
    : AmazonKeyManagementServiceClient(credentials, config), IPipelineClient
{
    RuntimePipeline IPipelineClient.Pipeline => RuntimePipeline;
}

/// <summary>AWSSDK.SecurityToken's client, unchanged but for <see cref="IPipelineClient"/>.</summary>
internal sealed class KitSecurityTokenServiceClient(AWSCredentials credentials, AmazonSecurityTokenServiceConfig config)
    : AmazonSecurityTokenServiceClient(credentials, config), IPipelineClient
{
    RuntimePipeline IPipelineClient.Pipeline => RuntimePipeline;
}
