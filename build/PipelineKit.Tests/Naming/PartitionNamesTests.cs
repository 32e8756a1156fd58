namespace PipelineKit.Tests.Naming;

using PipelineKit.Configuration;
using PipelineKit.Naming;
using PipelineKit.Orchestration;

/// <summary>The ARNs the kit derives for a configuration are in its partition: a role named arn:aws:... does not exist in
/// GovCloud or China.</summary>
public sealed class PartitionNamesTests
{
    private const string GovCloudJson =
        """
        {
          "name": "gov",
          "build": { "account": "123456789012", "region": "us-gov-west-1" },
          "environments": [
            { "name": "dev",  "account": "222222222222", "region": "us-gov-west-1" },
            { "name": "prod", "account": "444444444444", "region": "us-gov-east-1", "approval": true }
          ]
        }
        """;

    private static PipelineConfig GovCloud => PipelineConfigLoader.Parse(GovCloudJson, "gov.pipeline.json", ConfigContext.WithoutProfiles);

    [Theory]
    [InlineData("us-east-1", "aws")]
    [InlineData("eu-west-1", "aws")]
    [InlineData("cn-north-1", "aws-cn")]
    [InlineData("cn-northwest-1", "aws-cn")]
    [InlineData("us-gov-west-1", "aws-us-gov")]
    [InlineData("us-gov-east-1", "aws-us-gov")]
    public void Of_GivesTheRegionsPartition(string region, string partition) => Assert.Equal(partition, Partitions.Of(region));

    [Fact]
    public void RoleArns_OfAGovCloudConfiguration_AreInAwsUsGov()
    {
        var config = GovCloud;
        var prod = config.Environments[1];

        Assert.Equal("arn:aws-us-gov:iam::444444444444:role/gov-pipeline-action", KitNames.PipelineActionRoleArn(config.Partition, config.Name, prod.Account));
        Assert.Equal("arn:aws-us-gov:iam::444444444444:role/gov-cfn-execution", KitNames.ExecutionRoleArn(config.Partition, config.Name, prod.Account));
        Assert.Equal("arn:aws-us-gov:iam::444444444444:role/gov-change-set-reader", KitNames.ChangeSetReaderRoleArn(config.Partition, config.Name, prod.Account));
        Assert.Equal("arn:aws-us-gov:iam::123456789012:policy/gov-pipeline-boundary",
            KitNames.PolicyArn(config.Partition, config.Build.Account, KitNames.PipelineBoundary(config.Name)));
        Assert.Equal(
            [("222222222222", "arn:aws-us-gov:iam::222222222222:role/gov-pipeline-action", "arn:aws-us-gov:iam::222222222222:role/gov-cfn-execution"),
             ("444444444444", "arn:aws-us-gov:iam::444444444444:role/gov-pipeline-action", "arn:aws-us-gov:iam::444444444444:role/gov-cfn-execution")],
            config.TargetAccounts.Select(a => TargetAccountRoles.ForAccount(config.Partition, config.Name, a.AccountId))
                .Select(r => (r.AccountId, r.PipelineActionRoleArn, r.ExecutionRoleArn)));
    }

    [Fact]
    public void RegionalArns_OfAGovCloudConfiguration_AreInAwsUsGov()
    {
        var config = GovCloud;

        Assert.Equal("arn:aws-us-gov:cloudformation:us-gov-east-1:444444444444:stack/gov-prod-app/*", KitNames.AppStackArn(config.Name, config.Environments[1]));
        Assert.Equal("arn:aws-us-gov:sns:us-gov-west-1:123456789012:gov-pipeline-notifications", KitNames.NotificationsTopicArn(config));
        Assert.Equal("arn:aws-us-gov:events:us-gov-west-1:123456789012:event-bus/default", KitNames.DefaultEventBusArn(config.Build.Account, config.Build.Region));
    }

    [Theory]
    [InlineData("arn:aws:s3:::b/k", "b")]
    [InlineData("arn:aws-cn:s3:::b", "b")]
    [InlineData("arn:aws-us-gov:s3:::b/a/k", "b")]
    [InlineData("arn:aws-us-gov:kms:us-gov-west-1:123456789012:key/k", null)]
    [InlineData("arn:aws-iso:s3:::b", null)]
    public void BucketOf_ReadsTheBucketOfAnS3ArnInAnyKnownPartition(string arn, string? bucket) => Assert.Equal(bucket, Partitions.BucketOf(arn));
}
