using System.Text.Json.Nodes;
using PipelineKit.Configuration;
using PipelineKit.Naming;
using PipelineKit.Pipeline.Parts;
using static PipelineKit.Tests.Pipeline.PipelineSynthesizerTests;

namespace PipelineKit.Tests.Pipeline;

/// <summary>The security gate before each execution: where it stands, what its approval says, what its role may do.</summary>
[Collection(SynthesizedPipelinesCollection.Name)]
public sealed class SecurityGateTests(PipelineTemplates templates)
{
    [Theory]
    [MemberData(nameof(PipelineTemplates.Names), MemberType = typeof(PipelineTemplates))]
    public void EveryGatedEnvironment_HasItsCheckAndApprovalTogether_AfterTheChangeSetAndBeforeItsExecution(string name)
    {
        var synthesized = templates[name];

        foreach (var environment in synthesized.Config.Environments)
        {
            var actions = DeployActions(synthesized, environment).ToDictionary(a => Kind((string)a["Name"]!), a => (int)a["RunOrder"]!);
            if (!environment.HasSecurityCheck)
            {
                Assert.DoesNotContain("SecurityCheck", actions.Keys);
                Assert.DoesNotContain("SecurityApproval", actions.Keys);
                continue;
            }

            Assert.Equal(2, actions["SecurityCheck"]);
            Assert.Equal(2, actions["SecurityApproval"]);
            Assert.True(actions["CreateChangeSet"] < actions["SecurityCheck"]);
            Assert.True(actions["SecurityApproval"] < actions["ExecuteChangeSet"]);
            if (actions.TryGetValue("Approve", out var approve))
            {
                Assert.True(actions["SecurityApproval"] < approve && approve < actions["ExecuteChangeSet"]);
            }
        }
    }

    [Fact]
    public void NeverGated_HasNoCheck_AlwaysAndBroadening_Have()
    {
        var six = templates[PipelineTemplates.Six];
        var names = six.Stages.SelectMany(s => s!["Actions"]!.AsArray()).Select(a => (string)a!["Name"]!).ToHashSet();

        Assert.DoesNotContain("SecurityCheck-dev", names);
        Assert.Contains("SecurityCheck-prod-eu", names);
        Assert.Contains("SecurityApproval-qa", names);
        Assert.Equal(
            "Change set of stack six-prod-eu-app (444444444444/eu-west-1) needs a security review: the diff is in the notification from SecurityCheck-prod-eu and in its log.",
            (string?)Action(six, "SecurityApproval-prod-eu")["Configuration"]!["CustomData"]);
        Assert.Equal(
            "Change set of stack six-qa-app (222222222222/us-west-2) widens permissions: the diff is in the notification from SecurityCheck-qa and in its log.",
            (string?)Action(six, "SecurityApproval-qa")["Configuration"]!["CustomData"]);
    }

    [Fact]
    public void Check_RunsTheSecurityCheckProject_OnTheSource_AndExportsItsSummary()
    {
        var six = templates[PipelineTemplates.Six];

        var check = Action(six, "SecurityCheck-prod-us");
        Assert.Equal("CodeBuild", Provider(check));
        Assert.Equal("six-security-check", (string?)check["Configuration"]!["ProjectName"]);
        Assert.Equal("SecurityCheck_prod_us", (string?)check["Namespace"]);
        Assert.Equal("Source", (string?)check["InputArtifacts"]![0]!["Name"]);
        var variables = JsonNode.Parse((string)check["Configuration"]!["EnvironmentVariables"]!)!.AsArray()
            .ToDictionary(v => (string)v!["name"]!, v => v!["value"]!.ToJsonString());
        Assert.Equal("\"prod-us\"", variables["KIT_ENVIRONMENT"]);
        Assert.Equal("\"#{codepipeline.PipelineExecutionId}\"", variables["PIPELINE_EXECUTION_ID"]);
        Assert.Contains("#{SecurityCheck_prod_us.SUMMARY}", (string?)Action(six, "Approve-prod-us")["Configuration"]!["CustomData"]);
    }

