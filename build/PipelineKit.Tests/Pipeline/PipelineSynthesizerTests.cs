using System.Text.Json.Nodes;
using Amazon.CDK.Assertions;
using PipelineKit.Configuration;
using PipelineKit.Pipeline;
using PipelineKit.SampleApp;
using PipelineKit.Orchestration;
using PipelineKit.Tests.Configuration;

namespace PipelineKit.Tests.Pipeline;

[Collection(SynthesizedPipelinesCollection.Name)]
public sealed class PipelineSynthesizerTests(PipelineTemplates templates)
{
    [Theory]
    [MemberData(nameof(PipelineTemplates.Names), MemberType = typeof(PipelineTemplates))]
    public void Synthesize_WritesTheTemplateItReturns_WithoutBootstrapParametersRulesOrMetadata(string name)
    {
        var synthesized = templates[name];

        Assert.Equal($"{synthesized.Config.Name}-pipeline", synthesized.Pipeline.StackName);
        Assert.Equal(File.ReadAllText(synthesized.Pipeline.TemplatePath), synthesized.Pipeline.TemplateBody);
        Assert.Null(synthesized.Json["Parameters"]);
        Assert.Null(synthesized.Json["Rules"]);
        synthesized.Check(template =>
        {
            template.ResourceCountIs("AWS::CDK::Metadata", 0);
            template.ResourceCountIs("AWS::CodePipeline::Pipeline", 1);
            template.HasResourceProperties("AWS::CodePipeline::Pipeline", new Dictionary<string, object>
            {
                ["Name"] = $"{synthesized.Config.Name}-pipeline",
                ["PipelineType"] = "V2",
            });
        });
    }

    [Theory]
    [MemberData(nameof(PipelineTemplates.Names), MemberType = typeof(PipelineTemplates))]
    public void Stages_AreSourceBuildThenOneDeployStagePerEnvironmentOrWave_InPipelineOrder(string name)
    {
        var synthesized = templates[name];
        var config = synthesized.Config;

        var deploys = config.UsesWaves
            ? config.Environments.Select(e => $"Deploy-wave{e.Wave}").Distinct()
            : config.Environments.Select(e => $"Deploy-{e.Name}");
        var expected = new[] { "Source", "Build" }.Concat(config.SelfUpdate ? ["UpdatePipeline"] : []).Concat(deploys);
        Assert.Equal(expected, synthesized.Stages.Select(s => (string)s!["Name"]!));
    }

    [Theory]
    [MemberData(nameof(PipelineTemplates.Names), MemberType = typeof(PipelineTemplates))]
    public void DeployActions_RunInTheEnvironmentsRegion_WithThatAccountsRoles(string name)
    {
        var synthesized = templates[name];

        foreach (var environment in synthesized.Config.Environments)
        {
            var roles = synthesized.Outputs.TargetRoles[environment.Account];
            var cloudFormation = DeployActions(synthesized, environment).Where(a => Provider(a) == "CloudFormation").ToArray();
            Assert.Equal(["CHANGE_SET_REPLACE", "CHANGE_SET_EXECUTE"], cloudFormation.Select(a => (string)a["Configuration"]!["ActionMode"]!));
            foreach (var action in cloudFormation)
            {
                Assert.Equal(environment.Region, (string?)action["Region"]);
                Assert.Equal(roles.PipelineActionRoleArn, (string?)action["RoleArn"]);
                Assert.Equal($"{synthesized.Config.Name}-{environment.Name}-app", (string?)action["Configuration"]!["StackName"]);
            }

            var create = cloudFormation[0]["Configuration"]!;
            Assert.Equal(roles.ExecutionRoleArn, (string?)create["RoleArn"]);
            Assert.Equal("BuildOutput::sample-app/template.yaml", (string?)create["TemplatePath"]);
            Assert.Equal($"BuildOutput::sample-app/params-{environment.Name}.json", (string?)create["TemplateConfiguration"]);
            Assert.Equal((string?)create["ChangeSetName"], (string?)cloudFormation[1]["Configuration"]!["ChangeSetName"]);
        }
    }

