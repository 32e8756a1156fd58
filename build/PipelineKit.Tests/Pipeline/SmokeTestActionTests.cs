using System.Text.Json.Nodes;
using PipelineKit.Configuration;
using static PipelineKit.Tests.Pipeline.PipelineSynthesizerTests;

namespace PipelineKit.Tests.Pipeline;

/// <summary>The smoke test after each execution: where it stands, what it is given, what its role may do.</summary>
[Collection(SynthesizedPipelinesCollection.Name)]
public sealed class SmokeTestActionTests(PipelineTemplates templates)
{
    [Theory]
    [MemberData(nameof(PipelineTemplates.Names), MemberType = typeof(PipelineTemplates))]
    public void EveryEnvironment_IsSmokeTestedAfterItsExecution_InTheSameStage(string name)
    {
        var synthesized = templates[name];

        foreach (var environment in synthesized.Config.Environments)
        {
            var actions = DeployActions(synthesized, environment).ToList();
            var order = actions.ToDictionary(a => ((string)a["Name"]!).Split('-')[0], a => (int)a["RunOrder"]!);
            var smoke = actions.Single(a => (string)a["Name"]! == $"SmokeTest-{environment.Name}");
            Assert.Equal("CodeBuild", Provider(smoke));
            Assert.Equal($"{synthesized.Config.Name}-smoke-test", (string?)smoke["Configuration"]!["ProjectName"]);
            Assert.Equal("Source", (string?)smoke["InputArtifacts"]![0]!["Name"]);
            Assert.True(order["CreateChangeSet"] < order["ExecuteChangeSet"] && order["ExecuteChangeSet"] < order["SmokeTest"],
                $"{environment.Name}: {string.Join(", ", order.Select(o => $"{o.Key} {o.Value}"))}");
            if (order.TryGetValue("Approve", out var approve)) Assert.True(approve < order["ExecuteChangeSet"]);
            if (environment.HasSecurityCheck && !synthesized.Config.UsesWaves && !environment.Approval) Assert.Equal(4, order["SmokeTest"]);
        }
    }

    [Fact]
    public void InAWave_EveryExecutionComesBeforeAnySmokeTest()
    {
        var six = templates[PipelineTemplates.Six];

        foreach (var stage in six.Stages.Where(s => ((string)s!["Name"]!).StartsWith("Deploy-wave", StringComparison.Ordinal)))
        {
            var actions = stage!["Actions"]!.AsArray().Select(a => a!.AsObject()).ToList();
            var executions = actions.Where(a => ((string)a["Name"]!).StartsWith("ExecuteChangeSet-", StringComparison.Ordinal)).Select(a => (int)a["RunOrder"]!).ToList();
            var smokeTests = actions.Where(a => ((string)a["Name"]!).StartsWith("SmokeTest-", StringComparison.Ordinal)).Select(a => (int)a["RunOrder"]!).ToList();
            Assert.Equal(executions.Count, smokeTests.Count);
            Assert.True(executions.Max() < smokeTests.Min(), $"{stage["Name"]}: executions at {string.Join(",", executions)}, smoke tests at {string.Join(",", smokeTests)}");
        }
    }

    [Theory]
    [MemberData(nameof(PipelineTemplates.Names), MemberType = typeof(PipelineTemplates))]
    public void SmokeTest_GetsTheStacksOutputsThroughTheExecuteActionsVariables_AndTheSourceRevision(string name)
    {
        var synthesized = templates[name];
        var source = synthesized.Stages.Single(s => (string)s!["Name"]! == "Source")!["Actions"]![0]!;
        Assert.Equal("SourceVariables", (string?)source["Namespace"]);
        var revision = synthesized.Config.Source is S3Source ? "#{SourceVariables.VersionId}" : "#{SourceVariables.CommitId}";

        foreach (var environment in synthesized.Config.Environments)
        {
            var actions = DeployActions(synthesized, environment).ToList();
            var execute = actions.Single(a => ((string)a["Name"]!).StartsWith("ExecuteChangeSet", StringComparison.Ordinal));
            var space = $"Deploy_{environment.Name.Replace('-', '_')}";
            Assert.Equal(space, (string?)execute["Namespace"]);

            var smoke = actions.Single(a => (string)a["Name"]! == $"SmokeTest-{environment.Name}");
            var variables = JsonNode.Parse((string)smoke["Configuration"]!["EnvironmentVariables"]!)!.AsArray()
                .ToDictionary(v => (string)v!["name"]!, v => (string)v!["value"]!);
            Assert.Equal(environment.Name, variables["KIT_ENVIRONMENT"]);
            Assert.Equal($"#{{{space}.ApiUrl}}", variables["SMOKE_API_URL"]);
            Assert.Equal(revision, variables["SMOKE_EXPECTED_VERSION"]);
            Assert.Equal($"#{{{space}.AppVersion}}", variables["SMOKE_FUNCTION_ENV_APP_VERSION"]);
            Assert.Equal($"#{{{space}.EnvironmentName}}", variables["SMOKE_FUNCTION_ENV_ENVIRONMENT_NAME"]);
        }
    }

    [Theory]
    [MemberData(nameof(PipelineTemplates.Names), MemberType = typeof(PipelineTemplates))]
    public void SmokeTestRole_WritesLogsAndReadsTheSourceArtifact_AndReadsNoAccount(string name)
    {
        var synthesized = templates[name];
        var config = synthesized.Config;
        var role = synthesized.Resources("AWS::IAM::Role").Single(r => (string?)r.Resource["Properties"]!["RoleName"] == $"{config.Name}-pipeline-smoke-test");
        var trust = role.Resource["Properties"]!["AssumeRolePolicyDocument"]!["Statement"]![0]!;
        Assert.Equal("codebuild.amazonaws.com", (string?)trust["Principal"]!["Service"]);
        Assert.Null(role.Resource["Properties"]!["Policies"]);
        Assert.Null(role.Resource["Properties"]!["ManagedPolicyArns"]);

        var actions = synthesized.Resources("AWS::IAM::Policy")
            .Where(p => p.Resource["Properties"]!["Roles"]!.AsArray().Any(r => (string?)r!["Ref"] == role.LogicalId))
            .SelectMany(p => p.Resource["Properties"]!["PolicyDocument"]!["Statement"]!.AsArray())
            .SelectMany(s => Values(s!["Action"]))
            .Distinct()
            .ToList();
        Assert.Contains("logs:PutLogEvents", actions);
        Assert.Contains(actions, a => a.StartsWith("s3:GetObject", StringComparison.Ordinal));
        var allowedPrefixes = new[] { "logs:", "s3:GetObject", "s3:GetBucket", "s3:List", "kms:Decrypt", "kms:DescribeKey", "kms:Encrypt", "kms:ReEncrypt", "kms:GenerateDataKey", "codebuild:" };
        Assert.All(actions, a => Assert.True(allowedPrefixes.Any(p => a.StartsWith(p, StringComparison.Ordinal)), $"the smoke-test role may {a}"));
    }
}
