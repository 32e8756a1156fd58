namespace PipelineKit.Tests.Aws;

using System.Net;
using System.Text;
using Amazon.Runtime;
using Amazon.Runtime.Internal.Transform;
using PipelineKit.Aws;
using PipelineKit.Deployment;

/// <summary>Documented sample responses of the CloudFormation API reference, parsed without HTTP.</summary>
public sealed class CloudFormationResponsesTests
{
    private static System.Xml.Linq.XElement Result(string xml)
        => CloudFormationResponseUnmarshaller.Read(new MemoryStream(Encoding.UTF8.GetBytes(xml))).Result;

    [Fact]
    public void DescribeStacks_ReadsStatusParametersOutputsTagsAndTerminationProtection()
    {
        const string xml = """
            <DescribeStacksResponse xmlns="http://cloudformation.amazonaws.com/doc/2010-05-15/">
              <DescribeStacksResult>
                <Stacks>
                  <member>
                    <StackName>MyStack</StackName>
                    <StackId>arn:aws:cloudformation:us-east-1:123456789:stack/MyStack/aaf549a0-a413-11df-adb3-5081b3858e83</StackId>
                    <Description>My Description</Description>
                    <CreationTime>2010-07-27T22:28:28Z</CreationTime>
                    <StackStatus>UPDATE_ROLLBACK_COMPLETE</StackStatus>
                    <StackStatusReason>The following resource(s) failed to update: [Bucket].</StackStatusReason>
                    <DisableRollback>false</DisableRollback>
                    <Parameters>
                      <member><ParameterKey>Stage</ParameterKey><ParameterValue>dev</ParameterValue></member>
                      <member><ParameterKey>Secret</ParameterKey><ParameterValue>****</ParameterValue></member>
                    </Parameters>
                    <Outputs>
                      <member>
                        <OutputKey>StartPage</OutputKey>
                        <OutputValue>http://my-load-balancer.amazonaws.com:80/index.html</OutputValue>
                        <Description>The start page</Description>
                      </member>
                      <member><OutputKey>BucketName</OutputKey><OutputValue>my-bucket</OutputValue><ExportName>my-export</ExportName></member>
                    </Outputs>
                    <Tags>
                      <member><Key>kit</Key><Value>pipelinekit</Value></member>
                    </Tags>
                    <EnableTerminationProtection>true</EnableTerminationProtection>
                  </member>
                </Stacks>
              </DescribeStacksResult>
              <ResponseMetadata>
                <RequestId>b9b4b068-3a41-11e5-94eb-example</RequestId>
              </ResponseMetadata>
            </DescribeStacksResponse>
            """;

        var response = CloudFormationResponseUnmarshaller.Read(new MemoryStream(Encoding.UTF8.GetBytes(xml)));
        var stack = CloudFormationResponses.Stack(response.Result);

        Assert.Equal("b9b4b068-3a41-11e5-94eb-example", response.ResponseMetadata.RequestId);
        Assert.NotNull(stack);
        Assert.Equal("MyStack", stack.StackName);
        Assert.Equal("arn:aws:cloudformation:us-east-1:123456789:stack/MyStack/aaf549a0-a413-11df-adb3-5081b3858e83", stack.StackId);
        Assert.Equal(StackStatus.UpdateRollbackComplete, stack.Status);
        Assert.Equal("The following resource(s) failed to update: [Bucket].", stack.StatusReason);
        Assert.Equal(new Dictionary<string, string> { ["Stage"] = "dev", ["Secret"] = "****" }, stack.Parameters);
        Assert.Equal(
            new Dictionary<string, string>
            {
                ["StartPage"] = "http://my-load-balancer.amazonaws.com:80/index.html",
                ["BucketName"] = "my-bucket",
            },
            stack.Outputs);
        Assert.Equal(new Dictionary<string, string> { ["kit"] = "pipelinekit" }, stack.Tags);
        Assert.True(stack.TerminationProtection);
    }