    [Theory]
    [MemberData(nameof(PipelineTemplates.Names), MemberType = typeof(PipelineTemplates))]
    public void ApprovalActions_StandBetweenCreateAndExecute_ExactlyWhereConfigured(string name)
    {
        var synthesized = templates[name];

        foreach (var environment in synthesized.Config.Environments)
        {
            var sequence = DeployActions(synthesized, environment)
                .OrderBy(a => (int)a["RunOrder"]!)
                .Select(a => $"{(int)a["RunOrder"]!}:{Provider(a)}")
                .ToArray();
            // The wave's run orders leave room for the security gates of its other environments.
            var gatedStage = synthesized.Config.DeployStages.Single(s => s.Environments.Contains(environment)).Environments.Any(e => e.HasSecurityCheck);
            var approvalOrder = gatedStage ? 3 : 2;
            string[] gate = environment.HasSecurityCheck ? ["2:CodeBuild", "2:Manual"] : [];
            // The smoke test (CodeBuild) runs right after the execution.
            string[] expected = (environment.Approval, synthesized.Config.UsesWaves) switch
            {
                (true, _) => ["1:CloudFormation", .. gate, $"{approvalOrder}:Manual", $"{approvalOrder + 1}:CloudFormation", $"{approvalOrder + 2}:CodeBuild"],
                (false, true) => ["1:CloudFormation", .. gate, $"{approvalOrder + 1}:CloudFormation", $"{approvalOrder + 2}:CodeBuild"],
                (false, false) => ["1:CloudFormation", .. gate, $"{(environment.HasSecurityCheck ? 3 : 2)}:CloudFormation",
                    $"{(environment.HasSecurityCheck ? 4 : 3)}:CodeBuild"],
            };
            Assert.True(expected.SequenceEqual(sequence), $"{environment.Name}: expected {string.Join(", ", expected)}, got {string.Join(", ", sequence)}");
        }

        var approvals = synthesized.Stages.SelectMany(s => s!["Actions"]!.AsArray()).Count(a => Provider(a!) == "Manual");
        Assert.Equal(synthesized.Config.Environments.Count(e => e.Approval) + synthesized.Config.Environments.Count(e => e.HasSecurityCheck), approvals);
    }

    [Theory]
    [MemberData(nameof(PipelineTemplates.Names), MemberType = typeof(PipelineTemplates))]
    public void ArtifactStores_CoverEveryRegion_WithThatRegionsBucketAndKey(string name)
    {
        var synthesized = templates[name];
        var pipeline = synthesized.Resources("AWS::CodePipeline::Pipeline").Single().Resource["Properties"]!;

        Assert.Null(pipeline["ArtifactStore"]);
        var stores = pipeline["ArtifactStores"]!.AsArray()
            .ToDictionary(s => (string)s!["Region"]!, s => s!["ArtifactStore"]!);
        var regions = synthesized.Config.Environments.Select(e => e.Region).Append(synthesized.Config.Build.Region).Distinct();
        Assert.Equal(regions.Order(StringComparer.Ordinal), stores.Keys.Order(StringComparer.Ordinal));
        foreach (var (region, store) in stores)
        {
            var expected = synthesized.Outputs.ArtifactStores[region];
            Assert.Equal(expected.BucketName, (string?)store["Location"]);
            Assert.Equal("KMS", (string?)store["EncryptionKey"]!["Type"]);
            Assert.Equal(expected.KeyArn, (string?)store["EncryptionKey"]!["Id"]);
        }
    }

    [Theory]
    [MemberData(nameof(PipelineTemplates.Names), MemberType = typeof(PipelineTemplates))]
    public void IamStatements_NeverAllowEveryActionOnEveryResource(string name)
    {
        var synthesized = templates[name];
        var documents = synthesized.Resources("AWS::IAM::Policy")
            .Select(p => (Where: p.LogicalId, Document: p.Resource["Properties"]!["PolicyDocument"]!))
            .Concat(synthesized.Resources("AWS::IAM::Role").SelectMany(r =>
                (r.Resource["Properties"]!["Policies"]?.AsArray() ?? []).Select(p => (Where: r.LogicalId, Document: p!["PolicyDocument"]!))))
            .ToArray();
        Assert.NotEmpty(documents);

        foreach (var (where, document) in documents)
        {
            foreach (var statement in document["Statement"]!.AsArray().Select(s => s!))
            {
                Assert.Null(statement["NotAction"]);
                Assert.Null(statement["NotResource"]);
                var everyAction = Values(statement["Action"]).Contains("*");
                var everyResource = Values(statement["Resource"]).Contains("*");
                Assert.False(everyAction && everyResource, $"{where} allows every action on every resource: {statement.ToJsonString()}");
            }
        }
    }

