namespace PipelineKit.Aws;

using Amazon.KeyManagementService;
using Amazon.Runtime;
using Amazon.S3;
using Amazon.SecurityToken;
using PipelineKit.Configuration;

/// <summary>The one place clients are made, keyed by credentials and region. Every client it makes
/// honours AWS_ENDPOINT_URL and AWS_ENDPOINT_URL_&lt;SERVICE&gt; (see <see cref="AwsEndpoints"/>).
/// The engine never news up a client.</summary>
public interface IAwsClientFactory
{
    ICloudFormation CloudFormation(AWSCredentials credentials, string region);

    ICodePipeline CodePipeline(AWSCredentials credentials, string region);

    /// <summary>CloudFormation's drift detection, in the same account and region as <see cref="CloudFormation"/>.</summary>
    ICloudFormationDrift CloudFormationDrift(AWSCredentials credentials, string region);

    ISimpleNotification Sns(AWSCredentials credentials, string region);

    ICodeStarConnections CodeStarConnections(AWSCredentials credentials, string region);

    ICodeCommit CodeCommit(AWSCredentials credentials, string region);

    IAmazonSecurityTokenService SecurityTokenService(AWSCredentials credentials, string region);

    IAmazonS3 S3(AWSCredentials credentials, string region);

    /// <summary>IAM, a global service: one client per credentials and partition, at that partition's endpoint (us-east-1's
    /// in the aws partition).</summary>
    IIdentityManagement Iam(AWSCredentials credentials, string partition = KnownRegions.Commercial);

    /// <summary>Organizations, a global service: one client per credentials, signed for us-east-1 (the aws partition).</summary>
    IOrganizations Organizations(AWSCredentials credentials);

    IAmazonKeyManagementService Kms(AWSCredentials credentials, string region);
}
