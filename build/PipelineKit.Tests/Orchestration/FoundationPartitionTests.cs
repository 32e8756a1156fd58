namespace PipelineKit.Tests.Orchestration;

using PipelineKit.Configuration;
using PipelineKit.Orchestration;

/// <summary>The foundation's parameters name the build account's buckets, keys and the app stacks in the configuration's
/// partition: target-roles.yaml grants exactly what they name.</summary>
public sealed class FoundationPartitionTests
{
    private const string ChinaJson =
        """
        {
          "name": "cn",
          "build": { "account": "123456789012", "region": "cn-north-1" },
          "environments": [
            { "name": "dev",  "account": "222222222222", "region": "cn-north-1" },
            { "name": "prod", "account": "222222222222", "region": "cn-northwest-1" }
          ]
        }
        """;

    private const string GovCloudJson =
        """
        {
          "name": "gov",
          "build": { "account": "123456789012", "region": "us-gov-west-1" },
          "environments": [ { "name": "prod", "account": "444444444444", "region": "us-gov-east-1" } ],
          "cloudFormationExecution": { "permissionsBoundaryArn": "arn:aws-us-gov:iam::444444444444:policy/org-boundary" }
        }
        """;

    private static IReadOnlyDictionary<string, string> TargetRoleParameters(string json)
    {
        var config = PipelineConfigLoader.Parse(json, "pipeline.json", ConfigContext.WithoutProfiles);
        return new FoundationDeployments(config, _ => "").TargetRoles(config.TargetAccounts.Single()).Parameters;
    }

    [Fact]
    public void TargetRoles_InChina_NameTheBucketsKeysStacksAndPolicyInAwsCn()
    {
        var parameters = TargetRoleParameters(ChinaJson);

        Assert.Equal("arn:aws-cn:s3:::cn-artifacts-123456789012-cn-north-1,arn:aws-cn:s3:::cn-artifacts-123456789012-cn-northwest-1",
            parameters["ArtifactBucketArns"]);
        Assert.Equal("arn:aws-cn:s3:::cn-artifacts-123456789012-cn-north-1/*,arn:aws-cn:s3:::cn-artifacts-123456789012-cn-northwest-1/*",
            parameters["ArtifactObjectArns"]);
        Assert.Equal("arn:aws-cn:kms:cn-north-1:123456789012:key/*,arn:aws-cn:kms:cn-northwest-1:123456789012:key/*", parameters["ArtifactKeyArns"]);
        Assert.Equal("arn:aws-cn:cloudformation:cn-north-1:222222222222:stack/cn-dev-app/*,arn:aws-cn:cloudformation:cn-northwest-1:222222222222:stack/cn-prod-app/*",
            parameters["AppStackArns"]);
        Assert.Equal("arn:aws-cn:iam::aws:policy/PowerUserAccess", parameters["ExecutionPolicyArns"]);
    }

    [Fact]
    public void TargetRoles_InGovCloud_NameEverythingInAwsUsGov()
    {
        var parameters = TargetRoleParameters(GovCloudJson);

        Assert.Equal("arn:aws-us-gov:s3:::gov-artifacts-123456789012-us-gov-west-1,arn:aws-us-gov:s3:::gov-artifacts-123456789012-us-gov-east-1",
            parameters["ArtifactBucketArns"]);
        Assert.Equal("arn:aws-us-gov:kms:us-gov-west-1:123456789012:key/*,arn:aws-us-gov:kms:us-gov-east-1:123456789012:key/*", parameters["ArtifactKeyArns"]);
        Assert.Equal("arn:aws-us-gov:cloudformation:us-gov-east-1:444444444444:stack/gov-prod-app/*", parameters["AppStackArns"]);
        Assert.Equal("arn:aws-us-gov:iam::aws:policy/PowerUserAccess", parameters["ExecutionPolicyArns"]);
        Assert.Equal("arn:aws-us-gov:iam::444444444444:policy/org-boundary", parameters["PermissionsBoundaryArn"]);
    }
}
