namespace PipelineKit.Tests.Aws;

using Amazon.Runtime;
using Amazon.SecurityToken.Model;
using PipelineKit.Aws;
using PipelineKit.Deployment;
using PipelineKit.Tests.Integration;

/// <summary>The client against a real moto_server: the same SDK pipeline (signing, error mapping) as against AWS.
/// The emulator is shared; every stack, change set, token and bucket name carries this test's own suffix.</summary>
[Collection("moto")]
public sealed class CloudFormationClientMotoTests : IDisposable
{
    private const string Region = "us-east-1";

    // Byte-exact comparison below: keep the odd spacing and the trailing newline.
    private const string Template =
        "AWSTemplateFormatVersion: '2010-09-09'\n" +
        "Description: PipelineKit smoke test   # comment kept\n" +
        "Parameters:\n" +
        "  TopicName:\n" +
        "    Type: String\n" +
        "Resources:\n" +
        "  Topic:\n" +
        "    Type: AWS::SNS::Topic\n" +
        "    Properties:\n" +
        "      TopicName:\n" +
        "        Ref: TopicName\n" +
        "Outputs:\n" +
        "  TopicArn:\n" +
        "    Value:\n" +
        "      Ref: Topic\n";

    private readonly AwsCallLog callLog = new();
    private readonly AWSCredentials credentials = new BasicAWSCredentials("testing", "testing");
    private readonly string suffix = Guid.NewGuid().ToString("N")[..8];
    private readonly AwsClientFactory factory;

    public CloudFormationClientMotoTests(MotoFixture moto) => factory = moto.Clients(callLog);

    public void Dispose() => factory.Dispose();

    /// <summary>A name of this test: moto keys change sets by name across the region, and S3 buckets are global.</summary>
    private string N(string name) => $"{name}-{suffix}";

    [Fact]
    public async Task ChangeSetFlow_CreatesStack_AndReadsItBack()
    {
        var cfn = factory.CloudFormation(credentials, Region);
        var stack = N("kit-smoke");

        var created = await cfn.CreateChangeSetAsync(new CreateChangeSetRequest(
            stack, N("kit-1"), ChangeSetType.Create, Template, null,
            new Dictionary<string, string> { ["TopicName"] = N("kit-smoke-topic") },
            new Dictionary<string, string> { ["kit:stack"] = stack },
            ["CAPABILITY_IAM"], ClientToken: N("token-create-1"), Description: "first"));
        Assert.StartsWith($"arn:aws:cloudformation:us-east-1:123456789012:changeSet/{N("kit-1")}/", created.ChangeSetId);
        Assert.StartsWith($"arn:aws:cloudformation:us-east-1:123456789012:stack/{stack}/", created.StackId);

        var changeSet = await WaitForChangeSetAsync(cfn, stack, N("kit-1"));
        Assert.Equal(ChangeSetStatus.CreateComplete, changeSet.Status);
        Assert.Equal("AVAILABLE", changeSet.ExecutionStatus);
        var change = Assert.Single(changeSet.Changes);
        Assert.Equal(("Add", "Topic", "AWS::SNS::Topic"), (change.Action, change.LogicalResourceId, change.ResourceType));

        var summaries = (await cfn.ListChangeSetsAsync(stack)).Summaries;
        Assert.Contains(summaries, s => s.ChangeSetName == N("kit-1") && s.ChangeSetId == created.ChangeSetId);

        await cfn.ExecuteChangeSetAsync(stack, N("kit-1"), N("token-execute-1"));
        var deployed = await WaitForStackAsync(cfn, stack);
        Assert.Equal(StackStatus.CreateComplete, deployed.Status);
        Assert.Equal(created.StackId, deployed.StackId);
        Assert.Equal(N("kit-smoke-topic"), deployed.Parameters["TopicName"]);
        Assert.Equal(stack, deployed.Tags["kit:stack"]);
        Assert.False(deployed.TerminationProtection);
        // moto 5.2.1 leaves Outputs empty on stacks created or updated through change sets (CreateStack fills
        // them); AWS returns them. Output parsing is covered by CloudFormationResponsesTests.
        if (deployed.Outputs.TryGetValue("TopicArn", out var topicArn))
        {
            Assert.Equal($"arn:aws:sns:us-east-1:123456789012:{N("kit-smoke-topic")}", topicArn);
        }

        Assert.Equal(Template, await cfn.GetTemplateBodyAsync(stack));

        // Newest first. moto records only the stack's own events for change-set deployments.
        var events = await cfn.DescribeStackEventsAsync(stack);
        Assert.Equal(("CREATE_COMPLETE", "AWS::CloudFormation::Stack", stack),
            (events.Events[0].ResourceStatus, events.Events[0].ResourceType, events.Events[0].LogicalResourceId));
        Assert.Contains(events.Events, e => e.ResourceStatus == "REVIEW_IN_PROGRESS");

        // UpdateTerminationProtection is not exercised here: moto 5.2.1 does not implement it (HTTP 500).

        await cfn.CreateChangeSetAsync(new CreateChangeSetRequest(
            stack, N("kit-2"), ChangeSetType.Update, Template, null,
            new Dictionary<string, string> { ["TopicName"] = N("kit-smoke-topic-renamed") },
            new Dictionary<string, string> { ["kit:stack"] = stack },
            [], ClientToken: N("token-update-2")));
        Assert.Contains((await cfn.ListChangeSetsAsync(stack)).Summaries, s => s.ChangeSetName == N("kit-2"));
        await cfn.DeleteChangeSetAsync(stack, N("kit-2"));
        Assert.DoesNotContain((await cfn.ListChangeSetsAsync(stack)).Summaries, s => s.ChangeSetName == N("kit-2"));

        await cfn.DeleteStackAsync(stack, N("token-delete-1"));
        var deleted = await cfn.DescribeStackAsync(stack);
        Assert.True(deleted is null || deleted.Status == StackStatus.DeleteInProgress);
    }