    [Theory]
    [MemberData(nameof(PipelineTemplates.Names), MemberType = typeof(PipelineTemplates))]
    public void EveryRole_IsNamedWithThePipelinePrefix_SoTargetAccountsTrustIt(string name)
    {
        var synthesized = templates[name];

        synthesized.Check(template => template.AllResourcesProperties("AWS::IAM::Role", new Dictionary<string, object>
        {
            ["RoleName"] = Match.StringLikeRegexp($"^{synthesized.Config.Name}-"),
        }));
        Assert.All(synthesized.Resources("AWS::IAM::Role"), r =>
            Assert.StartsWith($"{synthesized.Config.Name}-", (string?)r.Resource["Properties"]!["RoleName"]));
    }

    [Theory]
    [MemberData(nameof(PipelineTemplates.Names), MemberType = typeof(PipelineTemplates))]
    public void NotificationTopic_IsEncryptedWithThePrimaryStacksKey_AndThePipelineStackOwnsNoKey(string name)
    {
        // The key lives in the primary stack (cloudformation/foundation.yaml, NotificationsKey, which lets CodeStar
        // Notifications use it through SNS): nothing the pipeline stack's roles, or its self-update, may change reaches a key.
        var synthesized = templates[name];

        var topic = synthesized.Resources("AWS::SNS::Topic").Single().Resource["Properties"]!;
        Assert.Equal(synthesized.Outputs.NotificationsKeyArn, (string?)topic["KmsMasterKeyId"]);
        Assert.Empty(synthesized.Resources("AWS::KMS::Key"));
        Assert.Empty(synthesized.Resources("AWS::KMS::Alias"));
    }

    [Theory]
    [MemberData(nameof(PipelineTemplates.Names), MemberType = typeof(PipelineTemplates))]
    public void Notifications_SubscribeEveryEmail_AndCoverExecutionAndApprovalEvents(string name)
    {
        var synthesized = templates[name];

        var emails = synthesized.Resources("AWS::SNS::Subscription")
            .Select(s => s.Resource["Properties"]!)
            .Where(p => (string?)p["Protocol"] == "email")
            .Select(p => (string)p["Endpoint"]!);
        Assert.Equal(synthesized.Config.Notifications.Emails.Order(StringComparer.Ordinal), emails.Order(StringComparer.Ordinal));

        var rule = synthesized.Resources("AWS::CodeStarNotifications::NotificationRule").Single().Resource["Properties"]!;
        var events = rule["EventTypeIds"]!.AsArray().Select(e => (string)e!).ToArray();
        Assert.Contains("codepipeline-pipeline-pipeline-execution-failed", events);
        Assert.Contains("codepipeline-pipeline-pipeline-execution-succeeded", events);
        Assert.Contains("codepipeline-pipeline-manual-approval-needed", events);
        Assert.Equal($"{synthesized.Config.Name}-pipeline", (string?)rule["Name"]);
    }

    [Theory]
    [MemberData(nameof(PipelineTemplates.Names), MemberType = typeof(PipelineTemplates))]
    public void NoGetAtt_PointsAtAResourceTypeTheSandboxSkips(string name)
    {
        // moto fails a stack whose GetAtt names a resource it skipped (Sandbox/moto-quirks.md).
        var synthesized = templates[name];
        string[] skipped = ["AWS::CodePipeline::Pipeline", "AWS::CodeBuild::Project", "AWS::CodeStarNotifications::NotificationRule", "AWS::SNS::TopicPolicy", "AWS::SNS::Subscription", "AWS::Chatbot::SlackChannelConfiguration"];
        var skippedIds = skipped.SelectMany(type => synthesized.Resources(type).Select(r => r.LogicalId)).ToHashSet(StringComparer.Ordinal);

        var getAtts = Descendants(synthesized.Json)
            .OfType<JsonObject>()
            .Where(o => o["Fn::GetAtt"] is JsonArray)
            .Select(o => (string)o["Fn::GetAtt"]![0]!);

        Assert.DoesNotContain(getAtts, skippedIds.Contains);
        var build = synthesized.Stages.Single(s => (string)s!["Name"]! == "Build")!["Actions"]![0]!;
        Assert.Equal($"{synthesized.Config.Name}-build", (string?)build["Configuration"]!["ProjectName"]);
    }

