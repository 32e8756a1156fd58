using PipelineKit.LocalPipeline;
using PipelineKit.Naming;
using PipelineKit.Tests.Pipeline;

namespace PipelineKit.Tests.LocalPipeline;

/// <summary>The reader over templates the kit's own synthesizer makes (the shared synths of the pipeline tests): the
/// sandbox's environments with an S3 source, "six" (three waves, a CodeCommit source in another account) and "single" (CodeStar
/// connection, self-update). What the local runner executes must be what CloudFormation would create.</summary>
[Collection(SynthesizedPipelinesCollection.Name)]
public sealed class PipelineDefinitionReaderTests(PipelineTemplates templates)
{
    [Theory]
    [MemberData(nameof(PipelineTemplates.Names), MemberType = typeof(PipelineTemplates))]
    public void EverySynthesizedPipeline_IsRead_WithTheStagesOfItsTemplate_AndAProjectForEachBuildAction(string name)
    {
        var synthesized = templates[name];

        var pipeline = Read(synthesized);

        Assert.Equal(KitNames.Pipeline(synthesized.Config.Name), pipeline.Name);
        Assert.Equal(synthesized.Stages.Select(s => (string)s!["Name"]!), pipeline.Stages.Select(s => s.Name));
        Assert.Equal(KitNames.RoleArn("aws", synthesized.Config.Build.Account, KitNames.PipelineRole(synthesized.Config.Name)), pipeline.RoleArn);
        foreach (var build in pipeline.Stages.SelectMany(s => s.Actions).Where(a => a.Type == ActionType.CodeBuild))
            Assert.True(pipeline.Projects.ContainsKey(build.Configuration["ProjectName"]), $"{build} names a project the definition lacks.");
        Assert.Equal(synthesized.Config.Regions.Order(StringComparer.Ordinal), pipeline.ArtifactStores.Keys.Order(StringComparer.Ordinal));
        foreach (var (region, store) in pipeline.ArtifactStores)
        {
            Assert.Equal(KitNames.ArtifactBucket(synthesized.Config, region), store.Bucket);
            Assert.Equal(PipelineTemplates.KeyArn(synthesized.Config, region), store.KeyArn);
        }
    }

    [Fact]
    public void Sandbox_SourceAndBuild_RunInTheBuildRegion_AsThePipelineActionsRole_WithTheProjectsBuildspecs()
    {
        var synthesized = templates[PipelineTemplates.Sandbox];
        var config = synthesized.Config;

        var pipeline = Read(synthesized);

        var actionsRole = KitNames.RoleArn("aws", config.Build.Account, KitNames.PipelineActionsRole(config.Name));
        var source = Assert.Single(pipeline.Stages[0].Actions);
        Assert.Equal(ActionType.S3Source, source.Type);
        Assert.Equal((config.Build.Region, actionsRole, 1), (source.Region, source.RoleArn, source.RunOrder));
        Assert.Equal(KitNames.SourceBucket(config), source.Configuration["S3Bucket"]);
        Assert.Equal("true", source.Configuration["PollForSourceChanges"]);
        Assert.Equal(["Source"], source.OutputArtifacts);

        var build = Assert.Single(pipeline.Stages[1].Actions);
        Assert.Equal((ActionType.CodeBuild, config.Build.Region, actionsRole), (build.Type, build.Region, build.RoleArn));
        Assert.Equal(["Source"], build.InputArtifacts);
        var project = pipeline.Projects[KitNames.BuildProject(config.Name)];
        Assert.Equal("buildspecs/buildspec.yml", project.BuildSpec);
        Assert.Equal(KitNames.RoleArn("aws", config.Build.Account, KitNames.BuildRole(config.Name)), project.ServiceRoleArn);
        Assert.Equal(PipelineTemplates.KeyArn(config, config.Build.Region), project.EncryptionKey);
        var check = pipeline.Projects[KitNames.SecurityCheckProject(config.Name)];
        Assert.Equal("buildspecs/buildspec-security-check.yml", check.BuildSpec);
        Assert.Equal(KitNames.RoleArn("aws", config.Build.Account, KitNames.SecurityCheckRole(config.Name)), check.ServiceRoleArn);
    }

    [Fact]
    public void Sandbox_EachEnvironmentsStage_CreatesThenGatesThenExecutes_InItsRegionAsItsAccountsActionRole()
    {
        var synthesized = templates[PipelineTemplates.Sandbox];
        var config = synthesized.Config;

        var pipeline = Read(synthesized);

        foreach (var environment in config.Environments)
        {
            var stage = pipeline.Stages.Single(s => s.Name == KitNames.DeployStage(environment.Name));
            var create = stage.Actions.Single(a => a.Name == "CreateChangeSet");
            var execute = stage.Actions.Single(a => a.Name == "ExecuteChangeSet");
            foreach (var deploy in new[] { create, execute })
            {
                Assert.Equal(ActionType.CloudFormation, deploy.Type);
                Assert.Equal(environment.Region, deploy.Region);
                Assert.Equal(KitNames.PipelineActionRoleArn("aws", config.Name, environment.Account), deploy.RoleArn);
                Assert.Equal(environment.Account, deploy.Account);
            }

            Assert.Equal(("CHANGE_SET_REPLACE", "CHANGE_SET_EXECUTE"), (create.Configuration["ActionMode"], execute.Configuration["ActionMode"]));
            Assert.Equal(KitNames.ExecutionRoleArn("aws", config.Name, environment.Account), create.Configuration["RoleArn"]);
            Assert.Equal(["BuildOutput"], create.InputArtifacts);

            var check = stage.Actions.Single(a => a.Name == KitNames.SecurityCheckAction(environment.Name));
            Assert.Equal((2, config.Build.Region), (check.RunOrder, check.Region));
            Assert.Equal(KitNames.SecurityCheckNamespace(environment.Name), check.Namespace);
            var variables = ActionEnvironmentVariables.Parse(check.Configuration["EnvironmentVariables"]);
            Assert.Contains(new BuildVariable("KIT_ENVIRONMENT", environment.Name), variables);
            Assert.True(create.RunOrder < check.RunOrder && check.RunOrder < execute.RunOrder, $"{stage.Name}: run orders {create.RunOrder}, {check.RunOrder}, {execute.RunOrder}.");
        }
    }

