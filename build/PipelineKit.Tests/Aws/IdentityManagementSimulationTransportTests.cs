namespace PipelineKit.Tests.Aws;

using System.Net;
using Amazon.Runtime;
using PipelineKit.Aws;

/// <summary>iam:SimulatePrincipalPolicy over a scripted HTTP transport: the Query parameters of the API reference
/// (https://docs.aws.amazon.com/IAM/latest/APIReference/API_SimulatePrincipalPolicy.html) and its paged results.</summary>
public sealed class IdentityManagementSimulationTransportTests
{
    private const string Ns = "https://iam.amazonaws.com/doc/2010-05-08/";
    private const string Role = "arn:aws:iam::222222222222:role/hello-pipeline-action";

    private readonly ScriptedTransport transport = new("text/xml");
    private readonly AwsCallLog callLog = new();
    private readonly AwsClientFactory factory;

    public IdentityManagementSimulationTransportTests() => factory = transport.Clients("https://iam.test", callLog);

    private IIdentityManagement Client => factory.Iam(new BasicAWSCredentials("AKIDEXAMPLE", "secret"));

    [Fact]
    public async Task Simulate_SendsActionsResourcesAndTypedContext_AndIsNotLoggedAsMutating()
    {
        transport.Respond(HttpStatusCode.OK, Page(Result("s3:GetObject", "allowed") + Result("kms:Decrypt", "implicitDeny"), marker: null));

        var decisions = await Client.SimulatePrincipalPolicyAsync(new PolicySimulationRequest(
            Role, ["s3:GetObject", "kms:Decrypt"], ["arn:aws:s3:::hello-artifacts-123456789012-us-east-1/x"],
            [new SimulationContextEntry("aws:SecureTransport", ["true"], "boolean"),
             new SimulationContextEntry("kms:ResourceAliases", ["alias/a", "alias/b"], "stringList")]));

        Assert.Equal(
            new Dictionary<string, string>
            {
                ["Action"] = "SimulatePrincipalPolicy", ["Version"] = "2010-05-08", ["PolicySourceArn"] = Role,
                ["ActionNames.member.1"] = "s3:GetObject", ["ActionNames.member.2"] = "kms:Decrypt",
                ["ResourceArns.member.1"] = "arn:aws:s3:::hello-artifacts-123456789012-us-east-1/x",
                ["ContextEntries.member.1.ContextKeyName"] = "aws:SecureTransport", ["ContextEntries.member.1.ContextKeyType"] = "boolean",
                ["ContextEntries.member.1.ContextKeyValues.member.1"] = "true",
                ["ContextEntries.member.2.ContextKeyName"] = "kms:ResourceAliases", ["ContextEntries.member.2.ContextKeyType"] = "stringList",
                ["ContextEntries.member.2.ContextKeyValues.member.1"] = "alias/a", ["ContextEntries.member.2.ContextKeyValues.member.2"] = "alias/b",
            },
            Assert.Single(transport.Requests).Form);
        Assert.Equal([(true, "s3:GetObject"), (false, "kms:Decrypt")], decisions.Select(d => (d.Allowed, d.Action)));
        Assert.Equal([new AwsCall("IAM", "SimulatePrincipalPolicy", "us-east-1")], callLog.Calls);
        Assert.Empty(callLog.MutatingCalls);
    }

    [Fact]
    public async Task Simulate_FollowsMarker_UntilNotTruncated()
    {
        transport.Respond(HttpStatusCode.OK, Page(Result("s3:GetObject", "allowed"), marker: "m2"));
        transport.Respond(HttpStatusCode.OK, Page(Result("s3:PutObject", "explicitDeny"), marker: null));

        var decisions = await Client.SimulatePrincipalPolicyAsync(new PolicySimulationRequest(Role, ["s3:GetObject", "s3:PutObject"], ["*"], []));

        Assert.Equal(["allowed", "explicitDeny"], decisions.Select(d => d.Decision));
        Assert.Equal("m2", transport.Requests[1].Form["Marker"]);
        Assert.Equal("s3:PutObject", transport.Requests[1].Form["ActionNames.member.2"]);
    }

    private static string Result(string action, string decision) =>
        $"<member><EvalActionName>{action}</EvalActionName><EvalResourceName>*</EvalResourceName><EvalDecision>{decision}</EvalDecision>" +
        "<MatchedStatements/><MissingContextValues/></member>";

    private static string Page(string members, string? marker) =>
        $"<SimulatePrincipalPolicyResponse xmlns=\"{Ns}\"><SimulatePrincipalPolicyResult><EvaluationResults>{members}</EvaluationResults>" +
        $"<IsTruncated>{(marker is null ? "false" : "true")}</IsTruncated>{(marker is null ? "" : $"<Marker>{marker}</Marker>")}" +
        "</SimulatePrincipalPolicyResult><ResponseMetadata><RequestId>r</RequestId></ResponseMetadata></SimulatePrincipalPolicyResponse>";
}