    [Theory]
    [MemberData(nameof(PipelineTemplates.Names), MemberType = typeof(PipelineTemplates))]
    public void BuildRole_MayPutTheAppsCodeInEveryDeployRegion_UnderSampleAppOnly(string name)
    {
        // The deploy stages' parameter files point Lambda at sample-app/... in the artifact bucket of each environment's
        // region; the build stage (PublishSampleApp) puts the zip there.
        var synthesized = templates[name];
        var buildRole = synthesized.Resources("AWS::IAM::Role")
            .Single(r => (string?)r.Resource["Properties"]!["RoleName"] == $"{synthesized.Config.Name}-pipeline-build").LogicalId;
        var statements = synthesized.Resources("AWS::IAM::Policy")
            .Where(p => p.Resource["Properties"]!["Roles"]!.AsArray().Any(r => (string?)r!["Ref"] == buildRole))
            .SelectMany(p => p.Resource["Properties"]!["PolicyDocument"]!["Statement"]!.AsArray().Select(s => s!))
            .ToArray();

        foreach (var region in synthesized.Config.Regions)
        {
            var store = synthesized.Outputs.ArtifactStores[region];
            Assert.Contains(statements, s => Values(s["Action"]).Contains("s3:PutObject") &&
                Values(s["Resource"]).Any(r => r.Contains($":s3:::{store.BucketName}/{SamplePackager.CodePrefix}*", StringComparison.Ordinal)
                    || (region == synthesized.Config.Build.Region && r.Contains($":s3:::{store.BucketName}/*", StringComparison.Ordinal))));
            Assert.Contains(statements, s => Values(s["Action"]).Contains("kms:GenerateDataKey*") && Values(s["Resource"]).Contains(store.KeyArn));
            if (region != synthesized.Config.Build.Region)
            {
                Assert.DoesNotContain(statements, s => Values(s["Action"]).Any(a => a.StartsWith("s3:Put", StringComparison.Ordinal)) &&
                    Values(s["Resource"]).Any(r => r.Contains($":s3:::{store.BucketName}/*", StringComparison.Ordinal)));
            }
        }
    }

    [Fact]
    public async Task CdkCalls_FromTwoThreadsAtOnce_EachGetTheirOwnAnswers()
    {
        // JSII answers calls over one pipe per process; without the kit's gate the second thread reads the first
        // one's answers (seen as ArgumentOutOfRangeException from an unrelated call, failing whole deploys).
        var synthesized = templates[PipelineTemplates.Sandbox];
        var outDir = Path.Combine(Path.GetTempPath(), "pipelinekit-synth-race-" + Guid.NewGuid().ToString("N")[..8]);
        try
        {
            var synthesizing = Task.Run(() => Enumerable.Range(0, 3)
                .Select(_ => PipelineSynthesizer.Synthesize(synthesized.Config, synthesized.Outputs, outDir).TemplateBody)
                .ToArray());
            var asserting = Task.Run(() =>
            {
                for (var i = 0; i < 30; i++)
                {
                    synthesized.Check(template => template.HasResourceProperties("AWS::SNS::Topic",
                        Match.ObjectLike(new Dictionary<string, object> { ["KmsMasterKeyId"] = synthesized.Outputs.NotificationsKeyArn })));
                }
            });

            var bodies = await synthesizing;
            await asserting;

            Assert.All(bodies, body => Assert.Equal(synthesized.Pipeline.TemplateBody, body));
        }
        finally
        {
            if (Directory.Exists(outDir)) Directory.Delete(outDir, recursive: true);
        }
    }