    [Fact]
    public void DescribeStacks_WithoutOptionalLists_GivesEmptyDictionaries()
    {
        var stack = CloudFormationResponses.Stack(Result("""
            <DescribeStacksResponse xmlns="http://cloudformation.amazonaws.com/doc/2010-05-15/">
              <DescribeStacksResult><Stacks><member>
                <StackName>s</StackName><StackId>id</StackId><StackStatus>REVIEW_IN_PROGRESS</StackStatus>
                <Tags/>
              </member></Stacks></DescribeStacksResult>
            </DescribeStacksResponse>
            """));

        Assert.NotNull(stack);
        Assert.Equal(StackStatus.ReviewInProgress, stack.Status);
        Assert.Null(stack.StatusReason);
        Assert.Empty(stack.Parameters);
        Assert.Empty(stack.Outputs);
        Assert.Empty(stack.Tags);
        Assert.False(stack.TerminationProtection);
    }

    [Fact]
    public void GetTemplate_ReturnsTheBodyVerbatim()
    {
        var body = CloudFormationResponses.TemplateBody(Result("""
            <GetTemplateResponse xmlns="http://cloudformation.amazonaws.com/doc/2010-05-15/">
              <GetTemplateResult>
                <TemplateBody>Resources:
              Topic: {Type: 'AWS::SNS::Topic'}   # &lt;kept&gt; &amp; "quoted"
            </TemplateBody>
                <StagesAvailable><member>Original</member><member>Processed</member></StagesAvailable>
              </GetTemplateResult>
            </GetTemplateResponse>
            """));

        Assert.Equal("Resources:\n  Topic: {Type: 'AWS::SNS::Topic'}   # <kept> & \"quoted\"\n", body);
    }

    [Fact]
    public void CreateChangeSet_ReadsIdAndStackId()
    {
        var result = CloudFormationResponses.CreatedChangeSet(Result("""
            <CreateChangeSetResponse xmlns="http://cloudformation.amazonaws.com/doc/2010-05-15/">
              <CreateChangeSetResult>
                <Id>arn:aws:cloudformation:us-east-1:123456789012:changeSet/SampleChangeSet/1a2345b6-0000-00a0-a123-00abc0abc000</Id>
                <StackId>arn:aws:cloudformation:us-east-1:123456789012:stack/SampleStack/1a2345b6-0000-00a0-a123-00abc0abc000</StackId>
              </CreateChangeSetResult>
            </CreateChangeSetResponse>
            """));

        Assert.Equal("arn:aws:cloudformation:us-east-1:123456789012:changeSet/SampleChangeSet/1a2345b6-0000-00a0-a123-00abc0abc000", result.ChangeSetId);
        Assert.Equal("arn:aws:cloudformation:us-east-1:123456789012:stack/SampleStack/1a2345b6-0000-00a0-a123-00abc0abc000", result.StackId);
    }