    [Fact]
    public void ApprovalMessage_WithTheLongestNamesAndTheLongestSummary_FitsCodePipelinesCustomData()
    {
        var config = PipelineTemplates.ConfigFor(PipelineTemplates.Six) with { Name = new string('n', 20) };
        var environment = new EnvironmentSettings(new string('e', 20), "123456789012", "ap-southeast-2");

        var message = Approvals.ApprovalMessageWithSecuritySummary(config, environment);
        var resolved = message.Replace(SecurityGate.SummaryReference(environment), new string('s', PipelineKit.Planning.SecurityChanges.SummaryMaxLength), StringComparison.Ordinal);

        Assert.True(resolved.Length <= 500, $"{resolved.Length} characters");
        Assert.True(SecurityGate.ApprovalMessage(config, environment with { SecurityApproval = SecurityApproval.Always }).Length <= 500);
    }

    [Theory]
    [MemberData(nameof(PipelineTemplates.Names), MemberType = typeof(PipelineTemplates))]
    public void CheckRole_MayApproveOnlyTheSecurityApprovals_ReadOnlyThroughTheReaders_AndWriteNoIam(string name)
    {
        var synthesized = templates[name];
        var config = synthesized.Config;
        var pipelineArn = $"arn:aws:codepipeline:{config.Build.Region}:{config.Build.Account}:{config.Name}-pipeline";
        var gated = config.DeployStages.SelectMany(s => s.Environments.Where(e => e.HasSecurityCheck).Select(e => (s.Name, e))).ToList();

        var statements = Statements(synthesized, KitNames.SecurityCheckPolicy(config.Name));
        Assert.Equal(
            gated.Select(g => $"{pipelineArn}/{g.Name}/SecurityApproval-{g.e.Name}").Order(StringComparer.Ordinal),
            Values(statements.Single(s => Values(s["Action"]).Contains("codepipeline:PutApprovalResult"))["Resource"]).Order(StringComparer.Ordinal));
        Assert.Equal(
            gated.Select(g => $"arn:aws:iam::{g.e.Account}:role/{config.Name}-change-set-reader").Distinct().Order(StringComparer.Ordinal),
            Values(statements.Single(s => Values(s["Action"]).Contains("sts:AssumeRole"))["Resource"]).Order(StringComparer.Ordinal));
        Assert.DoesNotContain(statements.SelectMany(s => Values(s["Action"])), a => a.StartsWith("iam:", StringComparison.Ordinal) || a.Contains('*', StringComparison.Ordinal) && !a.StartsWith("kms:GenerateDataKey", StringComparison.Ordinal));

        var role = synthesized.Resources("AWS::IAM::Role").Single(r => (string?)r.Resource["Properties"]!["RoleName"] == $"{config.Name}-pipeline-security-check");
        var trust = role.Resource["Properties"]!["AssumeRolePolicyDocument"]!["Statement"]![0]!;
        Assert.Equal("codebuild.amazonaws.com", (string?)trust["Principal"]!["Service"]);
        Assert.Equal($"arn:aws:codebuild:{config.Build.Region}:{config.Build.Account}:project/{config.Name}-security-check",
            (string?)trust["Condition"]!["ArnLike"]!["aws:SourceArn"]);
    }

    private static string Kind(string actionName) =>
        new[] { "CreateChangeSet", "SecurityCheck", "SecurityApproval", "Approve", "ExecuteChangeSet", "SmokeTest" }.First(k => actionName.StartsWith(k, StringComparison.Ordinal));

    private static JsonObject Action(SynthesizedCase synthesized, string name) =>
        synthesized.Stages.SelectMany(s => s!["Actions"]!.AsArray()).Single(a => (string)a!["Name"]! == name)!.AsObject();

    private static List<JsonObject> Statements(SynthesizedCase synthesized, string policyName) =>
        synthesized.Resources("AWS::IAM::Policy")
            .Single(p => (string?)p.Resource["Properties"]!["PolicyName"] == policyName)
            .Resource["Properties"]!["PolicyDocument"]!["Statement"]!.AsArray().Select(s => s!.AsObject()).ToList();
}
