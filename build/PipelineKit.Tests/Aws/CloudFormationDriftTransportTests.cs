namespace PipelineKit.Tests.Aws;

using System.Net;
using Amazon.Runtime;
using PipelineKit.Aws;

/// <summary>The CloudFormation client's drift operations over a scripted HTTP transport, answered with the response
/// shapes of the API reference (DetectStackDrift, DescribeStackDriftDetectionStatus, DescribeStackResourceDrifts).</summary>
public sealed class CloudFormationDriftTransportTests
{
    private const string Ns = "http://cloudformation.amazonaws.com/doc/2010-05-15/";

    private readonly ScriptedTransport transport = new("text/xml");
    private readonly AwsCallLog callLog = new();
    private readonly AwsClientFactory factory;

    public CloudFormationDriftTransportTests() => factory = transport.Clients("https://cfn.test", callLog);

    private ICloudFormationDrift Client => factory.CloudFormationDrift(new BasicAWSCredentials("AKIDEXAMPLE", "secret"), "eu-west-1");

    [Fact]
    public async Task DetectStackDrift_PostsTheStack_ReturnsTheDetectionId_AndIsNotLoggedAsMutating()
    {
        transport.Respond(HttpStatusCode.OK,
            $"<DetectStackDriftResponse xmlns=\"{Ns}\"><DetectStackDriftResult><StackDriftDetectionId>b78ac9b0-dec1-11e7-a451-50e2416294e0</StackDriftDetectionId>" +
            "</DetectStackDriftResult><ResponseMetadata><RequestId>r</RequestId></ResponseMetadata></DetectStackDriftResponse>");

        var id = await Client.DetectStackDriftAsync("pipelinekit-hello-primary");

        Assert.Equal("b78ac9b0-dec1-11e7-a451-50e2416294e0", id);
        Assert.Equal(
            new Dictionary<string, string> { ["Action"] = "DetectStackDrift", ["Version"] = "2010-05-15", ["StackName"] = "pipelinekit-hello-primary" },
            Assert.Single(transport.Requests).Form);
        Assert.Equal([new AwsCall("CloudFormation", "DetectStackDrift", "eu-west-1")], callLog.Calls);
        Assert.Empty(callLog.MutatingCalls);
    }

    [Fact]
    public async Task DescribeStackDriftDetectionStatus_ReadsStatusDriftAndCount()
    {
        transport.Respond(HttpStatusCode.OK,
            $"<DescribeStackDriftDetectionStatusResponse xmlns=\"{Ns}\"><DescribeStackDriftDetectionStatusResult>" +
            "<StackId>arn:aws:cloudformation:eu-west-1:123456789012:stack/s/1</StackId><StackDriftDetectionId>d-1</StackDriftDetectionId>" +
            "<StackDriftStatus>DRIFTED</StackDriftStatus><DetectionStatus>DETECTION_COMPLETE</DetectionStatus>" +
            "<DriftedStackResourceCount>2</DriftedStackResourceCount><Timestamp>2026-11-30T10:00:00Z</Timestamp>" +
            "</DescribeStackDriftDetectionStatusResult></DescribeStackDriftDetectionStatusResponse>");

        var detection = await Client.DescribeStackDriftDetectionStatusAsync("d-1");

        Assert.Equal(new StackDriftDetection("d-1", "DETECTION_COMPLETE", "DRIFTED", null, 2), detection);
        Assert.False(detection.InProgress);
        Assert.Equal("d-1", transport.Requests[0].Form["StackDriftDetectionId"]);
    }

    [Fact]
    public async Task DescribeStackResourceDrifts_AsksForWhatDiffers_FollowsNextToken_AndReadsPropertyDifferences()
    {
        transport.Respond(HttpStatusCode.OK, DriftsPage(
            "<member><LogicalResourceId>ArtifactKey</LogicalResourceId><ResourceType>AWS::KMS::Key</ResourceType>" +
            "<StackResourceDriftStatus>MODIFIED</StackResourceDriftStatus><PropertyDifferences><member>" +
            "<PropertyPath>/KeyPolicy/Statement/1/Principal/AWS/0</PropertyPath><ExpectedValue>arn:aws:iam::222222222222:root</ExpectedValue>" +
            "<ActualValue>arn:aws:iam::999999999999:root</ActualValue><DifferenceType>NOT_EQUAL</DifferenceType></member></PropertyDifferences></member>",
            next: "t2"));
        transport.Respond(HttpStatusCode.OK, DriftsPage(
            "<member><LogicalResourceId>SourceBucket</LogicalResourceId><ResourceType>AWS::S3::Bucket</ResourceType>" +
            "<StackResourceDriftStatus>DELETED</StackResourceDriftStatus></member>", next: null));

        var drifts = await Client.DescribeStackResourceDriftsAsync("pipelinekit-hello-primary");

        Assert.Equal(["ArtifactKey", "SourceBucket"], drifts.Select(d => d.LogicalResourceId));
        Assert.Equal(new PropertyDifference("/KeyPolicy/Statement/1/Principal/AWS/0", "arn:aws:iam::222222222222:root",
            "arn:aws:iam::999999999999:root", "NOT_EQUAL"), Assert.Single(drifts[0].Differences));
        Assert.Equal(("DELETED", 0), (drifts[1].DriftStatus, drifts[1].Differences.Count));
        var first = transport.Requests[0].Form;
        Assert.Equal(("MODIFIED", "DELETED"), (first["StackResourceDriftStatusFilters.member.1"], first["StackResourceDriftStatusFilters.member.2"]));
        Assert.False(first.ContainsKey("NextToken"));
        Assert.Equal("t2", transport.Requests[1].Form["NextToken"]);
    }

    private static string DriftsPage(string members, string? next) =>
        $"<DescribeStackResourceDriftsResponse xmlns=\"{Ns}\"><DescribeStackResourceDriftsResult><StackResourceDrifts>{members}</StackResourceDrifts>" +
        (next is null ? "" : $"<NextToken>{next}</NextToken>") +
        "</DescribeStackResourceDriftsResult><ResponseMetadata><RequestId>r</RequestId></ResponseMetadata></DescribeStackResourceDriftsResponse>";
}
