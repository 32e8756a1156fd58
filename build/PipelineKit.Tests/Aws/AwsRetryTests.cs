namespace PipelineKit.Tests.Aws;

using System.Net;
using Amazon.Runtime;
using PipelineKit.Aws;
using PipelineKit.Messages;
using PipelineKit.Testing;

/// <summary>The factory's clients under faults, over a scripted transport: what is retried, how often, with which
/// token, what the call log counts and what the user sees. Back-off waits in the transport's virtual time.</summary>
public sealed class AwsRetryTests
{
    private const string Cfn = "http://cloudformation.amazonaws.com/doc/2010-05-15/";
    private const string Sts = "https://sts.amazonaws.com/doc/2011-06-15/";
    private const string Html503 = "<html><body><h1>503 Service Unavailable</h1>No server is available to handle this request.</body></html>";

    private static readonly AWSCredentials Credentials = new BasicAWSCredentials("AKIDEXAMPLE", "secret");

    private readonly ScriptedTransport transport = new("text/xml");
    private readonly AwsCallLog callLog = new();
    private readonly RecordingMessages messages = new();
    private readonly AwsClientFactory factory;

    public AwsRetryTests() => factory = transport.Clients("https://aws.test", callLog, new AwsRetryMessages(messages).Report);

    private ICloudFormation CloudFormation => factory.CloudFormation(Credentials, "eu-west-1");

    [Fact]
    public async Task ReadsAndTokenMutations_Under20PercentThrottling_AllSucceed_AndEveryAttemptIsCounted()
    {
        // 20% of requests, in runs of four: a call that meets a run needs five attempts, more than the SDK's standard three.
        transport.Answer = (sent, n) => n % 20 < 4 ? Throttling() : Success(sent);

        var calls = await RunWorkloadAsync();

        Assert.Equal(calls, callLog.Calls.Count);
        var counts = callLog.Counts;
        Assert.Equal(transport.Requests.Count, counts.Requests);
        Assert.Equal(transport.Requests.Count - calls, counts.Retries);
        Assert.True(counts.Retries >= 8, $"only {counts.Retries} retries");
        Assert.Equal(counts.Retries, messages.Codes.Count(c => c == MessageCodes.AwsRetrying.Code));
    }

    [Fact]
    public async Task ReadsAndTokenMutations_Under10PercentServerErrors_AllSucceed()
    {
        // 10% of requests, in runs of three (500, 503, 500): one more than the SDK's standard attempts can outlast.
        transport.Answer = (sent, n) => (n % 30) switch
        {
            0 or 2 => (HttpStatusCode.InternalServerError, ""),
            1 => (HttpStatusCode.ServiceUnavailable, Html503),
            _ => Success(sent),
        };

        var calls = await RunWorkloadAsync();

        Assert.Equal(calls, callLog.Calls.Count);
        Assert.Equal(transport.Requests.Count, callLog.Counts.Requests);
        Assert.Equal(transport.Requests.Count - calls, callLog.Counts.Retries);
    }

    [Fact]
    public async Task Retry_IsShownAsOneLine_WithCallErrorAttemptAndWait()
    {
        transport.Respond(HttpStatusCode.BadRequest, Error("Throttling", "Rate exceeded"));
        transport.Respond(HttpStatusCode.ServiceUnavailable, Html503, "text/html");
        transport.Respond(HttpStatusCode.OK, Result("GetTemplate", "<TemplateBody>{}</TemplateBody>"));

        await CloudFormation.GetTemplateBodyAsync("app");

        var lines = messages.Messages.Where(m => m.Kind == MessageCodes.AwsRetrying).Select(m => m.Text).ToArray();
        Assert.Equal(2, lines.Length);
        Assert.Matches(@"^AWS CloudFormation:GetTemplate \(eu-west-1\) failed \(Throttling\); retrying in \d+\.\d s \(attempt 2 of 8\)\.$", lines[0]);
        Assert.Matches(@"^AWS CloudFormation:GetTemplate \(eu-west-1\) failed \(HTTP503\); retrying in \d+\.\d s \(attempt 3 of 8\)\.$", lines[1]);
    }

