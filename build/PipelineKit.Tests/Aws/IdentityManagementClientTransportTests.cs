namespace PipelineKit.Tests.Aws;

using System.Net;
using Amazon.Runtime;
using PipelineKit.Aws;

/// <summary>The IAM client over a scripted HTTP transport, answered with the response shapes of the IAM API reference.</summary>
public sealed class IdentityManagementClientTransportTests
{
    private const string Ns = "https://iam.amazonaws.com/doc/2010-05-08/";

    // {"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"codepipeline.amazonaws.com"},"Action":"sts:AssumeRole"}]}
    private const string EncodedTrust =
        "%7B%22Version%22%3A%222012-10-17%22%2C%22Statement%22%3A%5B%7B%22Effect%22%3A%22Allow%22%2C%22Principal%22%3A%7B%22Service%22%3A" +
        "%22codepipeline.amazonaws.com%22%7D%2C%22Action%22%3A%22sts%3AAssumeRole%22%7D%5D%7D";

    private const string Trust =
        "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":{\"Service\":\"codepipeline.amazonaws.com\"},\"Action\":\"sts:AssumeRole\"}]}";

    private readonly ScriptedTransport transport = new("text/xml");
    private readonly AwsCallLog callLog = new();
    private readonly AwsClientFactory factory;

    public IdentityManagementClientTransportTests() => factory = transport.Clients("https://iam.test", callLog);

    private IIdentityManagement Client => factory.Iam(new BasicAWSCredentials("AKIDEXAMPLE", "secret"));

    [Fact]
    public async Task Requests_AreFormPosts_SignedForIamInUsEast1()
    {
        transport.Respond(HttpStatusCode.OK, GetRoleResponse(boundary: null));

        await Client.GetRoleAsync("hello-pipeline-action");

        var sent = Assert.Single(transport.Requests);
        Assert.Equal(HttpMethod.Post, sent.Method);
        Assert.Equal("https://iam.test/", sent.Uri.ToString());
        Assert.StartsWith("application/x-www-form-urlencoded", sent.ContentType);
        Assert.Equal(
            new Dictionary<string, string> { ["Action"] = "GetRole", ["Version"] = "2010-05-08", ["RoleName"] = "hello-pipeline-action" },
            sent.Form);
        Assert.StartsWith("AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/", sent.Authorization);
        Assert.Contains("/us-east-1/iam/aws4_request", sent.Authorization);
        Assert.Equal([new AwsCall("IAM", "GetRole", "us-east-1")], callLog.Calls);
    }

    [Fact]
    public void WithoutEndpointSettings_TheGlobalEndpointIsUsed()
    {
        using var plain = new AwsClientFactory(new AwsEndpoints(_ => null), new AwsCallLog());

        var credentials = new BasicAWSCredentials("testing", "testing");
        var client = (IdentityManagementClient)plain.Iam(credentials);

        Assert.Equal("us-east-1", client.Config.RegionEndpoint.SystemName);
        Assert.Equal("iam", client.Config.AuthenticationServiceName);
        Assert.Equal("https://iam.amazonaws.com", client.Config.DetermineServiceOperationEndpoint(null!).URL);
        Assert.Same(client, plain.Iam(credentials));
    }

    [Theory]
    [InlineData("aws-us-gov", "us-gov-west-1", "https://iam.us-gov.amazonaws.com")]
    [InlineData("aws-cn", "cn-north-1", "https://iam.cn-north-1.amazonaws.com.cn")]
    public void InGovCloudAndChina_ThePartitionsGlobalEndpointIsUsed(string partition, string signingRegion, string url)
    {
        using var plain = new AwsClientFactory(new AwsEndpoints(_ => null), new AwsCallLog());
        var credentials = new BasicAWSCredentials("testing", "testing");

        var client = (IdentityManagementClient)plain.Iam(credentials, partition);

        Assert.Equal(signingRegion, client.Config.RegionEndpoint.SystemName);
        Assert.Equal(url, client.Config.DetermineServiceOperationEndpoint(null!).URL);
        Assert.NotSame(client, plain.Iam(credentials));
    }

    [Fact]
    public async Task GetRole_WithPermissionsBoundary_DecodesTheTrustPolicy()
    {
        transport.Respond(HttpStatusCode.OK, GetRoleResponse(boundary: "arn:aws:iam::123456789012:policy/kit-boundary"));

        var role = await Client.GetRoleAsync("hello-pipeline-action");

        Assert.Equal(
            new RoleDescription("hello-pipeline-action", "arn:aws:iam::123456789012:role/hello-pipeline-action", Trust,
                "arn:aws:iam::123456789012:policy/kit-boundary"),
            role);
    }

    [Fact]
    public async Task GetRole_WithoutPermissionsBoundary_HasNone()
    {
        transport.Respond(HttpStatusCode.OK, GetRoleResponse(boundary: null));

        var role = await Client.GetRoleAsync("hello-pipeline-action");

        Assert.NotNull(role);
        Assert.Null(role.PermissionsBoundaryArn);
        Assert.Equal(Trust, role.AssumeRolePolicyDocument);
    }

    [Fact]
    public async Task GetRole_NoSuchEntity_IsNull()
    {
        transport.Respond(HttpStatusCode.NotFound, Error("NoSuchEntity", "The role with name nobody cannot be found."));

        Assert.Null(await Client.GetRoleAsync("nobody"));
    }

    [Fact]
    public async Task OtherErrors_SurfaceWithCodeMessageStatusAndRequestId()
    {
        transport.Respond(HttpStatusCode.Forbidden, Error("AccessDenied", "User: arn:aws:sts::1:assumed-role/x/y is not authorized to perform: iam:GetRole"));

        var error = await Assert.ThrowsAsync<AmazonIdentityManagementServiceException>(() => Client.GetRoleAsync("hello-a"));

        Assert.Equal(("AccessDenied", HttpStatusCode.Forbidden, "req-9"), (error.ErrorCode, error.StatusCode, error.RequestId));
        Assert.StartsWith("User: arn:aws:sts::1:assumed-role/x/y is not authorized", error.Message);
    }

    [Fact]
    public async Task Throttling_IsRetriedBySdk_AndLoggedOnce()
    {
        transport.Respond(HttpStatusCode.BadRequest, Error("Throttling", "Rate exceeded"));
        transport.Respond(HttpStatusCode.OK, NamesPage(["only"], marker: null));

        Assert.Equal(["only"], await Client.ListRolePolicyNamesAsync("hello-a"));
        Assert.Equal(2, transport.Requests.Count);
        Assert.Equal([new AwsCall("IAM", "ListRolePolicies", "us-east-1")], callLog.Calls);
    }

    [Fact]
    public async Task ListRolePolicyNames_FollowsMarker_UntilNotTruncated()
    {
        transport.Respond(HttpStatusCode.OK, NamesPage(["pipeline-action", "read-artifacts"], marker: "page+2/=="));
        transport.Respond(HttpStatusCode.OK, NamesPage(["extra"], marker: null));

        var names = await Client.ListRolePolicyNamesAsync("hello-a");

        Assert.Equal(["pipeline-action", "read-artifacts", "extra"], names);
        Assert.False(transport.Requests[0].Form.ContainsKey("Marker"));
        Assert.Equal("page+2/==", transport.Requests[1].Form["Marker"]);
        Assert.Equal("hello-a", transport.Requests[1].Form["RoleName"]);
    }

    [Fact]
    public async Task ListAttachedRolePolicyArns_FollowsMarker()
    {
        transport.Respond(HttpStatusCode.OK, AttachedPage("arn:aws:iam::aws:policy/PowerUserAccess", marker: "m2"));
        transport.Respond(HttpStatusCode.OK, AttachedPage("arn:aws:iam::123456789012:policy/kit-extra", marker: null));

        var arns = await Client.ListAttachedRolePolicyArnsAsync("hello-a");

        Assert.Equal(["arn:aws:iam::aws:policy/PowerUserAccess", "arn:aws:iam::123456789012:policy/kit-extra"], arns);
        Assert.Equal(["ListAttachedRolePolicies", "ListAttachedRolePolicies"], transport.Requests.Select(r => r.Form["Action"]));
        Assert.Equal("m2", transport.Requests[1].Form["Marker"]);
    }

    [Fact]
    public async Task ListRoles_FollowsMarker_AndDecodesTrustPolicies()
    {
        transport.Respond(HttpStatusCode.OK, RolesPage("hello-a", marker: "m2"));
        transport.Respond(HttpStatusCode.OK, RolesPage("hello-b", marker: null));

        var roles = await Client.ListRolesAsync();

        Assert.Equal(["hello-a", "hello-b"], roles.Select(r => r.RoleName));
        Assert.All(roles, r => Assert.Equal(Trust, r.AssumeRolePolicyDocument));
        Assert.All(roles, r => Assert.Null(r.PermissionsBoundaryArn));
        Assert.Equal("m2", transport.Requests[1].Form["Marker"]);
    }

    [Fact]
    public async Task GetRolePolicyDocument_DecodesRfc3986()
    {
        // {"Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/a b+c%d"}]}
        transport.Respond(HttpStatusCode.OK,
            $"<GetRolePolicyResponse xmlns=\"{Ns}\"><GetRolePolicyResult><RoleName>hello-a</RoleName><PolicyName>p</PolicyName>" +
            "<PolicyDocument>%7B%22Statement%22%3A%5B%7B%22Effect%22%3A%22Allow%22%2C%22Action%22%3A%22s3%3AGetObject%22%2C" +
            "%22Resource%22%3A%22arn%3Aaws%3As3%3A%3A%3Ab%2Fa%20b%2Bc%25d%22%7D%5D%7D</PolicyDocument>" +
            "</GetRolePolicyResult><ResponseMetadata><RequestId>r</RequestId></ResponseMetadata></GetRolePolicyResponse>");

        var document = await Client.GetRolePolicyDocumentAsync("hello-a", "p");

        Assert.Equal("{\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"s3:GetObject\",\"Resource\":\"arn:aws:s3:::b/a b+c%d\"}]}", document);
        Assert.Equal("p", transport.Requests[0].Form["PolicyName"]);
    }

    [Fact]
    public async Task GetManagedPolicyDocument_ReadsTheDefaultVersion()
    {
        const string arn = "arn:aws:iam::aws:policy/PowerUserAccess";
        transport.Respond(HttpStatusCode.OK,
            $"<GetPolicyResponse xmlns=\"{Ns}\"><GetPolicyResult><Policy><PolicyName>PowerUserAccess</PolicyName>" +
            $"<DefaultVersionId>v5</DefaultVersionId><PolicyId>ANPAJYRXTHIB4FOVS3ZXS</PolicyId><Path>/</Path><Arn>{arn}</Arn>" +
            "<AttachmentCount>1</AttachmentCount><IsAttachable>true</IsAttachable></Policy></GetPolicyResult>" +
            "<ResponseMetadata><RequestId>r1</RequestId></ResponseMetadata></GetPolicyResponse>");
        transport.Respond(HttpStatusCode.OK,
            $"<GetPolicyVersionResponse xmlns=\"{Ns}\"><GetPolicyVersionResult><PolicyVersion>" +
            "<Document>%7B%22Version%22%3A%222012-10-17%22%2C%22Statement%22%3A%5B%7B%22Effect%22%3A%22Allow%22%2C%22NotAction%22%3A" +
            "%5B%22iam%3A%2A%22%5D%2C%22Resource%22%3A%22%2A%22%7D%5D%7D</Document>" +
            "<IsDefaultVersion>true</IsDefaultVersion><VersionId>v5</VersionId></PolicyVersion></GetPolicyVersionResult>" +
            "<ResponseMetadata><RequestId>r2</RequestId></ResponseMetadata></GetPolicyVersionResponse>");

        var document = await Client.GetManagedPolicyDocumentAsync(arn);

        Assert.Equal("{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"NotAction\":[\"iam:*\"],\"Resource\":\"*\"}]}", document);
        Assert.Equal(arn, transport.Requests[0].Form["PolicyArn"]);
        Assert.Equal(("GetPolicyVersion", arn, "v5"),
            (transport.Requests[1].Form["Action"], transport.Requests[1].Form["PolicyArn"], transport.Requests[1].Form["VersionId"]));
    }

    [Theory]
    [InlineData("{\"Resource\":\"arn:aws:s3:::b/100%\"}", "{\"Resource\":\"arn:aws:s3:::b/100%\"}")]
    [InlineData("%7B%22a%22%3A%22b%20c%22%7D", "{\"a\":\"b c\"}")]
    public void PolicyDocumentText_DecodesOnlyEncodedDocuments(string text, string expected)
        => Assert.Equal(expected, PolicyDocumentText.Decode(text));

    private static string GetRoleResponse(string? boundary) =>
        $"<GetRoleResponse xmlns=\"{Ns}\"><GetRoleResult><Role><Path>/</Path>" +
        "<Arn>arn:aws:iam::123456789012:role/hello-pipeline-action</Arn><RoleName>hello-pipeline-action</RoleName>" +
        $"<AssumeRolePolicyDocument>{EncodedTrust}</AssumeRolePolicyDocument><CreateDate>2024-05-08T23:34:01Z</CreateDate>" +
        "<RoleId>AROADBQP57FF2AEXAMPLE</RoleId><MaxSessionDuration>3600</MaxSessionDuration>" +
        (boundary is null
            ? string.Empty
            : $"<PermissionsBoundary><PermissionsBoundaryType>Policy</PermissionsBoundaryType><PermissionsBoundaryArn>{boundary}</PermissionsBoundaryArn></PermissionsBoundary>") +
        "<RoleLastUsed><LastUsedDate>2024-05-08T23:34:01Z</LastUsedDate><Region>us-east-1</Region></RoleLastUsed>" +
        "</Role></GetRoleResult><ResponseMetadata><RequestId>df37e965-9967-11e1-a4c3-270EXAMPLE04</RequestId></ResponseMetadata></GetRoleResponse>";

    private static string NamesPage(string[] names, string? marker) =>
        $"<ListRolePoliciesResponse xmlns=\"{Ns}\"><ListRolePoliciesResult><PolicyNames>" +
        string.Concat(names.Select(n => $"<member>{n}</member>")) + "</PolicyNames>" + Truncation(marker) +
        "</ListRolePoliciesResult><ResponseMetadata><RequestId>r</RequestId></ResponseMetadata></ListRolePoliciesResponse>";

    private static string AttachedPage(string arn, string? marker) =>
        $"<ListAttachedRolePoliciesResponse xmlns=\"{Ns}\"><ListAttachedRolePoliciesResult><AttachedPolicies><member>" +
        $"<PolicyName>{arn[(arn.LastIndexOf('/') + 1)..]}</PolicyName><PolicyArn>{arn}</PolicyArn></member></AttachedPolicies>" +
        Truncation(marker) +
        "</ListAttachedRolePoliciesResult><ResponseMetadata><RequestId>r</RequestId></ResponseMetadata></ListAttachedRolePoliciesResponse>";

    private static string RolesPage(string name, string? marker) =>
        $"<ListRolesResponse xmlns=\"{Ns}\"><ListRolesResult><Roles><member><Path>/</Path><RoleName>{name}</RoleName>" +
        $"<RoleId>AROA{name.ToUpperInvariant()}</RoleId><Arn>arn:aws:iam::123456789012:role/{name}</Arn>" +
        $"<CreateDate>2024-05-08T23:34:01Z</CreateDate><AssumeRolePolicyDocument>{EncodedTrust}</AssumeRolePolicyDocument>" +
        "<MaxSessionDuration>3600</MaxSessionDuration></member></Roles>" + Truncation(marker) +
        "</ListRolesResult><ResponseMetadata><RequestId>r</RequestId></ResponseMetadata></ListRolesResponse>";

    private static string Truncation(string? marker) => marker is null
        ? "<IsTruncated>false</IsTruncated>"
        : $"<IsTruncated>true</IsTruncated><Marker>{System.Security.SecurityElement.Escape(marker)}</Marker>";

    private static string Error(string code, string message) =>
        $"<ErrorResponse xmlns=\"{Ns}\"><Error><Type>Sender</Type><Code>{code}</Code><Message>{message}</Message></Error>" +
        "<RequestId>req-9</RequestId></ErrorResponse>";
}