    [Fact]
    public void DescribeChangeSet_ReadsStatusAndResourceChanges()
    {
        var page = CloudFormationResponses.ChangeSet(Result("""
            <DescribeChangeSetResponse xmlns="http://cloudformation.amazonaws.com/doc/2010-05-15/">
              <DescribeChangeSetResult>
                <StackId>arn:aws:cloudformation:us-east-1:123456789012:stack/SampleStack/12a3b456-0e10-4ce0-9052-5d484a8c4e5b</StackId>
                <Status>CREATE_COMPLETE</Status>
                <ChangeSetName>SampleChangeSet-direct</ChangeSetName>
                <Parameters>
                  <member><ParameterValue>testing</ParameterValue><ParameterKey>Purpose</ParameterKey></member>
                </Parameters>
                <Capabilities/>
                <ExecutionStatus>AVAILABLE</ExecutionStatus>
                <ChangeSetId>arn:aws:cloudformation:us-east-1:123456789012:changeSet/SampleChangeSet-direct/9edde307-960d-4e6e-ad66-b7d9d3b3a2d0</ChangeSetId>
                <NotificationARNs/>
                <CreationTime>2016-03-17T23:35:25.813Z</CreationTime>
                <Changes>
                  <member>
                    <ResourceChange>
                      <Action>Modify</Action>
                      <LogicalResourceId>MyEC2Instance</LogicalResourceId>
                      <PhysicalResourceId>i-1abc23d4</PhysicalResourceId>
                      <Details>
                        <member>
                          <ChangeSource>DirectModification</ChangeSource>
                          <Evaluation>Static</Evaluation>
                          <Target><Attribute>Tags</Attribute><RequiresRecreation>Never</RequiresRecreation></Target>
                        </member>
                      </Details>
                      <ResourceType>AWS::EC2::Instance</ResourceType>
                      <Replacement>False</Replacement>
                      <Scope><member>Tags</member></Scope>
                    </ResourceChange>
                    <Type>Resource</Type>
                  </member>
                  <member>
                    <ResourceChange>
                      <Action>Add</Action>
                      <LogicalResourceId>Queue</LogicalResourceId>
                      <ResourceType>AWS::SQS::Queue</ResourceType>
                    </ResourceChange>
                    <Type>Resource</Type>
                  </member>
                </Changes>
                <Tags/>
              </DescribeChangeSetResult>
              <ResponseMetadata><RequestId>b2e4ba7b-ec9c-11e5-9f72-example</RequestId></ResponseMetadata>
            </DescribeChangeSetResponse>
            """));

        var changeSet = page.ChangeSet;
        Assert.Null(page.NextToken);
        Assert.Equal("SampleChangeSet-direct", changeSet.ChangeSetName);
        Assert.Equal("arn:aws:cloudformation:us-east-1:123456789012:changeSet/SampleChangeSet-direct/9edde307-960d-4e6e-ad66-b7d9d3b3a2d0", changeSet.ChangeSetId);
        Assert.Equal(ChangeSetStatus.CreateComplete, changeSet.Status);
        Assert.Null(changeSet.StatusReason);
        Assert.Equal("AVAILABLE", changeSet.ExecutionStatus);
        Assert.Equal(
            [
                new ResourceChange("Modify", "MyEC2Instance", "i-1abc23d4", "AWS::EC2::Instance", "False"),
                new ResourceChange("Add", "Queue", null, "AWS::SQS::Queue", null),
            ],
            changeSet.Changes);
    }

    [Fact]
    public void DescribeChangeSet_ReadsTheParametersItWasCreatedWith()
    {
        var page = CloudFormationResponses.ChangeSet(Result("""
            <DescribeChangeSetResponse xmlns="http://cloudformation.amazonaws.com/doc/2010-05-15/">
              <DescribeChangeSetResult>
                <ChangeSetName>app-pipeline</ChangeSetName>
                <Status>CREATE_COMPLETE</Status>
                <Parameters>
                  <member><ParameterKey>CodeBucket</ParameterKey><ParameterValue>b</ParameterValue></member>
                  <member><ParameterKey>EnvironmentName</ParameterKey><ParameterValue>prod</ParameterValue></member>
                </Parameters>
                <Changes/>
              </DescribeChangeSetResult>
            </DescribeChangeSetResponse>
            """));

        Assert.Equal(new Dictionary<string, string> { ["CodeBucket"] = "b", ["EnvironmentName"] = "prod" }, page.ChangeSet.Parameters);
    }

    [Fact]
    public void DescribeChangeSet_WithoutChanges_IsFailedWithTheDocumentedReason()
    {
        var page = CloudFormationResponses.ChangeSet(Result("""
            <DescribeChangeSetResponse xmlns="http://cloudformation.amazonaws.com/doc/2010-05-15/">
              <DescribeChangeSetResult>
                <ChangeSetName>kit-2</ChangeSetName>
                <ChangeSetId>arn:aws:cloudformation:us-east-1:123456789012:changeSet/kit-2/0f0e</ChangeSetId>
                <StackName>app</StackName>
                <Status>FAILED</Status>
                <StatusReason>The submitted information didn't contain changes. Submit different information to create a change set.</StatusReason>
                <ExecutionStatus>UNAVAILABLE</ExecutionStatus>
                <Changes/>
                <NextToken>page-2</NextToken>
              </DescribeChangeSetResult>
            </DescribeChangeSetResponse>
            """));

        Assert.Equal(ChangeSetStatus.Failed, page.ChangeSet.Status);
        Assert.Equal(
            "The submitted information didn't contain changes. Submit different information to create a change set.",
            page.ChangeSet.StatusReason);
        Assert.Equal("UNAVAILABLE", page.ChangeSet.ExecutionStatus);
        Assert.Empty(page.ChangeSet.Changes);
        Assert.Equal("page-2", page.NextToken);
    }

