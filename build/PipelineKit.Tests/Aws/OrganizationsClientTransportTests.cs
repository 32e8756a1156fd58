namespace PipelineKit.Tests.Aws;

using System.Net;
using Amazon.Runtime;
using PipelineKit.Aws;

/// <summary>The Organizations client over a scripted HTTP transport: awsJson1_1 with the AWSOrganizationsV20161128
/// target prefix, signed for us-east-1, every page of a list read.
/// https://docs.aws.amazon.com/organizations/latest/APIReference/API_ListAccountsForParent.html</summary>
public sealed class OrganizationsClientTransportTests
{
    private readonly ScriptedTransport transport = new("application/x-amz-json-1.1");
    private readonly AwsCallLog callLog = new();
    private readonly AwsClientFactory factory;

    public OrganizationsClientTransportTests() => factory = transport.Clients("https://organizations.test", callLog);

    private IOrganizations Client => factory.Organizations(new BasicAWSCredentials("AKIDEXAMPLE", "secret"));

    [Fact]
    public async Task ListAccountsForParent_FollowsNextToken_AndReadsEachAccountsStatus()
    {
        transport.Respond(HttpStatusCode.OK, """{"Accounts":[{"Id":"555555555555","Name":"a","Status":"ACTIVE"}],"NextToken":"page2"}""");
        transport.Respond(HttpStatusCode.OK, """{"Accounts":[{"Id":"666666666666","Name":"b","Status":"SUSPENDED"}]}""");

        var accounts = await Client.ListAccountsForParentAsync("ou-ab12-cd34ef56");

        Assert.Equal([new OrganizationAccount("555555555555", "a", "ACTIVE"), new OrganizationAccount("666666666666", "b", "SUSPENDED")], accounts);
        Assert.Equal("AWSOrganizationsV20161128.ListAccountsForParent", transport.Requests[0].Target);
        Assert.Equal("""{"ParentId":"ou-ab12-cd34ef56"}""", transport.Requests[0].Body);
        Assert.Equal("""{"ParentId":"ou-ab12-cd34ef56","NextToken":"page2"}""", transport.Requests[1].Body);
        Assert.Contains("/us-east-1/organizations/aws4_request", transport.Requests[0].Authorization);
        Assert.Equal(2, callLog.Calls.Count);
        Assert.Empty(callLog.MutatingCalls);
    }

    [Fact]
    public async Task ListOrganizationalUnitsForParent_OfAMissingParent_IsNull()
    {
        transport.Respond(HttpStatusCode.BadRequest, """{"__type":"ParentNotFoundException","Message":"We can't find a root or OU with the ParentId that you specified."}""");

        Assert.Null(await Client.ListOrganizationalUnitsForParentAsync("ou-ab12-cd34ef56"));
    }

    [Fact]
    public async Task DescribeOrganization_ReadsTheIdAndManagementAccount_OrNullOutsideAnOrganization()
    {
        transport.Respond(HttpStatusCode.OK, """{"Organization":{"Id":"o-a1b2c3d4e5","MasterAccountId":"123456789012","FeatureSet":"ALL"}}""");
        transport.Respond(HttpStatusCode.BadRequest, """{"__type":"AWSOrganizationsNotInUseException","Message":"Your account is not a member of an organization."}""");

        Assert.Equal(new OrganizationDescription("o-a1b2c3d4e5", "123456789012"), await Client.DescribeOrganizationAsync());
        Assert.Null(await Client.DescribeOrganizationAsync());
        Assert.Equal("{}", transport.Requests[0].Body);
    }

    [Fact]
    public async Task ListParents_ReadsTheParentsId()
    {
        transport.Respond(HttpStatusCode.OK, """{"Parents":[{"Id":"r-ab12","Type":"ROOT"}]}""");
        transport.Respond(HttpStatusCode.BadRequest, """{"__type":"ChildNotFoundException","Message":"We can't find an organizational unit (OU) or AWS account with the ChildId that you specified."}""");

        Assert.Equal("r-ab12", await Client.ParentOfAsync("ou-ab12-cd34ef56"));
        Assert.Null(await Client.ParentOfAsync("ou-ab12-00000000"));
        Assert.Equal("AWSOrganizationsV20161128.ListParents", transport.Requests[0].Target);
        Assert.Equal("""{"ChildId":"ou-ab12-cd34ef56"}""", transport.Requests[0].Body);
    }
}
