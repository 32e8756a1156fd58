namespace PipelineKit.Tests.Aws;

using System.Net;
using System.Text;
using Amazon.Runtime;
using PipelineKit.Aws;

/// <summary>The client over a scripted HTTP transport: what the SDK pipeline sends and how it treats answers.</summary>
public sealed class CloudFormationClientTransportTests
{
    private const string Ns = "http://cloudformation.amazonaws.com/doc/2010-05-15/";

    private readonly ScriptedTransport transport = new("text/xml");
    private readonly AwsCallLog callLog = new();
    private readonly AwsClientFactory factory;

    public CloudFormationClientTransportTests() => factory = transport.Clients("https://cfn.test", callLog);

    private ICloudFormation Client => factory.CloudFormation(new BasicAWSCredentials("AKIDEXAMPLE", "secret"), "eu-west-1");

    [Fact]
    public async Task Requests_AreSignedFormPosts()
    {
        transport.Respond(HttpStatusCode.OK, $"<DeleteChangeSetResponse xmlns=\"{Ns}\"><DeleteChangeSetResult/></DeleteChangeSetResponse>");

        await Client.DeleteChangeSetAsync("app", "kit-1");

        var sent = Assert.Single(transport.Requests);
        Assert.Equal(HttpMethod.Post, sent.Method);
        Assert.Equal("https://cfn.test/", sent.Uri.ToString());
        Assert.StartsWith("application/x-www-form-urlencoded", sent.ContentType);
        Assert.Equal("DeleteChangeSet", sent.Form["Action"]);
        Assert.Equal("2010-05-15", sent.Form["Version"]);
        Assert.Equal("kit-1", sent.Form["ChangeSetName"]);
        Assert.StartsWith("AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/", sent.Authorization);
        Assert.Contains("/eu-west-1/cloudformation/aws4_request", sent.Authorization);
    }

    [Fact]
    public async Task Throttling_IsRetriedBySdk_AndLoggedOnce()
    {
        transport.Respond(HttpStatusCode.BadRequest,
            $"<ErrorResponse xmlns=\"{Ns}\"><Error><Type>Sender</Type><Code>Throttling</Code><Message>Rate exceeded</Message></Error><RequestId>r1</RequestId></ErrorResponse>");
        transport.Respond(HttpStatusCode.OK,
            $"<GetTemplateResponse xmlns=\"{Ns}\"><GetTemplateResult><TemplateBody>Resources: {{}}</TemplateBody></GetTemplateResult></GetTemplateResponse>");

        var body = await Client.GetTemplateBodyAsync("app");

        Assert.Equal("Resources: {}", body);
        Assert.Equal(2, transport.Requests.Count);
        Assert.Equal([new AwsCall("CloudFormation", "GetTemplate", "eu-west-1")], callLog.Calls);
    }

    [Fact]
    public async Task ServiceError_SurfacesWithCodeMessageStatusAndRequestId()
    {
        transport.Respond(HttpStatusCode.BadRequest,
            $"<ErrorResponse xmlns=\"{Ns}\"><Error><Type>Sender</Type><Code>AlreadyExistsException</Code><Message>ChangeSet kit-1 already exists</Message></Error><RequestId>req-7</RequestId></ErrorResponse>");

        var error = await Assert.ThrowsAsync<AmazonCloudFormationException>(() => Client.ExecuteChangeSetAsync("app", "kit-1", "t"));

        Assert.Equal(("AlreadyExistsException", "ChangeSet kit-1 already exists", HttpStatusCode.BadRequest, "req-7"),
            (error.ErrorCode, error.Message, error.StatusCode, error.RequestId));
    }

    [Fact]
    public async Task DescribeStack_WhenMissing_IsNull()
    {
        transport.Respond(HttpStatusCode.BadRequest,
            $"<ErrorResponse xmlns=\"{Ns}\"><Error><Type>Sender</Type><Code>ValidationError</Code><Message>Stack with id app does not exist</Message></Error><RequestId>r</RequestId></ErrorResponse>");

        Assert.Null(await Client.DescribeStackAsync("app"));
    }

    [Fact]
    public async Task DescribeChangeSet_FollowsNextToken_AndJoinsChanges()
    {
        transport.Respond(HttpStatusCode.OK, ChangeSetPage("A", "page-2"));
        transport.Respond(HttpStatusCode.OK, ChangeSetPage("B", null));

        var changeSet = await Client.DescribeChangeSetAsync("app", "kit-1");

        Assert.Equal(["A", "B"], changeSet.Changes.Select(c => c.LogicalResourceId));
        Assert.False(transport.Requests[0].Form.ContainsKey("NextToken"));
        Assert.Equal("page-2", transport.Requests[1].Form["NextToken"]);
    }

    [Fact]
    public async Task ListChangeSets_ReturnsOnePage_AndAsksForTheNextWithItsToken()
    {
        transport.Respond(HttpStatusCode.OK, SummariesPage("kit-1", "next"));
        transport.Respond(HttpStatusCode.OK, SummariesPage("kit-2", null));

        var first = await Client.ListChangeSetsAsync("app");
        var second = await Client.ListChangeSetsAsync("app", first.NextToken);

        Assert.Equal(["kit-1"], first.Summaries.Select(s => s.ChangeSetName));
        Assert.Equal("next", first.NextToken);
        Assert.Equal(["kit-2"], second.Summaries.Select(s => s.ChangeSetName));
        Assert.Null(second.NextToken);
        Assert.Equal("next", transport.Requests[1].Form["NextToken"]);
    }

    private static string ChangeSetPage(string logicalId, string? nextToken) =>
        $"<DescribeChangeSetResponse xmlns=\"{Ns}\"><DescribeChangeSetResult><ChangeSetName>kit-1</ChangeSetName><ChangeSetId>id</ChangeSetId>" +
        $"<Status>CREATE_COMPLETE</Status><ExecutionStatus>AVAILABLE</ExecutionStatus><Changes><member><ResourceChange><Action>Add</Action>" +
        $"<LogicalResourceId>{logicalId}</LogicalResourceId><ResourceType>AWS::SNS::Topic</ResourceType></ResourceChange><Type>Resource</Type></member></Changes>" +
        (nextToken is null ? string.Empty : $"<NextToken>{nextToken}</NextToken>") +
        "</DescribeChangeSetResult></DescribeChangeSetResponse>";

    private static string SummariesPage(string name, string? nextToken) =>
        $"<ListChangeSetsResponse xmlns=\"{Ns}\"><ListChangeSetsResult><Summaries><member><ChangeSetName>{name}</ChangeSetName>" +
        $"<ChangeSetId>id-{name}</ChangeSetId><Status>CREATE_COMPLETE</Status></member></Summaries>" +
        (nextToken is null ? string.Empty : $"<NextToken>{nextToken}</NextToken>") +
        "</ListChangeSetsResult></ListChangeSetsResponse>";
}
