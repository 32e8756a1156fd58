namespace PipelineKit.Tests.Verification;

using System.Net;
using Amazon.Runtime;
using PipelineKit.Aws;
using PipelineKit.Configuration;
using PipelineKit.Deployment;
using PipelineKit.Tests.Aws;
using PipelineKit.Tests.Configuration;
using PipelineKit.Verification;

/// <summary>CloudFormation's drift detection as Verify runs it, over a scripted transport: a drifted resource named with
/// each property that differs, a stack in sync passed, and an endpoint without drift detection (a skipped cell, asked
/// once) told apart from one that refuses it.</summary>
public sealed class DriftChecksTests : IDisposable
{
    private const string Ns = "http://cloudformation.amazonaws.com/doc/2010-05-15/";
    private const string Build = "123456789012";

    private readonly ScriptedVerifyContext scripted = new("text/xml");

    private ScriptedTransport Transport => scripted.Transport;

    private ICloudFormationDrift Client => scripted.Factory.CloudFormationDrift(new BasicAWSCredentials("AKIDEXAMPLE", "secret"), "eu-west-1");

    [Fact]
    public async Task ADriftedStack_FailsNamingEachResourceAndProperty_AfterWaitingForTheDetection()
    {
        Transport.Respond(HttpStatusCode.OK, Result("DetectStackDrift", "<StackDriftDetectionId>d-1</StackDriftDetectionId>"));
        Transport.Respond(HttpStatusCode.OK, Status("DETECTION_IN_PROGRESS", null));
        Transport.Respond(HttpStatusCode.OK, Status("DETECTION_COMPLETE", "DRIFTED"));
        Transport.Respond(HttpStatusCode.OK, Result("DescribeStackResourceDrifts",
            "<StackResourceDrifts><member><LogicalResourceId>ArtifactKey</LogicalResourceId><ResourceType>AWS::KMS::Key</ResourceType>" +
            "<StackResourceDriftStatus>MODIFIED</StackResourceDriftStatus><PropertyDifferences><member><PropertyPath>/KeyPolicy/Statement/1/Principal/AWS/0</PropertyPath>" +
            "<ExpectedValue>arn:aws:iam::222222222222:root</ExpectedValue><ActualValue>arn:aws:iam::999999999999:root</ActualValue>" +
            "<DifferenceType>NOT_EQUAL</DifferenceType></member></PropertyDifferences></member></StackResourceDrifts>"));

        var findings = await Checks(emulated: false).RunAsync([Stack("primary", "us-east-1")], CancellationToken.None);

        var finding = Assert.Single(findings);
        Assert.Equal((CheckStatus.Fail, Build, "pipelinekit-sandbox-primary (us-east-1)"), (finding.Status, finding.Account, finding.Subject));
        Assert.Equal("ArtifactKey (AWS::KMS::Key) MODIFIED: /KeyPolicy/Statement/1/Principal/AWS/0 NOT_EQUAL: " +
            "expected arn:aws:iam::222222222222:root, actual arn:aws:iam::999999999999:root", finding.Reason);
        Assert.Equal(4, Transport.Requests.Count);
    }

    [Fact]
    public async Task AStackInSync_Passes()
    {
        Transport.Respond(HttpStatusCode.OK, Result("DetectStackDrift", "<StackDriftDetectionId>d-1</StackDriftDetectionId>"));
        Transport.Respond(HttpStatusCode.OK, Status("DETECTION_COMPLETE", "IN_SYNC"));

        var finding = Assert.Single(await Checks(emulated: false).RunAsync([Stack("primary", "us-east-1")], CancellationToken.None));

        Assert.Equal(CheckStatus.Pass, finding.Status);
    }

    [Fact]
    public async Task AnEmulatorWithoutDriftDetection_IsAskedOnce_AndEveryStackIsSkippedSayingSo()
    {
        Transport.Respond(HttpStatusCode.InternalServerError, "<!doctype html>\n<title>500 Internal Server Error</title>\n");

        var findings = await Checks(emulated: true).RunAsync([Stack("primary", "us-east-1"), Stack("regional:eu-west-1", "eu-west-1")], CancellationToken.None);

        Assert.Equal(2, findings.Count);
        Assert.All(findings, f => Assert.Equal((CheckStatus.Skip, DriftChecks.NotOffered), (f.Status, f.Reason)));
        Assert.Single(Transport.Requests);
    }

    public void Dispose() => scripted.Dispose();

    private DriftChecks Checks(bool emulated) => new(scripted.For(SandboxConfigs.Accounts(), emulated));

    private static DeployedStack Stack(string key, string region) =>
        new(new StackRef(key, key == "primary" ? "pipelinekit-sandbox-primary" : "pipelinekit-sandbox-regional", new StackLocation(Build, region)),
            new StackDescription("id", "s", StackStatus.CreateComplete, null, new Dictionary<string, string>(), new Dictionary<string, string>(),
                new Dictionary<string, string>(), true));

    private static string Status(string detection, string? drift) => Result("DescribeStackDriftDetectionStatus",
        $"<StackDriftDetectionId>d-1</StackDriftDetectionId><DetectionStatus>{detection}</DetectionStatus>" +
        (drift is null ? "" : $"<StackDriftStatus>{drift}</StackDriftStatus><DriftedStackResourceCount>1</DriftedStackResourceCount>"));

    private static string Result(string action, string body) =>
        $"<{action}Response xmlns=\"{Ns}\"><{action}Result>{body}</{action}Result><ResponseMetadata><RequestId>r</RequestId></ResponseMetadata></{action}Response>";

    [Fact]
    public async Task AnEmulatorWithoutDriftDetection_IsNotOffered_WhileAws_AnswersAccessDeniedAsItself()
    {
        // moto answers an operation it does not implement with HTTP 500 and an HTML page.
        Transport.Respond(HttpStatusCode.InternalServerError, "<!doctype html>\n<html lang=en>\n<title>500 Internal Server Error</title>\n</html>\n");
        Transport.Respond(HttpStatusCode.Forbidden,
            $"<ErrorResponse xmlns=\"{Ns}\"><Error><Type>Sender</Type><Code>AccessDenied</Code><Message>not authorized to perform: " +
            "cloudformation:DetectStackDrift</Message></Error><RequestId>r</RequestId></ErrorResponse>");

        var emulator = await Assert.ThrowsAnyAsync<AmazonServiceException>(() => Client.DetectStackDriftAsync("s"));
        var denied = await Assert.ThrowsAnyAsync<AmazonServiceException>(() => Client.DetectStackDriftAsync("s"));

        Assert.True(DriftChecks.IsNotOffered(emulator, emulated: true));
        Assert.False(DriftChecks.IsNotOffered(emulator, emulated: false));
        Assert.False(DriftChecks.IsNotOffered(denied, emulated: true));
        Assert.Equal("AccessDenied", denied.ErrorCode);
    }
}