    [Fact]
    public async Task TokenProtectedMutation_IsRetriedWithTheSameToken()
    {
        transport.Respond(HttpStatusCode.BadRequest, Error("Throttling", "Rate exceeded"));
        transport.Respond(HttpStatusCode.BadRequest, Error("Throttling", "Rate exceeded"));
        transport.Respond(HttpStatusCode.InternalServerError, "");
        transport.Respond(HttpStatusCode.OK, Result("ExecuteChangeSet", ""));

        await CloudFormation.ExecuteChangeSetAsync("app", "kit-1", "token-42");

        Assert.Equal(4, transport.Requests.Count);
        Assert.All(transport.Requests, r => Assert.Equal("token-42", r.Form["ClientRequestToken"]));
        Assert.Single(callLog.Calls);
    }

    [Fact]
    public async Task StartPipelineExecution_IsRetriedWithTheSameClientRequestToken()
    {
        var json = new ScriptedTransport("application/x-amz-json-1.1");
        using var clients = json.Clients("https://aws.test", callLog);
        for (var i = 0; i < 3; i++) json.Respond(HttpStatusCode.BadRequest, """{"__type":"ThrottlingException","message":"Rate exceeded"}""");
        json.Respond(HttpStatusCode.ServiceUnavailable, Html503, "text/html");
        json.Respond(HttpStatusCode.OK, """{"pipelineExecutionId":"e-1"}""");

        var id = await clients.CodePipeline(Credentials, "eu-west-1").StartPipelineExecutionAsync("p", "run-7");

        Assert.Equal("e-1", id);
        Assert.Equal(5, json.Requests.Count);
        Assert.All(json.Requests, r => Assert.Contains("\"clientRequestToken\":\"run-7\"", r.Body));
    }

    [Fact]
    public async Task MutationWithoutToken_GetsTheStandardThreeAttempts()
    {
        for (var i = 0; i < 3; i++) transport.Respond(HttpStatusCode.BadRequest, Error("Throttling", "Rate exceeded"));

        var error = await Assert.ThrowsAsync<AmazonCloudFormationException>(() => CloudFormation.DeleteChangeSetAsync("app", "kit-1"));

        Assert.Equal("Throttling", error.ErrorCode);
        Assert.Equal(3, transport.Requests.Count);
    }

    [Fact]
    public async Task CloudFormationQuota_IsNotRetried()
    {
        transport.Respond(HttpStatusCode.BadRequest, Error("LimitExceededException", "Limit on the number of stacks exceeded"));

        var error = await Assert.ThrowsAsync<AmazonCloudFormationException>(() => CloudFormation.CreateChangeSetAsync(ChangeSet()));

        Assert.Equal("LimitExceededException", error.ErrorCode);
        Assert.Single(transport.Requests);
    }

    [Fact]
    public async Task DriftDetectionOnAnEndpointWithoutIt_GetsTheStandardThreeAttempts()
    {
        transport.Answer = (_, _) => (HttpStatusCode.InternalServerError, "<!doctype html>\n<html lang=en>\n<title>500 Internal Server Error</title>\n</html>\n");

        var error = await Assert.ThrowsAnyAsync<AmazonServiceException>(() => factory.CloudFormationDrift(Credentials, "eu-west-1").DetectStackDriftAsync("app"));

        Assert.Equal("HTTP500", error.ErrorCode);
        Assert.Equal(3, transport.Requests.Count);
    }

