namespace PipelineKit.Tests.Aws;

using System.Net;
using Amazon.Runtime;
using PipelineKit.Aws;

/// <summary>The CloudFormation client's stack set operations on the wire, as the API reference names their parameters
/// (https://docs.aws.amazon.com/AWSCloudFormation/latest/APIReference/API_CreateStackSet.html, CreateStackInstances,
/// DescribeStackSet).</summary>
public sealed class CloudFormationStackSetTransportTests
{
    private const string Ns = "http://cloudformation.amazonaws.com/doc/2010-05-15/";

    private readonly ScriptedTransport transport = new("text/xml");
    private readonly AwsCallLog callLog = new();
    private readonly AwsClientFactory factory;

    public CloudFormationStackSetTransportTests() => factory = transport.Clients("https://cfn.test", callLog);

    private ICloudFormationStackSets Client => factory.CloudFormationStackSets(new BasicAWSCredentials("AKIDEXAMPLE", "secret"), "us-east-1");

    [Fact]
    public async Task CreateStackSet_IsServiceManaged_WithAutomaticDeployment_AndCallAs()
    {
        transport.Respond(HttpStatusCode.OK, $"<CreateStackSetResponse xmlns=\"{Ns}\"><CreateStackSetResult><StackSetId>s:1</StackSetId></CreateStackSetResult></CreateStackSetResponse>");

        await Client.CreateStackSetAsync(new StackSetRequest("roles", "Resources: {}", new Dictionary<string, string> { ["PipelineName"] = "hello" },
            new Dictionary<string, string> { ["pipelinekit:pipeline"] = "hello" }, ["CAPABILITY_NAMED_IAM"], "DELEGATED_ADMIN", "roles"));

        var form = Assert.Single(transport.Requests).Form;
        Assert.Equal("CreateStackSet", form["Action"]);
        Assert.Equal("SERVICE_MANAGED", form["PermissionModel"]);
        Assert.Equal("true", form["AutoDeployment.Enabled"]);
        Assert.Equal("false", form["AutoDeployment.RetainStacksOnAccountRemoval"]);
        Assert.Equal("DELEGATED_ADMIN", form["CallAs"]);
        Assert.Equal("PipelineName", form["Parameters.member.1.ParameterKey"]);
        Assert.Equal("CAPABILITY_NAMED_IAM", form["Capabilities.member.1"]);
        Assert.Equal("pipelinekit:pipeline", form["Tags.member.1.Key"]);
        Assert.Single(callLog.MutatingCalls);
    }

    [Fact]
    public async Task CreateStackInstances_TargetsTheUnits_InTheRegions()
    {
        transport.Respond(HttpStatusCode.OK, $"<CreateStackInstancesResponse xmlns=\"{Ns}\"><CreateStackInstancesResult><OperationId>op-1</OperationId></CreateStackInstancesResult></CreateStackInstancesResponse>");

        var id = await Client.CreateStackInstancesAsync("roles", ["ou-ab12-cd34ef56"], ["us-east-1"], "SELF", "op-1");

        Assert.Equal("op-1", id);
        var form = Assert.Single(transport.Requests).Form;
        Assert.Equal("ou-ab12-cd34ef56", form["DeploymentTargets.OrganizationalUnitIds.member.1"]);
        Assert.Equal("us-east-1", form["Regions.member.1"]);
        Assert.Equal("op-1", form["OperationId"]);
    }

