namespace PipelineKit.Tests.Aws;

using PipelineKit.Aws;

/// <summary>Form parameters per operation, named as in the CloudFormation API reference
/// (https://docs.aws.amazon.com/AWSCloudFormation/latest/APIReference/).</summary>
public sealed class CloudFormationQueryTests
{
    private static Dictionary<string, string> Form(CloudFormationQueryRequest query)
    {
        var request = CloudFormationQuery.Marshaller.Marshall(query);
        Assert.Equal("POST", request.HttpMethod);
        Assert.False(request.UseQueryString);
        return new Dictionary<string, string>(request.Parameters);
    }

    private static Dictionary<string, string> Expected(string action, params (string Key, string Value)[] parameters)
    {
        var expected = new Dictionary<string, string> { ["Action"] = action, ["Version"] = "2010-05-15" };
        foreach (var (key, value) in parameters)
        {
            expected.Add(key, value);
        }

        return expected;
    }

    [Fact]
    public void DescribeStacks_SendsStackName()
        => Assert.Equal(Expected("DescribeStacks", ("StackName", "app")), Form(CloudFormationQuery.DescribeStacks("app")));

    [Fact]
    public void GetTemplate_AsksForTheOriginalStage()
        => Assert.Equal(
            Expected("GetTemplate", ("StackName", "app"), ("TemplateStage", "Original")),
            Form(CloudFormationQuery.GetTemplate("app")));

    [Fact]
    public void GetTemplate_OfAChangeSet_NamesItAndAsksForTheOriginalStage()
        => Assert.Equal(
            Expected("GetTemplate", ("StackName", "app"), ("ChangeSetName", "app-pipeline"), ("TemplateStage", "Original")),
            Form(CloudFormationQuery.GetTemplate("app", "app-pipeline")));

    [Fact]
    public void CreateChangeSet_FlattensParametersTagsAndCapabilities()
    {
        var request = new CreateChangeSetRequest(
            StackName: "app",
            ChangeSetName: "kit-1",
            Type: ChangeSetType.Update,
            TemplateBody: "Resources: {}",
            TemplateUrl: null,
            Parameters: new Dictionary<string, string> { ["Stage"] = "dev", ["BucketName"] = "b-1" },
            Tags: new Dictionary<string, string> { ["kit"] = "pipelinekit", ["env"] = "dev" },
            Capabilities: ["CAPABILITY_IAM", "CAPABILITY_NAMED_IAM"],
            ClientToken: "token-1",
            Description: "deployed by the kit",
            RoleArn: "arn:aws:iam::222222222222:role/hello-cfn-execution");

        Assert.Equal(
            Expected("CreateChangeSet",
                ("StackName", "app"),
                ("ChangeSetName", "kit-1"),
                ("ChangeSetType", "UPDATE"),
                ("ClientToken", "token-1"),
                ("TemplateBody", "Resources: {}"),
                ("Description", "deployed by the kit"),
                ("RoleARN", "arn:aws:iam::222222222222:role/hello-cfn-execution"),
                ("Parameters.member.1.ParameterKey", "BucketName"),
                ("Parameters.member.1.ParameterValue", "b-1"),
                ("Parameters.member.2.ParameterKey", "Stage"),
                ("Parameters.member.2.ParameterValue", "dev"),
                ("Tags.member.1.Key", "env"),
                ("Tags.member.1.Value", "dev"),
                ("Tags.member.2.Key", "kit"),
                ("Tags.member.2.Value", "pipelinekit"),
                ("Capabilities.member.1", "CAPABILITY_IAM"),
                ("Capabilities.member.2", "CAPABILITY_NAMED_IAM")),
            Form(CloudFormationQuery.CreateChangeSet(request)));
    }

    [Fact]
    public void CreateChangeSet_WithTemplateUrl_SendsTemplateURL_AndCreateType()
    {
        var request = new CreateChangeSetRequest(
            "app", "kit-1", ChangeSetType.Create, null, "https://bucket.s3.amazonaws.com/t.yaml",
            new Dictionary<string, string>(), new Dictionary<string, string>(), [], "token-1");

        Assert.Equal(
            Expected("CreateChangeSet",
                ("StackName", "app"), ("ChangeSetName", "kit-1"), ("ChangeSetType", "CREATE"),
                ("ClientToken", "token-1"), ("TemplateURL", "https://bucket.s3.amazonaws.com/t.yaml")),
            Form(CloudFormationQuery.CreateChangeSet(request)));
    }