    [Fact]
    public void ListChangeSets_ReadsSummariesAndNextToken()
    {
        var (summaries, nextToken) = CloudFormationResponses.ChangeSetSummaries(Result("""
            <ListChangeSetsResponse xmlns="http://cloudformation.amazonaws.com/doc/2010-05-15/">
              <ListChangeSetsResult>
                <Summaries>
                  <member>
                    <StackId>arn:aws:cloudformation:us-east-1:123456789012:stack/SampleStack/12a3b456-0e10-4ce0-9052-5d484a8c4e5b</StackId>
                    <Status>CREATE_COMPLETE</Status>
                    <ChangeSetName>SampleChangeSet-conditional</ChangeSetName>
                    <ExecutionStatus>AVAILABLE</ExecutionStatus>
                    <ChangeSetId>arn:aws:cloudformation:us-east-1:123456789012:changeSet/SampleChangeSet-conditional/56b6e4e8-c8e0-4b13-8bda-c3a93aa97ac2</ChangeSetId>
                    <CreationTime>2016-03-17T23:35:25.813Z</CreationTime>
                    <StackName>SampleStack</StackName>
                  </member>
                  <member>
                    <Status>CREATE_PENDING</Status>
                    <ChangeSetName>SampleChangeSet</ChangeSetName>
                    <ExecutionStatus>UNAVAILABLE</ExecutionStatus>
                    <ChangeSetId>arn:aws:cloudformation:us-east-1:123456789012:changeSet/SampleChangeSet/9edde307-960d-4e6e-ad66-b7d9d3b3a2d0</ChangeSetId>
                    <Description>kit change set</Description>
                    <StackName>SampleStack</StackName>
                  </member>
                </Summaries>
                <NextToken>more</NextToken>
              </ListChangeSetsResult>
            </ListChangeSetsResponse>
            """));

        Assert.Equal(
            [
                new ChangeSetSummary("SampleChangeSet-conditional",
                    "arn:aws:cloudformation:us-east-1:123456789012:changeSet/SampleChangeSet-conditional/56b6e4e8-c8e0-4b13-8bda-c3a93aa97ac2",
                    ChangeSetStatus.CreateComplete, "AVAILABLE", null),
                new ChangeSetSummary("SampleChangeSet",
                    "arn:aws:cloudformation:us-east-1:123456789012:changeSet/SampleChangeSet/9edde307-960d-4e6e-ad66-b7d9d3b3a2d0",
                    ChangeSetStatus.CreatePending, "UNAVAILABLE", "kit change set"),
            ],
            summaries);
        Assert.Equal("more", nextToken);
    }

    [Fact]
    public void DescribeStackEvents_ReadsEventsNewestFirst_AndNextToken()
    {
        var page = CloudFormationResponses.StackEvents(Result("""
            <DescribeStackEventsResponse xmlns="http://cloudformation.amazonaws.com/doc/2010-05-15/">
              <DescribeStackEventsResult>
                <StackEvents>
                  <member>
                    <EventId>Event-2-Id</EventId>
                    <StackId>arn:aws:cloudformation:us-east-1:123456789:stack/MyStack/aaf549a0-a413-11df-adb3-5081b3858e83</StackId>
                    <StackName>MyStack</StackName>
                    <LogicalResourceId>MySG1</LogicalResourceId>
                    <PhysicalResourceId>MyStack_SG1</PhysicalResourceId>
                    <ResourceType>AWS::EC2::SecurityGroup</ResourceType>
                    <Timestamp>2010-07-27T22:28:28.123Z</Timestamp>
                    <ResourceStatus>CREATE_FAILED</ResourceStatus>
                    <ResourceStatusReason>Resource creation cancelled</ResourceStatusReason>
                    <ClientRequestToken>exec-1</ClientRequestToken>
                  </member>
                  <member>
                    <EventId>Event-1-Id</EventId>
                    <StackId>arn:aws:cloudformation:us-east-1:123456789:stack/MyStack/aaf549a0-a413-11df-adb3-5081b3858e83</StackId>
                    <StackName>MyStack</StackName>
                    <LogicalResourceId>MyStack</LogicalResourceId>
                    <PhysicalResourceId>MyStack_One</PhysicalResourceId>
                    <ResourceType>AWS::CloudFormation::Stack</ResourceType>
                    <Timestamp>2010-07-27T22:26:28Z</Timestamp>
                    <ResourceStatus>CREATE_IN_PROGRESS</ResourceStatus>
                    <ResourceStatusReason>User initiated</ResourceStatusReason>
                  </member>
                </StackEvents>
                <NextToken>older-events</NextToken>
              </DescribeStackEventsResult>
            </DescribeStackEventsResponse>
            """));

        Assert.Equal("older-events", page.NextToken);
        Assert.Equal(
            [
                new StackEvent("Event-2-Id", "MyStack", "MySG1", "MyStack_SG1", "AWS::EC2::SecurityGroup",
                    new DateTimeOffset(2010, 7, 27, 22, 28, 28, 123, TimeSpan.Zero), "CREATE_FAILED", "Resource creation cancelled", "exec-1"),
                new StackEvent("Event-1-Id", "MyStack", "MyStack", "MyStack_One", "AWS::CloudFormation::Stack",
                    new DateTimeOffset(2010, 7, 27, 22, 26, 28, TimeSpan.Zero), "CREATE_IN_PROGRESS", "User initiated", null),
            ],
            page.Events);
    }