    [Fact]
    public async Task DescribeStackSet_ReadsAutoDeployment_OrNullForAMissingSet()
    {
        transport.Respond(HttpStatusCode.OK,
            $"<DescribeStackSetResponse xmlns=\"{Ns}\"><DescribeStackSetResult><StackSet><StackSetName>roles</StackSetName><Status>ACTIVE</Status>" +
            "<TemplateBody>Resources: {}</TemplateBody><Parameters><member><ParameterKey>PipelineName</ParameterKey><ParameterValue>hello</ParameterValue></member></Parameters>" +
            "<PermissionModel>SERVICE_MANAGED</PermissionModel><AutoDeployment><Enabled>true</Enabled><RetainStacksOnAccountRemoval>false</RetainStacksOnAccountRemoval></AutoDeployment>" +
            "</StackSet></DescribeStackSetResult></DescribeStackSetResponse>");
        transport.Respond(HttpStatusCode.BadRequest,
            $"<ErrorResponse xmlns=\"{Ns}\"><Error><Type>Sender</Type><Code>StackSetNotFoundException</Code><Message>StackSet roles not found</Message></Error><RequestId>r</RequestId></ErrorResponse>");

        var set = await Client.DescribeStackSetAsync("roles", "SELF");

        Assert.Equal(StackSetAutoDeployment.Kit, set!.AutoDeployment);
        Assert.Equal("hello", set.Parameters["PipelineName"]);
        Assert.Null(await Client.DescribeStackSetAsync("roles", "SELF"));
    }

    [Fact]
    public async Task DeleteStackInstances_TargetsTheUnits_AndDeletesTheirStacks()
    {
        transport.Respond(HttpStatusCode.OK, $"<DeleteStackInstancesResponse xmlns=\"{Ns}\"><DeleteStackInstancesResult><OperationId>op-2</OperationId></DeleteStackInstancesResult></DeleteStackInstancesResponse>");

        var id = await Client.DeleteStackInstancesAsync("roles", ["ou-ab12-cd34ef56"], ["us-east-1"], "DELEGATED_ADMIN", "op-2");

        Assert.Equal("op-2", id);
        var form = Assert.Single(transport.Requests).Form;
        Assert.Equal("DeleteStackInstances", form["Action"]);
        Assert.Equal("ou-ab12-cd34ef56", form["DeploymentTargets.OrganizationalUnitIds.member.1"]);
        Assert.Equal("us-east-1", form["Regions.member.1"]);
        Assert.Equal("false", form["RetainStacks"]);
        Assert.Equal("DELEGATED_ADMIN", form["CallAs"]);
        Assert.Single(callLog.MutatingCalls);
    }

    [Fact]
    public async Task ListStackSets_AsksForActiveOnes_AndReadsEveryPage()
    {
        transport.Respond(HttpStatusCode.OK,
            $"<ListStackSetsResponse xmlns=\"{Ns}\"><ListStackSetsResult><Summaries><member><StackSetName>a</StackSetName><Status>ACTIVE</Status>" +
            "<PermissionModel>SERVICE_MANAGED</PermissionModel></member></Summaries><NextToken>t2</NextToken></ListStackSetsResult></ListStackSetsResponse>");
        transport.Respond(HttpStatusCode.OK,
            $"<ListStackSetsResponse xmlns=\"{Ns}\"><ListStackSetsResult><Summaries><member><StackSetName>b</StackSetName><Status>ACTIVE</Status>" +
            "</member></Summaries></ListStackSetsResult></ListStackSetsResponse>");

        var sets = await Client.ListStackSetsAsync("SELF");

        Assert.Equal([new StackSetSummary("a", "ACTIVE", "SERVICE_MANAGED"), new StackSetSummary("b", "ACTIVE", null)], sets);
        Assert.Equal("ACTIVE", transport.Requests[0].Form["Status"]);
        Assert.Equal("t2", transport.Requests[1].Form["NextToken"]);
        Assert.Empty(callLog.MutatingCalls);
    }

    [Fact]
    public async Task DeleteStackSet_OfASetThatIsGone_IsNoError()
    {
        transport.Respond(HttpStatusCode.BadRequest,
            $"<ErrorResponse xmlns=\"{Ns}\"><Error><Type>Sender</Type><Code>StackSetNotFoundException</Code><Message>StackSet roles not found</Message></Error><RequestId>r</RequestId></ErrorResponse>");

        await Client.DeleteStackSetAsync("roles", "SELF");

        Assert.Equal("DeleteStackSet", Assert.Single(transport.Requests).Form["Action"]);
    }
}
