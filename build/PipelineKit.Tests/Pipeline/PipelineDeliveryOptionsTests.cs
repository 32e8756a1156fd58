using System.Text.Json.Nodes;
using Amazon.CDK.Assertions;
using PipelineKit.Configuration;
using PipelineKit.Naming;
using PipelineKit.Pipeline;
using PipelineKit.Pipeline.Parts;
using static PipelineKit.Tests.Pipeline.PipelineSynthesizerTests;

namespace PipelineKit.Tests.Pipeline;

/// <summary>Waves, approval details, the source types, self-update and Slack, over the shared synthesized templates:
/// "single" (CodeStar connection, self-update, Slack), "six" (three waves, CodeCommit), "sandbox" (S3, none of them).</summary>
[Collection(SynthesizedPipelinesCollection.Name)]
public sealed class PipelineDeliveryOptionsTests(PipelineTemplates templates)
{
    [Fact]
    public void Waves_DeployEachWaveInOneStage_ChangeSetsFirstThenSecurityGatesThenApprovalsThenExecutionsThenSmokeTests()
    {
        var synthesized = templates[PipelineTemplates.Six];

        var waves = synthesized.Stages.Where(s => ((string)s!["Name"]!).StartsWith("Deploy-", StringComparison.Ordinal)).ToArray();
        Assert.Equal(["Deploy-wave1", "Deploy-wave2", "Deploy-wave3"], waves.Select(s => (string)s!["Name"]!));
        var wave3 = waves[2]!["Actions"]!.AsArray()
            .Select(a => $"{(int)a!["RunOrder"]!}:{(string)a["Name"]!}")
            .Order(StringComparer.Ordinal);
        Assert.Equal(
            [
                "1:CreateChangeSet-prod-ap", "1:CreateChangeSet-prod-eu", "1:CreateChangeSet-prod-us",
                "2:SecurityApproval-prod-ap", "2:SecurityApproval-prod-eu", "2:SecurityApproval-prod-us",
                "2:SecurityCheck-prod-ap", "2:SecurityCheck-prod-eu", "2:SecurityCheck-prod-us",
                "3:Approve-prod-ap", "3:Approve-prod-us",
                "4:ExecuteChangeSet-prod-ap", "4:ExecuteChangeSet-prod-eu", "4:ExecuteChangeSet-prod-us",
                "5:SmokeTest-prod-ap", "5:SmokeTest-prod-eu", "5:SmokeTest-prod-us",
            ],
            wave3);
        // dev has no gate ("never"), qa has one.
        Assert.Equal(
            ["1:CreateChangeSet-dev", "1:CreateChangeSet-qa", "2:SecurityApproval-qa", "2:SecurityCheck-qa", "4:ExecuteChangeSet-dev", "4:ExecuteChangeSet-qa",
             "5:SmokeTest-dev", "5:SmokeTest-qa"],
            waves[0]!["Actions"]!.AsArray().Select(a => $"{(int)a!["RunOrder"]!}:{(string)a["Name"]!}").Order(StringComparer.Ordinal));
    }

    [Theory]
    [MemberData(nameof(PipelineTemplates.Names), MemberType = typeof(PipelineTemplates))]
    public void Approvals_NameTheChangeSetAndStack_AndLinkToTheChangeSetInItsRegionsConsole(string name)
    {
        var synthesized = templates[name];
        var config = synthesized.Config;

        foreach (var environment in config.Environments.Where(e => e.Approval))
        {
            var approval = OrdinaryApproval(synthesized, environment);
            var configuration = approval["Configuration"]!;
            // Behind a security gate the approval carries the check's summary, in CodePipeline's 500 characters.
            Assert.Equal(
                environment.HasSecurityCheck
                    ? $"Review {config.Name}-{environment.Name}-app ({environment.Account}/{environment.Region}). Security: #{{SecurityCheck_{environment.Name.Replace('-', '_')}.SUMMARY}}"
                    : $"Review change set {config.Name}-{environment.Name}-app-pipeline for stack {config.Name}-{environment.Name}-app in {environment.Account}/{environment.Region} before it is executed.",
                (string?)configuration["CustomData"]);
            Assert.Equal(
                $"https://{environment.Region}.console.aws.amazon.com/cloudformation/home?region={environment.Region}#/stacks/changesets/changes" +
                $"?stackId={config.Name}-{environment.Name}-app&changeSetId={config.Name}-{environment.Name}-app-pipeline",
                (string?)configuration["ExternalEntityLink"]);
        }
    }