    [Fact]
    public void Sandbox_ApprovalsNotificationTopic_IsTheTopicsArn()
    {
        var synthesized = templates[PipelineTemplates.Sandbox];

        var pipeline = Read(synthesized);

        var approvals = pipeline.Stages.SelectMany(s => s.Actions).Where(a => a.Configuration.ContainsKey("NotificationArn")).ToList();
        Assert.NotEmpty(approvals);
        Assert.All(approvals, a => Assert.Equal(ActionType.ManualApproval, a.Type));
        Assert.All(approvals, a => Assert.Equal(KitNames.NotificationsTopicArn(synthesized.Config), a.Configuration["NotificationArn"]));
    }

    [Fact]
    public void Waves_DeployEveryEnvironmentOfAWaveInItsStage_InItsRegionAsItsAccountsRole_WithTheApprovalTimeouts()
    {
        var synthesized = templates[PipelineTemplates.Six];
        var config = synthesized.Config;

        var pipeline = Read(synthesized);

        Assert.Equal(ActionType.CodeCommitSource, pipeline.Stages[0].Actions[0].Type);
        Assert.Equal("999999999999", pipeline.Stages[0].Actions[0].Account);
        Assert.Equal(["Deploy-wave1", "Deploy-wave2", "Deploy-wave3"], pipeline.Stages.Select(s => s.Name).Where(n => n.StartsWith("Deploy-", StringComparison.Ordinal)));
        foreach (var environment in config.Environments)
        {
            var stage = pipeline.Stages.Single(s => s.Name == $"Deploy-wave{environment.Wave}");
            var create = stage.Actions.Single(a => a.Name == $"CreateChangeSet-{environment.Name}");
            var execute = stage.Actions.Single(a => a.Name == $"ExecuteChangeSet-{environment.Name}");
            Assert.Equal((1, environment.Region, environment.Account), (create.RunOrder, create.Region, create.Account));
            Assert.Equal((4, environment.Region, environment.Account), (execute.RunOrder, execute.Region, execute.Account));
        }

        // approvalTimeoutMinutes: 720 for the pipeline, 60 for prod-us; environments without approval have no Approve action.
        var timeouts = pipeline.Stages.SelectMany(s => s.Actions).Where(a => a.Name.StartsWith("Approve-", StringComparison.Ordinal))
            .ToDictionary(a => a.Name, a => a.TimeoutInMinutes);
        Assert.Equal(
            new Dictionary<string, int?> { ["Approve-staging"] = 720, ["Approve-prod-us"] = 60, ["Approve-prod-ap"] = 720 },
            timeouts);
    }

    [Fact]
    public void SingleEnvironment_CodeStarSource_AndSelfUpdate_AreRead_WithTheUpdateProjectsBuildspec()
    {
        var synthesized = templates[PipelineTemplates.Single];
        var config = synthesized.Config;

        var pipeline = Read(synthesized);

        var source = pipeline.Stages[0].Actions[0];
        Assert.Equal(ActionType.CodeStarSource, source.Type);
        Assert.Equal(("solo-org/solo-service", "main"), (source.Configuration["FullRepositoryId"], source.Configuration["BranchName"]));
        var update = pipeline.Stages.SelectMany(s => s.Actions).Single(a => a.Configuration.GetValueOrDefault("ProjectName") == KitNames.UpdateProject(config.Name));
        Assert.Equal("buildspecs/buildspec-pipeline.yml", pipeline.Projects[KitNames.UpdateProject(config.Name)].BuildSpec);
        Assert.Equal(KitNames.RoleArn("aws", config.Build.Account, KitNames.UpdateRole(config.Name)), pipeline.Projects[KitNames.UpdateProject(config.Name)].ServiceRoleArn);
        Assert.True(
            pipeline.Stages.ToList().FindIndex(s => s.Name == update.Stage) < pipeline.Stages.ToList().FindIndex(s => s.Name.StartsWith("Deploy-", StringComparison.Ordinal)),
            "The pipeline updates itself before it deploys.");
    }

    private static PipelineDefinition Read(SynthesizedCase synthesized) =>
        PipelineDefinitionReader.Read(synthesized.Pipeline.TemplateBody, synthesized.Config.Build.Account, synthesized.Config.Build.Region);
}