    [Fact]
    public void ResponseWithEmptyResult_ParsesToAnEmptyResult()
    {
        var result = Result("""
            <DeleteChangeSetResponse xmlns="http://cloudformation.amazonaws.com/doc/2010-05-15/">
              <DeleteChangeSetResult/>
              <ResponseMetadata><RequestId>r-1</RequestId></ResponseMetadata>
            </DeleteChangeSetResponse>
            """);

        Assert.Empty(result.Elements());
    }

    [Fact]
    public void ErrorResponse_BecomesAmazonCloudFormationException_WithCodeMessageAndRequestId()
    {
        const string xml = """
            <ErrorResponse xmlns="http://cloudformation.amazonaws.com/doc/2010-05-15/">
              <Error>
                <Type>Sender</Type>
                <Code>ValidationError</Code>
                <Message>Stack with id MyStack does not exist</Message>
              </Error>
              <RequestId>42d9b6e3-2a3c-11e5-8d9b-example</RequestId>
            </ErrorResponse>
            """;
        using var context = new XmlUnmarshallerContext(new MemoryStream(Encoding.UTF8.GetBytes(xml)), false, null, true);

        var error = CloudFormationResponseUnmarshaller.Instance.UnmarshallException(context, null!, HttpStatusCode.BadRequest);

        var cfn = Assert.IsType<AmazonCloudFormationException>(error);
        Assert.Equal("ValidationError", cfn.ErrorCode);
        Assert.Equal("Stack with id MyStack does not exist", cfn.Message);
        Assert.Equal("42d9b6e3-2a3c-11e5-8d9b-example", cfn.RequestId);
        Assert.Equal(ErrorType.Sender, cfn.ErrorType);
        Assert.Equal(HttpStatusCode.BadRequest, cfn.StatusCode);
        Assert.True(CloudFormationClient.IsStackNotFound(cfn));
    }

    [Theory]
    [InlineData("ValidationError", "Stack with id app does not exist", true)]
    // AWS's waiters match the ValidationError code; the message's form varies (a stack id, a final period).
    [InlineData("ValidationError", "Stack with id arn:aws:cloudformation:us-east-1:1:stack/app/x does not exist.", true)]
    [InlineData("ValidationError", "Stack [app] does not exist", true)]
    [InlineData("ValidationError", "1 validation error detected: Value 'app!' at 'stackName' failed to satisfy constraint", false)]
    [InlineData("ValidationError", "Stack:arn:aws:cloudformation:us-east-1:1:stack/app/x is in UPDATE_IN_PROGRESS state and can not be updated.", false)]
    [InlineData("ChangeSetNotFound", "ChangeSet [kit-1] does not exist", false)]
    public void IsStackNotFound_MatchesOnlyTheMissingStackError(string code, string message, bool expected)
        => Assert.Equal(expected, CloudFormationClient.IsStackNotFound(
            new AmazonCloudFormationException(message, null, ErrorType.Sender, code, "r", HttpStatusCode.BadRequest)));
}