    [Theory]
    [MemberData(nameof(PipelineTemplates.Names), MemberType = typeof(PipelineTemplates))]
    public void ApprovalTimeouts_AreOnExactlyTheApprovalsThatHaveOne(string name)
    {
        var synthesized = templates[name];

        foreach (var environment in synthesized.Config.Environments)
        {
            foreach (var action in DeployActions(synthesized, environment))
            {
                var expected = Provider(action) == "Manual" && ((string)action["Name"]!).StartsWith("Approve", StringComparison.Ordinal)
                    ? environment.ApprovalTimeoutMinutes
                    : null;
                Assert.Equal(expected, (int?)action["TimeoutInMinutes"]);
            }
        }
    }

    [Fact]
    public void ApprovalTimeouts_EnvironmentWinsOverThePipelineDefault()
    {
        var six = templates[PipelineTemplates.Six];

        var timeouts = six.Config.Environments.Where(e => e.Approval)
            .ToDictionary(e => e.Name, e => (int?)OrdinaryApproval(six, e)["TimeoutInMinutes"]);

        Assert.Equal(new Dictionary<string, int?> { ["staging"] = 720, ["prod-us"] = 60, ["prod-ap"] = 720 }, timeouts);
        Assert.Equal(240, (int?)OrdinaryApproval(templates[PipelineTemplates.Single], templates[PipelineTemplates.Single].Config.Environments[0])["TimeoutInMinutes"]);
    }

    [Fact]
    public void CodeStarConnectionSource_ReadsTheBranch_AndOnlyItsRoleMayUseOnlyThatConnection()
    {
        var synthesized = templates[PipelineTemplates.Single];
        var source = Assert.IsType<CodeStarConnectionSource>(synthesized.Config.Source);

        var action = Source(synthesized);
        Assert.Equal("CodeStarSourceConnection", Provider(action));
        Assert.Equal(source.ConnectionArn, (string?)action["Configuration"]!["ConnectionArn"]);
        Assert.Equal("solo-org/solo-service", (string?)action["Configuration"]!["FullRepositoryId"]);
        Assert.Equal("main", (string?)action["Configuration"]!["BranchName"]);

        var uses = Statements(synthesized).Where(s => Values(s.Statement["Action"]).Any(a => a.StartsWith("codestar-connections:", StringComparison.Ordinal))).ToArray();
        var use = Assert.Single(uses, s => Values(s.Statement["Action"]).Contains("codestar-connections:UseConnection"));
        Assert.Equal([source.ConnectionArn], Values(use.Statement["Resource"]));
        Assert.All(uses, s => Assert.Equal([source.ConnectionArn], Values(s.Statement["Resource"])));
    }

    [Fact]
    public void CodeCommitSource_IsReadThroughTheSourceAccountsRole_AndStartedByItsForwardedEvents()
    {
        var synthesized = templates[PipelineTemplates.Six];
        var source = Assert.IsType<CodeCommitSource>(synthesized.Config.Source);

        var action = Source(synthesized);
        Assert.Equal("CodeCommit", Provider(action));
        Assert.Equal(source.RoleArn, (string?)action["RoleArn"]);
        Assert.Equal("six-service", (string?)action["Configuration"]!["RepositoryName"]);
        Assert.Equal("main", (string?)action["Configuration"]!["BranchName"]);
        Assert.False((bool)action["Configuration"]!["PollForSourceChanges"]!);
        Assert.Contains(Statements(synthesized), s =>
            Values(s.Statement["Action"]).Contains("sts:AssumeRole") && Values(s.Statement["Resource"]).Contains(source.RoleArn));

        // The branch's changes from the source account start this pipeline, as a role that may start it and nothing else.
        var (_, rule) = Assert.Single(synthesized.Resources("AWS::Events::Rule"),
            r => (string?)r.Resource["Properties"]!["Name"] == "six-pipeline-source-changed");
        var properties = rule["Properties"]!;
        Assert.Equal(
            """{"source":["aws.codecommit"],"detail-type":["CodeCommit Repository State Change"],"account":["999999999999"],"resources":["arn:aws:codecommit:us-east-1:999999999999:six-service"],"detail":{"event":["referenceCreated","referenceUpdated"],"referenceType":["branch"],"referenceName":["main"]}}""",
            properties["EventPattern"]!.ToJsonString());
        var target = Assert.Single(properties["Targets"]!.AsArray())!;
        Assert.Equal("arn:aws:codepipeline:us-east-1:123456789012:six-pipeline", (string?)target["Arn"]);
        var (roleId, role) = Assert.Single(synthesized.Resources("AWS::IAM::Role"),
            r => (string?)r.Resource["Properties"]!["RoleName"] == "six-pipeline-source-changed");
        Assert.Equal(roleId, (string?)target["RoleArn"]!["Fn::GetAtt"]![0]);
        var statement = Assert.Single(role["Properties"]!["Policies"]!.AsArray().SelectMany(p => p!["PolicyDocument"]!["Statement"]!.AsArray()))!;
        Assert.Equal("codepipeline:StartPipelineExecution", (string?)statement["Action"]);
        Assert.Equal("arn:aws:codepipeline:us-east-1:123456789012:six-pipeline", (string?)statement["Resource"]);
        var trust = Assert.Single(role["Properties"]!["AssumeRolePolicyDocument"]!["Statement"]!.AsArray())!;
        Assert.Equal("events.amazonaws.com", (string?)trust["Principal"]!["Service"]);
        Assert.Equal("arn:aws:events:us-east-1:123456789012:rule/six-pipeline-source-changed", (string?)trust["Condition"]!["ArnLike"]!["aws:SourceArn"]);
    }