    [Fact]
    public void Synthesize_WhenTheOutputsLackARegion_NamesItBeforeSynthesizing()
    {
        var config = SandboxConfigs.Accounts();
        var outputs = FoundationOutputs.FromNames(config, config.Regions.ToDictionary(r => r, r => PipelineTemplates.KeyArn(config, r)), PipelineTemplates.NotificationsKeyArn(config));
        var partial = outputs with { ArtifactStores = outputs.ArtifactStores.Where(s => s.Key != "eu-west-1").ToDictionary() };

        var error = Assert.Throws<ArgumentException>(() => PipelineSynthesizer.Synthesize(config, partial, Path.GetTempPath()));

        Assert.Contains("artifact store for region eu-west-1", error.Message);
    }

    [Fact]
    public void FromNames_UsesTheFoundationsDeterministicNames()
    {
        var config = SandboxConfigs.Accounts();

        var outputs = FoundationOutputs.FromNames(config, config.Regions.ToDictionary(r => r, r => PipelineTemplates.KeyArn(config, r)), PipelineTemplates.NotificationsKeyArn(config));

        Assert.Equal("sandbox-source-123456789012-us-east-1", outputs.SourceBucketName);
        Assert.Equal("sandbox-artifacts-123456789012-eu-west-1", outputs.ArtifactStores["eu-west-1"].BucketName);
        Assert.Equal("arn:aws:iam::333333333333:role/sandbox-pipeline-action", outputs.TargetRoles["333333333333"].PipelineActionRoleArn);
        Assert.Equal("arn:aws:iam::333333333333:role/sandbox-cfn-execution", outputs.TargetRoles["333333333333"].ExecutionRoleArn);
        Assert.Equal(["222222222222", "333333333333", "444444444444"], outputs.TargetRoles.Keys.Order(StringComparer.Ordinal));
    }

    /// <summary>An environment's actions: its own stage's, or in a wave the actions named after it.</summary>
    internal static IEnumerable<JsonObject> DeployActions(SynthesizedCase synthesized, EnvironmentSettings environment)
    {
        if (!synthesized.Config.UsesWaves)
        {
            return synthesized.Stages.Single(s => (string)s!["Name"]! == $"Deploy-{environment.Name}")!["Actions"]!.AsArray().Select(a => a!.AsObject());
        }

        string[] names =
        [
            $"CreateChangeSet-{environment.Name}", $"SecurityCheck-{environment.Name}", $"SecurityApproval-{environment.Name}",
            $"Approve-{environment.Name}", $"ExecuteChangeSet-{environment.Name}", $"SmokeTest-{environment.Name}",
        ];
        return synthesized.Stages.Single(s => (string)s!["Name"]! == $"Deploy-wave{environment.Wave}")!["Actions"]!.AsArray()
            .Select(a => a!.AsObject())
            .Where(a => names.Contains((string)a["Name"]!));
    }

    /// <summary>The approval an environment's <c>approval: true</c> asks for (not its security approval).</summary>
    internal static JsonObject OrdinaryApproval(SynthesizedCase synthesized, EnvironmentSettings environment) =>
        DeployActions(synthesized, environment).Single(a => Provider(a) == "Manual" && ((string)a["Name"]!).StartsWith("Approve", StringComparison.Ordinal));

    internal static IEnumerable<JsonNode> Descendants(JsonNode node) =>
        node switch
        {
            JsonObject o => o.Select(p => p.Value).OfType<JsonNode>().SelectMany(Descendants).Prepend(node),
            JsonArray a => a.OfType<JsonNode>().SelectMany(Descendants).Prepend(node),
            _ => [node],
        };

    internal static string Provider(JsonNode action) => (string)action["ActionTypeId"]!["Provider"]!;

    internal static string[] Values(JsonNode? node) => node switch
    {
        null => [],
        JsonArray array => array.Select(v => v is JsonValue value && value.TryGetValue<string>(out var s) ? s : v!.ToJsonString()).ToArray(),
        JsonValue value when value.TryGetValue<string>(out var s) => [s],
        _ => [node.ToJsonString()],
    };
}
