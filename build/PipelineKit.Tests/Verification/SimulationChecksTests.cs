namespace PipelineKit.Tests.Verification;

using System.Net;
using PipelineKit.Configuration;
using PipelineKit.Permissions;
using PipelineKit.Tests.Configuration;
using PipelineKit.Verification;

/// <summary>IAM's policy simulator against the kit's evaluator on the identity side: one simulation per role, resource
/// and context, every disagreement a failure naming both answers; none on an emulator.</summary>
public sealed class SimulationChecksTests : IDisposable
{
    private const string Ns = "https://iam.amazonaws.com/doc/2010-05-08/";
    private const string Role = "arn:aws:iam::222222222222:role/sandbox-pipeline-action";
    private const string Object = "arn:aws:s3:::sandbox-artifacts-123456789012-us-east-1/sandbox-pipeline/BuildOutpu/x";

    private static readonly PipelineConfig Sandbox = SandboxConfigs.Accounts();

    private readonly ScriptedVerifyContext scripted = new("text/xml");

    [Fact]
    public async Task ADisagreement_FailsNamingBothAnswers_WhileAnAgreementPasses()
    {
        scripted.Transport.Respond(HttpStatusCode.OK,
            $"<SimulatePrincipalPolicyResponse xmlns=\"{Ns}\"><SimulatePrincipalPolicyResult><EvaluationResults>" +
            "<member><EvalActionName>s3:GetObject</EvalActionName><EvalResourceName>x</EvalResourceName><EvalDecision>allowed</EvalDecision></member>" +
            "<member><EvalActionName>s3:PutObject</EvalActionName><EvalResourceName>x</EvalResourceName><EvalDecision>allowed</EvalDecision></member>" +
            "</EvaluationResults><IsTruncated>false</IsTruncated></SimulatePrincipalPolicyResult></SimulatePrincipalPolicyResponse>");

        var findings = await new SimulationChecks(scripted.For(Sandbox, emulated: false)).RunAsync(Deployed(), VerifyColumn.For(Sandbox), Reachable, default);

        Assert.Equal([CheckStatus.Pass, CheckStatus.Fail], findings.Select(f => f.Status));
        Assert.All(findings, f => Assert.Equal("222222222222", f.Account));
        Assert.StartsWith("IAM's policy simulator says allowed, the kit's evaluator denies (denied: no statement in the identity policies of role sandbox-pipeline-action allows s3:PutObject",
            findings[1].Reason, StringComparison.Ordinal);
        var form = Assert.Single(scripted.Transport.Requests).Form;
        Assert.Equal((Role, "s3:GetObject", "s3:PutObject", Object), (form["PolicySourceArn"], form["ActionNames.member.1"], form["ActionNames.member.2"], form["ResourceArns.member.1"]));
        Assert.Equal(("aws:SecureTransport", "boolean", "true"),
            (form["ContextEntries.member.1.ContextKeyName"], form["ContextEntries.member.1.ContextKeyType"], form["ContextEntries.member.1.ContextKeyValues.member.1"]));
    }

    [Fact]
    public async Task OnAnEmulator_EveryReachableAccountIsSkipped_WithoutACall()
    {
        var findings = await new SimulationChecks(scripted.For(Sandbox, emulated: true)).RunAsync(Deployed(), VerifyColumn.For(Sandbox), Reachable, default);

        Assert.Equal(["123456789012", "222222222222"], findings.Select(f => f.Account));
        Assert.All(findings, f => Assert.Equal((CheckStatus.Skip, SimulationChecks.NotOnEmulator), (f.Status, f.Reason)));
        Assert.Empty(scripted.Transport.Requests);
    }

    public void Dispose() => scripted.Dispose();

    private static HashSet<string> Reachable => ["123456789012", "222222222222"];

    /// <summary>The action role may only read: GetObject agrees with IAM's "allowed", PutObject does not.</summary>
    private static DeployedPipelinePermissions Deployed()
    {
        var role = new RoleSnapshot(Role, "222222222222",
            new NamedPolicyDocument("trust policy of role sandbox-pipeline-action", """{"Version":"2012-10-17","Statement":[]}"""),
            [new NamedPolicyDocument("role sandbox-pipeline-action inline policy read",
                """{"Version":"2012-10-17","Statement":[{"Sid":"Read","Effect":"Allow","Action":"s3:GetObject","Resource":"*"}]}""")],
            [], null);
        var permissions = new DeployedPermissions(new PolicySnapshot(
            new Dictionary<string, RoleSnapshot> { [Role] = role }, new Dictionary<string, NamedPolicyDocument>(), new Dictionary<string, NamedPolicyDocument>()));
        ScopedCall Call(string action) => new("dev", "us-east-1", new ExpectedCall(new AccessRequest(AccessPrincipal.Role(Role), action, Object, "123456789012",
            new Dictionary<string, IReadOnlyList<string>> { ["aws:SecureTransport"] = ["true"] }), MustDeny: false, "why", "https://docs.aws.amazon.com/"));
        return new DeployedPipelinePermissions(permissions, [Call("s3:GetObject"), Call("s3:PutObject")]);
    }
}