    [Fact]
    public void SelfUpdate_RunsThePipelineBuildspec_AfterBuildAndBeforeTheFirstDeploy()
    {
        var synthesized = templates[PipelineTemplates.Single];

        var stage = synthesized.Stages[2]!;
        Assert.Equal("UpdatePipeline", (string?)stage["Name"]);
        var action = stage["Actions"]![0]!;
        Assert.Equal("CodeBuild", Provider(action));
        Assert.Equal("solo-pipeline-update", (string?)action["Configuration"]!["ProjectName"]);
        Assert.Equal("Source", (string?)action["InputArtifacts"]![0]!["Name"]);
        synthesized.Check(template =>
        {
            template.HasResourceProperties("AWS::CodeBuild::Project", new Dictionary<string, object>
            {
                ["Name"] = "solo-pipeline-update",
                ["Source"] = Match.ObjectLike(new Dictionary<string, object> { ["BuildSpec"] = SelfUpdateStage.BuildSpecPath }),
            });
            template.HasResourceProperties("AWS::IAM::Role", new Dictionary<string, object> { ["RoleName"] = "solo-pipeline-update" });
            template.HasResourceProperties("AWS::CodePipeline::Pipeline", new Dictionary<string, object> { ["RestartExecutionOnUpdate"] = true });
        });
        foreach (var other in new[] { PipelineTemplates.Six, PipelineTemplates.Sandbox })
        {
            Assert.DoesNotContain(templates[other].Stages, s => (string)s!["Name"]! == "UpdatePipeline");
            // The build project, the security check's and the smoke test's.
            templates[other].Check(template => template.ResourceCountIs("AWS::CodeBuild::Project", 3));
        }
    }

    [Fact]
    public void SelfUpdateRole_HoldsNoIamOrKmsWrite_AndChangesThePipelineStackOnlyThroughItsExecutionRole()
    {
        var synthesized = templates[PipelineTemplates.Single];
        var statements = UpdatePolicy(synthesized);
        const string account = "123456789012";

        var cloudFormation = statements.Where(s => Values(s["Action"]).Any(a => a.StartsWith("cloudformation:", StringComparison.Ordinal))).ToArray();
        var writes = cloudFormation.Where(s => Values(s["Action"]).Any(a => a != "cloudformation:DescribeStacks")).ToArray();
        Assert.All(writes, s => Assert.Equal([$"arn:aws:cloudformation:eu-central-1:{account}:stack/solo-pipeline/*"], Values(s["Resource"])));
        var create = Assert.Single(cloudFormation, s => Values(s["Action"]).Contains("cloudformation:CreateChangeSet"));
        Assert.Equal($"arn:aws:iam::{account}:role/solo-pipeline-cfn-execution", (string?)create["Condition"]!["ArnEquals"]!["cloudformation:RoleArn"]);
        Assert.Contains(cloudFormation, s => Values(s["Resource"]).SequenceEqual(
            [$"arn:aws:cloudformation:*:{account}:stack/pipelinekit-solo-primary/*", $"arn:aws:cloudformation:*:{account}:stack/pipelinekit-solo-regional/*"]));

        // The build container may hand CloudFormation its execution role and nothing else of IAM; no KMS at all.
        var iam = statements.SelectMany(s => Values(s["Action"]).Select(a => (Action: a, Statement: s)))
            .Where(p => p.Action.StartsWith("iam:", StringComparison.Ordinal)).ToArray();
        var pass = Assert.Single(iam);
        Assert.Equal("iam:PassRole", pass.Action);
        Assert.Equal([$"arn:aws:iam::{account}:role/solo-pipeline-cfn-execution"], Values(pass.Statement["Resource"]));
        Assert.Equal("cloudformation.amazonaws.com", (string?)pass.Statement["Condition"]!["StringEquals"]!["iam:PassedToService"]);
        Assert.DoesNotContain(statements.SelectMany(s => Values(s["Action"])), a =>
            a.StartsWith("kms:", StringComparison.Ordinal) && a is not ("kms:Decrypt" or "kms:DescribeKey" or "kms:Encrypt" or "kms:ReEncrypt*" or "kms:GenerateDataKey*"));
        Assert.DoesNotContain(statements, s => Values(s["Resource"]).Contains("*"));
        Assert.DoesNotContain(statements.SelectMany(s => Values(s["Action"])), a => a == "*" || a.EndsWith(":*", StringComparison.Ordinal));
    }