    [Fact]
    public async Task Html503_ThatExhaustsRetries_IsAClearError()
    {
        transport.Answer = (_, _) => (HttpStatusCode.ServiceUnavailable, Html503);

        var error = await Assert.ThrowsAnyAsync<AmazonServiceException>(() => CloudFormation.CreateChangeSetAsync(ChangeSet()));

        Assert.Equal(8, transport.Requests.Count);
        Assert.Equal("HTTP503", error.ErrorCode);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, error.StatusCode);
        Assert.StartsWith("HTTP 503 Service Unavailable from CloudFormation:CreateChangeSet (eu-west-1)", error.Message);
        Assert.DoesNotContain("<", error.Message);
    }

    [Fact]
    public async Task GeneratedClient_IsRetriedLikeTheNarrowOnes()
    {
        for (var i = 0; i < 4; i++) transport.Respond(HttpStatusCode.BadRequest, StsError("Throttling"));
        transport.Respond(HttpStatusCode.OK,
            $"<GetCallerIdentityResponse xmlns=\"{Sts}\"><GetCallerIdentityResult><Arn>arn:aws:iam::123456789012:user/u</Arn>" +
            "<UserId>AIDA</UserId><Account>123456789012</Account></GetCallerIdentityResult></GetCallerIdentityResponse>");

        var identity = await factory.SecurityTokenService(Credentials, "eu-west-1")
            .GetCallerIdentityAsync(new Amazon.SecurityToken.Model.GetCallerIdentityRequest());

        Assert.Equal("123456789012", identity.Account);
        Assert.Equal(new AwsCallCounts(1, 0, 5, 4), callLog.Counts);
    }

    /// <summary>Reads and token-protected mutations of CloudFormation and STS; returns how many calls it made.</summary>
    private async Task<int> RunWorkloadAsync()
    {
        var sts = factory.SecurityTokenService(Credentials, "eu-west-1");
        var calls = 0;
        for (var i = 0; i < 10; i++)
        {
            await sts.GetCallerIdentityAsync(new Amazon.SecurityToken.Model.GetCallerIdentityRequest());
            Assert.Null(await CloudFormation.DescribeStackAsync("app"));
            await CloudFormation.CreateChangeSetAsync(ChangeSet());
            await CloudFormation.ExecuteChangeSetAsync("app", "kit-1", $"execute-{i}");
            await CloudFormation.GetTemplateBodyAsync("app");
            await CloudFormation.DeleteStackAsync("app", $"delete-{i}");
            calls += 6;
        }

        return calls;
    }

    private static CreateChangeSetRequest ChangeSet() => new("app", "kit-1", ChangeSetType.Update, "Resources: {}", null,
        new Dictionary<string, string>(), new Dictionary<string, string>(), [], "create-token");

    private static (HttpStatusCode, string) Throttling() => (HttpStatusCode.BadRequest, Error("Throttling", "Rate exceeded"));

    private static (HttpStatusCode, string) Success(SentRequest sent)
    {
        var action = sent.Form["Action"];
        return (HttpStatusCode.OK, action switch
        {
            "GetCallerIdentity" => $"<GetCallerIdentityResponse xmlns=\"{Sts}\"><GetCallerIdentityResult><Arn>arn:aws:iam::123456789012:user/u</Arn>" +
                                   "<UserId>AIDA</UserId><Account>123456789012</Account></GetCallerIdentityResult></GetCallerIdentityResponse>",
            "DescribeStacks" => Result(action, "<Stacks/>"),
            "CreateChangeSet" => Result(action, "<Id>cs-1</Id><StackId>stack-1</StackId>"),
            "GetTemplate" => Result(action, "<TemplateBody>{}</TemplateBody>"),
            _ => Result(action, ""),
        });
    }

    private static string Result(string action, string inner) =>
        $"<{action}Response xmlns=\"{Cfn}\"><{action}Result>{inner}</{action}Result></{action}Response>";

    private static string Error(string code, string message) =>
        $"<ErrorResponse xmlns=\"{Cfn}\"><Error><Type>Sender</Type><Code>{code}</Code><Message>{message}</Message></Error><RequestId>r</RequestId></ErrorResponse>";

    private static string StsError(string code) =>
        $"<ErrorResponse xmlns=\"{Sts}\"><Error><Type>Sender</Type><Code>{code}</Code><Message>Rate exceeded</Message></Error><RequestId>r</RequestId></ErrorResponse>";
}
