namespace PipelineKit.Tests.Configuration;

using System.Text.Json.Nodes;
using PipelineKit.Configuration;

/// <summary>A configuration lives in one AWS partition (aws, aws-cn or aws-us-gov): the build region's. Its regions and the
/// ARNs it gives must all be there, as accounts, roles and ARNs do not cross partitions.</summary>
public sealed class PartitionConfigTests
{
    private static JsonObject GovCloud()
    {
        var json = ConfigJson.Valid();
        json["build"]!["region"] = "us-gov-west-1";
        ConfigJson.Environment(json, 0)["region"] = "us-gov-west-1";
        ConfigJson.Environment(json, 1)["region"] = "us-gov-east-1";
        ConfigJson.Environment(json, 2)["region"] = "us-gov-west-1";
        return json;
    }

    private static JsonObject China()
    {
        var json = ConfigJson.Valid();
        json["build"]!["region"] = "cn-north-1";
        ConfigJson.Environment(json, 0)["region"] = "cn-north-1";
        ConfigJson.Environment(json, 1)["region"] = "cn-northwest-1";
        ConfigJson.Environment(json, 2)["region"] = "cn-north-1";
        return json;
    }

    [Fact]
    public void Parse_InGovCloud_TakesItsRegionsAndArns_AndDefaultsToItsPowerUserAccess()
    {
        var json = GovCloud();
        ConfigJson.Environment(json, 2)["roleArn"] = "arn:aws-us-gov:iam::444444444444:role/deploy";
        json["deployers"] = new JsonArray("arn:aws-us-gov:iam::123456789012:role/release");

        var config = ConfigJson.Parse(json);

        Assert.Equal("aws-us-gov", config.Partition);
        Assert.Equal(["us-gov-west-1", "us-gov-east-1"], config.Regions);
        Assert.Equal("arn:aws-us-gov:iam::444444444444:role/deploy", config.Environments[2].RoleArn);
        Assert.Equal(["arn:aws-us-gov:iam::aws:policy/PowerUserAccess"], config.CloudFormationExecution.ManagedPolicyArns);
    }

    [Fact]
    public void Parse_InChina_DerivesTheCodeCommitSourceRoleInItsPartition()
    {
        var json = China();
        json["source"] = new JsonObject { ["type"] = "CodeCommit", ["repository"] = "hello-service", ["branch"] = "main", ["account"] = "999999999999" };

        var config = ConfigJson.Parse(json);

        Assert.Equal("aws-cn", config.Partition);
        Assert.Equal("arn:aws-cn:iam::999999999999:role/hello-source-action", ((CodeCommitSource)config.Source).RoleArn);
        Assert.Equal(["arn:aws-cn:iam::aws:policy/PowerUserAccess"], config.CloudFormationExecution.ManagedPolicyArns);
    }

    [Fact]
    public void Parse_WhenRegionsMixPartitions_NamesTheRegionAndTheBuildRegion()
    {
        var json = ConfigJson.Valid();
        ConfigJson.Environment(json, 1)["region"] = "cn-north-1";

        Assert.Equal(
            "pipeline.json: environments[1].region: cn-north-1 is in partition aws-cn, but build.region us-east-1 is in partition aws; " +
            "every region of one configuration must be in one partition, as accounts, roles and ARNs do not cross partitions: " +
            "give environments[1] (\"test\") a region of aws, or deploy it from a pipeline whose build region is in aws-cn",
            ConfigJson.ErrorsOf(json));
    }

    [Theory]
    [InlineData("deployers[0]", "arn:aws:iam::123456789012:role/release")]
    [InlineData("environments[2].roleArn", "arn:aws:iam::444444444444:role/deploy")]
    [InlineData("cloudFormationExecution.managedPolicyArns[0]", "arn:aws:iam::aws:policy/PowerUserAccess")]
    [InlineData("cloudFormationExecution.permissionsBoundaryArn", "arn:aws-cn:iam::444444444444:policy/boundary")]
    [InlineData("source.roleArn", "arn:aws:iam::999999999999:role/source")]
    [InlineData("source.connectionArn", "arn:aws:codestar-connections:us-east-1:123456789012:connection/0a1b2c3d-4e5f-6789-abcd-ef0123456789")]
    public void Parse_WhenAnArnIsOfAnotherPartition_RefusesItByField(string field, string arn)
    {
        var json = GovCloud();
        switch (field)
        {
            case "deployers[0]": json["deployers"] = new JsonArray(arn); break;
            case "environments[2].roleArn": ConfigJson.Environment(json, 2)["roleArn"] = arn; break;
            case "cloudFormationExecution.managedPolicyArns[0]": json["cloudFormationExecution"] = new JsonObject { ["managedPolicyArns"] = new JsonArray(arn) }; break;
            case "cloudFormationExecution.permissionsBoundaryArn": json["cloudFormationExecution"] = new JsonObject { ["permissionsBoundaryArn"] = arn }; break;
            case "source.roleArn":
                json["source"] = new JsonObject { ["type"] = "CodeCommit", ["repository"] = "r", ["branch"] = "main", ["account"] = "999999999999", ["roleArn"] = arn };
                break;
            default:
                json["source"] = new JsonObject { ["type"] = "CodeStarConnection", ["connectionArn"] = arn, ["repository"] = "org/r", ["branch"] = "main" };
                break;
        }

        var partition = arn.Split(':')[1];
        Assert.Equal(
            $"pipeline.json: {field}: \"{arn}\" is in partition {partition}, but build.region us-gov-west-1 is in partition aws-us-gov, " +
            "and accounts, roles and ARNs do not cross partitions: give an ARN that begins with arn:aws-us-gov:",
            ConfigJson.ErrorsOf(json));
    }
}