    [Fact]
    public void Slack_ChannelReceivesTheTopic_ThroughARoleWithoutPermissions_AndAGuardrailThatDeniesAll()
    {
        var synthesized = templates[PipelineTemplates.Single];

        var (channelId, channel) = synthesized.Resources("AWS::Chatbot::SlackChannelConfiguration").Single();
        var properties = channel["Properties"]!;
        Assert.Equal("T0123ABCD", (string?)properties["SlackWorkspaceId"]);
        Assert.Equal("C0123ABCD", (string?)properties["SlackChannelId"]);
        Assert.Equal([SlackChannel.GuardrailPolicyArn("aws")], Values(properties["GuardrailPolicies"]));
        var topicId = synthesized.Resources("AWS::SNS::Topic").Single().LogicalId;
        Assert.Equal(topicId, (string?)properties["SnsTopicArns"]![0]!["Ref"]);

        var roleId = (string)properties["IamRoleArn"]!["Fn::GetAtt"]![0]!;
        var role = synthesized.Json["Resources"]![roleId]!["Properties"]!;
        Assert.Equal("solo-chatbot", (string?)role["RoleName"]);
        Assert.Equal("chatbot.amazonaws.com", (string?)role["AssumeRolePolicyDocument"]!["Statement"]![0]!["Principal"]!["Service"]);
        Assert.Null(role["Policies"]);
        Assert.Null(role["ManagedPolicyArns"]);
        Assert.DoesNotContain(synthesized.Resources("AWS::IAM::Policy"), p =>
            p.Resource["Properties"]!["Roles"]!.AsArray().Any(r => (string?)r!["Ref"] == roleId));

        var targets = synthesized.Resources("AWS::CodeStarNotifications::NotificationRule").Single().Resource["Properties"]!["Targets"]!.AsArray();
        Assert.Equal(["SNS", "AWSChatbotSlack"], targets.Select(t => (string)t!["TargetType"]!));
        Assert.Equal(channelId, (string?)targets[1]!["TargetAddress"]!["Ref"]);
        templates[PipelineTemplates.Six].Check(template => template.ResourceCountIs("AWS::Chatbot::SlackChannelConfiguration", 0));
    }

    private static JsonNode Source(SynthesizedCase synthesized) =>
        synthesized.Stages.Single(s => (string)s!["Name"]! == "Source")!["Actions"]![0]!;

    private static IEnumerable<(string Where, JsonNode Statement)> Statements(SynthesizedCase synthesized) =>
        synthesized.Resources("AWS::IAM::Policy")
            .SelectMany(p => p.Resource["Properties"]!["PolicyDocument"]!["Statement"]!.AsArray().Select(s => (p.LogicalId, s!)));

    private static JsonNode[] UpdatePolicy(SynthesizedCase synthesized) =>
        synthesized.Resources("AWS::IAM::Policy")
            .Where(p => (string?)p.Resource["Properties"]!["PolicyName"] == $"{synthesized.Config.Name}-pipeline-update")
            .SelectMany(p => p.Resource["Properties"]!["PolicyDocument"]!["Statement"]!.AsArray().Select(s => s!))
            .ToArray();
}
