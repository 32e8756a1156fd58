namespace PipelineKit.Tests.Aws;

using System.Net;
using Amazon.Runtime;
using PipelineKit.Aws;

/// <summary>The SNS client over a scripted HTTP transport: GetTopicAttributes and Publish as the API reference shapes them
/// (https://docs.aws.amazon.com/sns/latest/api/API_GetTopicAttributes.html, API_Publish.html).</summary>
public sealed class SimpleNotificationClientTransportTests
{
    private const string Ns = "http://sns.amazonaws.com/doc/2010-03-31/";
    private const string Topic = "arn:aws:sns:us-east-1:123456789012:hello-pipeline-notifications";

    private readonly ScriptedTransport transport = new("text/xml");
    private readonly AwsCallLog callLog = new();
    private readonly AwsClientFactory factory;

    public SimpleNotificationClientTransportTests() => factory = transport.Clients("https://sns.test", callLog);

    private ISimpleNotification Client => factory.Sns(new BasicAWSCredentials("AKIDEXAMPLE", "secret"), "us-east-1");

    [Fact]
    public async Task GetTopicAttributes_IsASignedSnsQuery_AndReadsTheAttributeMap()
    {
        transport.Respond(HttpStatusCode.OK,
            $"<GetTopicAttributesResponse xmlns=\"{Ns}\"><GetTopicAttributesResult><Attributes>" +
            "<entry><key>Policy</key><value>{\"Version\":\"2012-10-17\",\"Statement\":[]}</value></entry>" +
            "<entry><key>KmsMasterKeyId</key><value>alias/hello-pipeline-notifications</value></entry>" +
            "</Attributes></GetTopicAttributesResult><ResponseMetadata><RequestId>r</RequestId></ResponseMetadata></GetTopicAttributesResponse>");

        var attributes = await Client.GetTopicAttributesAsync(Topic);

        Assert.Equal("{\"Version\":\"2012-10-17\",\"Statement\":[]}", attributes!["Policy"]);
        Assert.Equal("alias/hello-pipeline-notifications", attributes["KmsMasterKeyId"]);
        var sent = Assert.Single(transport.Requests);
        Assert.Equal(new Dictionary<string, string> { ["Action"] = "GetTopicAttributes", ["Version"] = "2010-03-31", ["TopicArn"] = Topic }, sent.Form);
        Assert.Contains("/us-east-1/sns/aws4_request", sent.Authorization);
        Assert.Equal([new AwsCall("SNS", "GetTopicAttributes", "us-east-1")], callLog.Calls);
    }

    [Fact]
    public async Task GetTopicAttributes_OfAMissingTopic_IsNull()
    {
        transport.Respond(HttpStatusCode.NotFound,
            $"<ErrorResponse xmlns=\"{Ns}\"><Error><Type>Sender</Type><Code>NotFound</Code><Message>Topic does not exist</Message></Error>" +
            "<RequestId>r</RequestId></ErrorResponse>");

        Assert.Null(await Client.GetTopicAttributesAsync(Topic));
    }

    [Fact]
    public async Task Publish_SendsTopicSubjectAndMessage_CutsTheSubjectToSnsLimit_AndReturnsTheMessageId()
    {
        transport.Respond(HttpStatusCode.OK,
            $"<PublishResponse xmlns=\"{Ns}\"><PublishResult><MessageId>m-1</MessageId></PublishResult>" +
            "<ResponseMetadata><RequestId>r</RequestId></ResponseMetadata></PublishResponse>");

        var id = await Client.PublishAsync(Topic, new string('s', 120), "the diff");

        Assert.Equal("m-1", id);
        var sent = Assert.Single(transport.Requests);
        Assert.Equal(new Dictionary<string, string>
        {
            ["Action"] = "Publish", ["Version"] = "2010-03-31", ["TopicArn"] = Topic, ["Subject"] = new string('s', 100), ["Message"] = "the diff",
        }, sent.Form);
        Assert.Equal([new AwsCall("SNS", "Publish", "us-east-1")], callLog.Calls);
    }
}