    [Fact]
    public void CreateChangeSet_OfTypeImport_SendsResourcesToImportWithTheirIdentifierMaps()
    {
        var request = new CreateChangeSetRequest(
            "app", "kit-1", ChangeSetType.Import, "{}", null,
            new Dictionary<string, string>(), new Dictionary<string, string>(), [], "token-1",
            ResourcesToImport:
            [
                new ResourceToImport("AWS::S3::Bucket", "ArtifactBucket", new Dictionary<string, string> { ["BucketName"] = "b-1" }),
                new ResourceToImport("AWS::KMS::Key", "ArtifactKey", new Dictionary<string, string> { ["KeyId"] = "k-1" }),
            ]);

        Assert.Equal(
            Expected("CreateChangeSet",
                ("StackName", "app"), ("ChangeSetName", "kit-1"), ("ChangeSetType", "IMPORT"), ("ClientToken", "token-1"), ("TemplateBody", "{}"),
                ("ResourcesToImport.member.1.ResourceType", "AWS::S3::Bucket"), ("ResourcesToImport.member.1.LogicalResourceId", "ArtifactBucket"),
                ("ResourcesToImport.member.1.ResourceIdentifier.entry.1.key", "BucketName"),
                ("ResourcesToImport.member.1.ResourceIdentifier.entry.1.value", "b-1"),
                ("ResourcesToImport.member.2.ResourceType", "AWS::KMS::Key"), ("ResourcesToImport.member.2.LogicalResourceId", "ArtifactKey"),
                ("ResourcesToImport.member.2.ResourceIdentifier.entry.1.key", "KeyId"),
                ("ResourcesToImport.member.2.ResourceIdentifier.entry.1.value", "k-1")),
            Form(CloudFormationQuery.CreateChangeSet(request)));
    }

    [Theory]
    [InlineData("body", "https://x")]
    [InlineData(null, null)]
    public void CreateChangeSet_WithoutExactlyOneTemplateSource_Throws(string? body, string? url)
    {
        var request = new CreateChangeSetRequest(
            "app", "kit-1", ChangeSetType.Create, body, url,
            new Dictionary<string, string>(), new Dictionary<string, string>(), [], "token-1");

        var error = Assert.Throws<ArgumentException>(() => CloudFormationQuery.CreateChangeSet(request));
        Assert.StartsWith("Change set kit-1 for stack app needs exactly one of TemplateBody and TemplateUrl.", error.Message);
    }

    [Fact]
    public void DescribeChangeSet_SendsNextTokenOnlyWhenPaging()
    {
        Assert.Equal(
            Expected("DescribeChangeSet", ("StackName", "app"), ("ChangeSetName", "kit-1")),
            Form(CloudFormationQuery.DescribeChangeSet("app", "kit-1")));
        Assert.Equal(
            Expected("DescribeChangeSet", ("StackName", "app"), ("ChangeSetName", "kit-1"), ("NextToken", "page-2")),
            Form(CloudFormationQuery.DescribeChangeSet("app", "kit-1", "page-2")));
    }

    [Fact]
    public void ListChangeSets_SendsStackNameAndNextToken()
        => Assert.Equal(
            Expected("ListChangeSets", ("StackName", "app"), ("NextToken", "page-2")),
            Form(CloudFormationQuery.ListChangeSets("app", "page-2")));

    [Fact]
    public void ExecuteChangeSet_SendsClientRequestToken()
        => Assert.Equal(
            Expected("ExecuteChangeSet", ("StackName", "app"), ("ChangeSetName", "kit-1"), ("ClientRequestToken", "exec-1")),
            Form(CloudFormationQuery.ExecuteChangeSet("app", "kit-1", "exec-1")));

    [Fact]
    public void DeleteChangeSet_SendsStackAndChangeSetName()
        => Assert.Equal(
            Expected("DeleteChangeSet", ("StackName", "app"), ("ChangeSetName", "kit-1")),
            Form(CloudFormationQuery.DeleteChangeSet("app", "kit-1")));

    [Fact]
    public void DeleteStack_SendsClientRequestToken()
        => Assert.Equal(
            Expected("DeleteStack", ("StackName", "app"), ("ClientRequestToken", "delete-1")),
            Form(CloudFormationQuery.DeleteStack("app", "delete-1")));

    [Fact]
    public void DescribeStackEvents_SendsNextTokenWhenGiven()
    {
        Assert.Equal(Expected("DescribeStackEvents", ("StackName", "app")), Form(CloudFormationQuery.DescribeStackEvents("app")));
        Assert.Equal(
            Expected("DescribeStackEvents", ("StackName", "app"), ("NextToken", "t-2")),
            Form(CloudFormationQuery.DescribeStackEvents("app", "t-2")));
    }

    [Theory]
    [InlineData(true, "true")]
    [InlineData(false, "false")]
    public void UpdateTerminationProtection_SendsLowercaseBoolean(bool enable, string expected)
        => Assert.Equal(
            Expected("UpdateTerminationProtection", ("StackName", "app"), ("EnableTerminationProtection", expected)),
            Form(CloudFormationQuery.UpdateTerminationProtection("app", enable)));
}