    [Fact]
    public async Task CreateChangeSet_WithoutChanges_CreatesAFailedChangeSet_AsAwsDoes()
    {
        var cfn = factory.CloudFormation(credentials, Region);
        var stack = N("kit-unchanged");
        var parameters = new Dictionary<string, string> { ["TopicName"] = N("kit-unchanged-topic") };
        await cfn.CreateChangeSetAsync(new CreateChangeSetRequest(
            stack, N("kit-1"), ChangeSetType.Create, Template, null, parameters, new Dictionary<string, string>(), [], N("token-1")));
        await WaitForChangeSetAsync(cfn, stack, N("kit-1"));
        await cfn.ExecuteChangeSetAsync(stack, N("kit-1"), N("token-execute-1"));
        await WaitForStackAsync(cfn, stack);

        // AWS: the change set is created, then DescribeChangeSet says FAILED, "The submitted information didn't contain
        // changes. ..." (moto 5.2.1 refused the call as UpdateStack does; the sandbox answers as AWS).
        await cfn.CreateChangeSetAsync(new CreateChangeSetRequest(
            stack, N("kit-2"), ChangeSetType.Update, Template, null, parameters, new Dictionary<string, string>(), [], N("token-2")));
        var unchanged = await WaitForChangeSetAsync(cfn, stack, N("kit-2"));

        Assert.Equal(ChangeSetStatus.Failed, unchanged.Status);
        Assert.Contains("didn't contain changes", unchanged.StatusReason);
    }

    [Fact]
    public async Task DescribeStack_WhenStackDoesNotExist_ReturnsNull()
    {
        var cfn = factory.CloudFormation(credentials, Region);

        Assert.Null(await cfn.DescribeStackAsync("no-such-stack"));
    }

    [Fact]
    public async Task ServiceError_SurfacesAsAmazonCloudFormationException_WithErrorCode()
    {
        var cfn = factory.CloudFormation(credentials, Region);

        var error = await Assert.ThrowsAnyAsync<AmazonServiceException>(
            () => cfn.DescribeChangeSetAsync("no-such-stack", "no-such-change-set"));

        // AWS answers ChangeSetNotFound (HTTP 404), as the launcher does; moto 5.2.1 answered ValidationError naming the
        // change set as a stack.
        Assert.IsType<AmazonCloudFormationException>(error);
        Assert.Equal(System.Net.HttpStatusCode.NotFound, error.StatusCode);
        Assert.Equal("ChangeSetNotFound", error.ErrorCode);
        Assert.Equal("ChangeSet [no-such-change-set] does not exist", error.Message);
        Assert.False(string.IsNullOrEmpty(error.RequestId));
    }

    [Fact]
    public async Task CallLog_CountsMutatingCalls_OfKitAndSdkClients()
    {
        var cfn = factory.CloudFormation(credentials, Region);
        var sts = factory.SecurityTokenService(credentials, Region);
        var s3 = factory.S3(credentials, Region);

        var identity = await sts.GetCallerIdentityAsync(new GetCallerIdentityRequest());
        await s3.PutBucketAsync(N("kit-call-log-bucket"));
        await s3.ListBucketsAsync();
        await cfn.DescribeStackAsync("no-such-stack");
        await cfn.CreateChangeSetAsync(new CreateChangeSetRequest(
            N("kit-log"), N("kit-1"), ChangeSetType.Create, Template, null,
            new Dictionary<string, string> { ["TopicName"] = N("kit-log-topic") },
            new Dictionary<string, string>(), [], ClientToken: N("token-log-1")));
        await cfn.DeleteChangeSetAsync(N("kit-log"), N("kit-1"));

        Assert.Equal("123456789012", identity.Account);
        Assert.Equal(
            ["STS:GetCallerIdentity", "S3:PutBucket", "S3:ListBuckets", "CloudFormation:DescribeStacks",
             "CloudFormation:CreateChangeSet", "CloudFormation:DeleteChangeSet"],
            callLog.Calls.Select(c => $"{c.Service}:{c.Operation}"));
        Assert.Equal(
            ["S3:PutBucket", "CloudFormation:CreateChangeSet", "CloudFormation:DeleteChangeSet"],
            callLog.MutatingCalls.Select(c => $"{c.Service}:{c.Operation}"));
        Assert.All(callLog.Calls, c => Assert.Equal(Region, c.Region));
    }

    private static async Task<ChangeSetDescription> WaitForChangeSetAsync(ICloudFormation cfn, string stack, string name)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (true)
        {
            var changeSet = await cfn.DescribeChangeSetAsync(stack, name);
            if (!changeSet.Status.IsPending || DateTime.UtcNow > deadline)
            {
                return changeSet;
            }

            await Task.Delay(200);
        }
    }

    private static async Task<StackDescription> WaitForStackAsync(ICloudFormation cfn, string stack)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (true)
        {
            var description = await cfn.DescribeStackAsync(stack) ?? throw new InvalidOperationException($"{stack} vanished.");
            if (!description.Status.IsInProgress || DateTime.UtcNow > deadline)
            {
                return description;
            }

            await Task.Delay(200);
        }
    }
}
