using System.Text.Json.Nodes;
using PipelineKit.LocalPipeline;
using static PipelineKit.Tests.LocalPipeline.HandWrittenPipeline;

namespace PipelineKit.Tests.LocalPipeline;

/// <summary>What the reader resolves and defaults on a hand-written template, and every refusal: each names the stage,
/// action and field, and all of a template's problems come in one refusal, before anything runs.</summary>
public sealed class PipelineDefinitionReaderRefusalTests
{
    [Fact]
    public void HandWritten_ResolvesIntrinsics_AndAppliesCodePipelinesDefaults()
    {
        var pipeline = Read(Template());

        Assert.Equal(("hand-pipeline", "arn:aws:iam::123456789012:role/hand-pipeline-role"), (pipeline.Name, pipeline.RoleArn));
        Assert.Equal(new ArtifactStoreDefinition(Region, "hand-artifacts", "arn:aws:kms:us-east-1:123456789012:key/hand"), Assert.Single(pipeline.ArtifactStores).Value);
        var source = pipeline.Stages[0].Actions[0];
        Assert.Equal((1, Region, pipeline.RoleArn), (source.RunOrder, source.Region, source.RoleArn));
        Assert.Equal("false", source.Configuration["PollForSourceChanges"]);
        Assert.Equal("hand-build", pipeline.Stages[1].Actions[0].Configuration["ProjectName"]);
        Assert.Equal("ROLLBACK", pipeline.Stages[2].OnFailure);
        Assert.Null(pipeline.Stages[1].OnFailure);
        Assert.Equal(["CreateChangeSet:1:222222222222", "Approve:2:123456789012", "ExecuteChangeSet:3:222222222222"],
            pipeline.Stages[2].Actions.Select(a => $"{a.Name}:{a.RunOrder}:{a.Account}"));
        Assert.Equal(30, pipeline.Stages[2].Actions[1].TimeoutInMinutes);

        var project = pipeline.Projects["hand-build"];
        Assert.StartsWith("version: 0.2\n", project.BuildSpec, StringComparison.Ordinal);
        Assert.Equal("arn:aws:iam::123456789012:role/builds/hand-build", project.ServiceRoleArn);
        Assert.Equal(60, project.TimeoutInMinutes);
        Assert.Equal(
            [new BuildVariable("STAGE", "dev"), new BuildVariable("ACCOUNT", Account), new BuildVariable("TOKEN", "/hand/token", "PARAMETER_STORE")],
            project.EnvironmentVariables);
    }

    [Theory]
    [InlineData("Deploy", "Approve", "Invoke", "Lambda")]
    [InlineData("Build", "Build", "Build", "Jenkins")]
    [InlineData("Deploy", "ExecuteChangeSet", "Deploy", "ECS")]
    public void AnActionTypeTheRunnerDoesNotRun_IsRefusedByName(string stage, string action, string category, string provider)
    {
        var template = Template();
        Action(template, stage, action)["ActionTypeId"] = new JsonObject { ["Category"] = category, ["Owner"] = "AWS", ["Provider"] = provider, ["Version"] = "1" };

        var line = Line(Refusal(template), $"Stage {stage}, action {action}, ActionTypeId");

        Assert.Contains($"{category}/AWS/{provider}/1", line, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Source", "Source", "AllowOverrideForS3ObjectKey")]
    [InlineData("Build", "Build", "CombineArtifacts")]
    [InlineData("Deploy", "CreateChangeSet", "StackPolicyPath")]
    [InlineData("Deploy", "Approve", "Timeout")]
    public void AConfigurationFieldTheRunnerDoesNotImplement_IsRefusedByName(string stage, string action, string field)
    {
        var template = Template();
        ConfigurationOf(template, stage, action)[field] = "x";

        var line = Line(Refusal(template), $"Stage {stage}, action {action}, Configuration.{field}");

        Assert.Contains("not implemented", line, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("CREATE_UPDATE")]
    [InlineData("REPLACE_ON_FAILURE")]
    [InlineData("DELETE_ONLY")]
    public void ACloudFormationModeOtherThanTheChangeSets_IsRefusedByName(string mode)
    {
        var template = Template();
        ConfigurationOf(template, "Deploy", "CreateChangeSet")["ActionMode"] = mode;

        var line = Line(Refusal(template), "Stage Deploy, action CreateChangeSet, Configuration.ActionMode");

        Assert.Contains(mode, line, StringComparison.Ordinal);
    }

    [Fact]
    public void ABatchBuild_IsRefused_ButBatchEnabledFalseIsAccepted()
    {
        var template = Template();
        ConfigurationOf(template, "Build", "Build")["BatchEnabled"] = false;
        Assert.Equal("false", Read(template).Stages[1].Actions[0].Configuration["BatchEnabled"]);

        ConfigurationOf(template, "Build", "Build")["BatchEnabled"] = true;

        Line(Refusal(template), "Stage Build, action Build, Configuration.BatchEnabled");
    }

    [Fact]
    public void AnActionInARegionWithoutAnArtifactStore_IsRefused_NamingTheRegion()
    {
        var template = Template();
        Action(template, "Deploy", "ExecuteChangeSet")["Region"] = "eu-west-1";

        var line = Line(Refusal(template), "Stage Deploy, action ExecuteChangeSet, Region");

        Assert.Contains("eu-west-1", line, StringComparison.Ordinal);
    }

    [Fact]
    public void ABuildNamingAProjectTheTemplateLacks_IsRefused_NamingTheProject()
    {
        var template = Template();
        ConfigurationOf(template, "Build", "Build")["ProjectName"] = "someone-elses-build";

        var line = Line(Refusal(template), "Stage Build, action Build, Configuration.ProjectName");

        Assert.Contains("someone-elses-build", line, StringComparison.Ordinal);
        Assert.Contains("hand-build", line, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Fn::Sub", "${AWS::StackName}-app")]
    [InlineData("Fn::ImportValue", "shared-stack-name")]
    public void AnIntrinsicTheRunnerDoesNotResolve_IsRefused_NamingItsJsonPath(string function, string argument)
    {
        var template = Template();
        ConfigurationOf(template, "Deploy", "CreateChangeSet")["StackName"] = new JsonObject { [function] = argument };

        var line = Line(Refusal(template), "Stage Deploy, action CreateChangeSet, Configuration.StackName");

        Assert.Contains(function, line, StringComparison.Ordinal);
        Assert.Contains("Resources.Pipeline.Properties.Stages[2].Actions[0].Configuration.StackName", line, StringComparison.Ordinal);
    }

    [Fact]
    public void ARoleWithoutRoleName_IsRefused_ByName()
    {
        var template = Template();
        template["Resources"]!["BuildRole"]!["Properties"]!.AsObject().Remove("RoleName");

        var line = Line(Refusal(template), "Project hand-build (named by Stage Build, action Build), ServiceRole");

        Assert.Contains("BuildRole", line, StringComparison.Ordinal);
        Assert.Contains("RoleName", line, StringComparison.Ordinal);
    }

    [Fact]
    public void AnArtifactNoEarlierStageProduces_IsRefused()
    {
        var template = Template();
        Action(template, "Build", "Build")["InputArtifacts"] = new JsonArray(new JsonObject { ["Name"] = "BuildOutput" });

        var line = Line(Refusal(template), "Stage Build, action Build, InputArtifacts");

        Assert.Contains("BuildOutput", line, StringComparison.Ordinal);
    }

    [Fact]
    public void AnArtifactProducedAtTheSameRunOrderOfTheStage_IsRefused_ButAtAnEarlierRunOrderIsAccepted()
    {
        var template = Template();
        Action(template, "Deploy", "CreateChangeSet")["OutputArtifacts"] = new JsonArray(new JsonObject { ["Name"] = "ChangeSetOutput" });
        Action(template, "Deploy", "ExecuteChangeSet")["InputArtifacts"] = new JsonArray(new JsonObject { ["Name"] = "ChangeSetOutput" });
        Assert.Equal(["ChangeSetOutput"], Read(template).Stages[2].Actions[2].InputArtifacts);

        Action(template, "Deploy", "ExecuteChangeSet")["RunOrder"] = 1;

        var line = Line(Refusal(template), "Stage Deploy, action ExecuteChangeSet, InputArtifacts");
        Assert.Contains("ChangeSetOutput", line, StringComparison.Ordinal);
        Assert.Contains("CreateChangeSet", line, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1000)]
    public void ARunOrderOutside1To999_IsRefused(int runOrder)
    {
        var template = Template();
        Action(template, "Deploy", "Approve")["RunOrder"] = runOrder;

        var line = Line(Refusal(template), "Stage Deploy, action Approve, RunOrder");

        Assert.Contains(runOrder.ToString(System.Globalization.CultureInfo.InvariantCulture), line, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("stage")]
    [InlineData("action")]
    [InlineData("artifact")]
    public void ANameOutsideCodePipelinesPattern_IsRefused_NamingIt(string what)
    {
        var template = Template();
        var (where, name) = what switch
        {
            "stage" => ("Stage a/../b, Name", "a/../b"),
            "action" => ("Stage Deploy, action ../../x, Name", "../../x"),
            _ => ("Stage Source, action Source, OutputArtifacts", "Src/../../x"),
        };
        if (what == "stage") Stage(template, "Build")["Name"] = name;
        else if (what == "action") Action(template, "Deploy", "Approve")["Name"] = name;
        else Action(template, "Source", "Source")["OutputArtifacts"] = new JsonArray(new JsonObject { ["Name"] = name });

        var line = Line(Refusal(template), where);

        Assert.Contains("CodePipeline accepts", line, StringComparison.Ordinal);
    }

    [Fact]
    public void AProjectNameOutsideCodeBuildsPattern_IsRefused_BeforeItBecomesADirectory()
    {
        var template = Template();
        ConfigurationOf(template, "Build", "Build")["ProjectName"] = "../../..";

        var line = Line(Refusal(template), "Stage Build, action Build, Configuration.ProjectName");

        Assert.Contains("../../.. is not a project name CodeBuild accepts", line, StringComparison.Ordinal);
    }

    [Fact]
    public void EveryProblem_IsNamedInOneRefusal()
    {
        var template = Template();
        ConfigurationOf(template, "Deploy", "CreateChangeSet")["ActionMode"] = "CREATE_UPDATE";
        ConfigurationOf(template, "Build", "Build")["ProjectName"] = "missing-build";
        ConfigurationOf(template, "Source", "Source")["S3ObjectKey"] = new JsonObject { ["Fn::Sub"] = "${Key}" };
        Stage(template, "Deploy")["BeforeEntry"] = new JsonObject();

        var message = Refusal(template);

        Line(message, "Stage Deploy, action CreateChangeSet, Configuration.ActionMode");
        Line(message, "Stage Build, action Build, Configuration.ProjectName");
        Line(message, "Stage Source, action Source, Configuration.S3ObjectKey");
        Line(message, "Stage Deploy, BeforeEntry");
        Assert.True(message.Contains("(4 problems)", StringComparison.Ordinal), message);
    }

    [Fact]
    public void ATemplateWithoutExactlyOnePipeline_IsRefused()
    {
        var none = Template();
        none["Resources"]!.AsObject().Remove("Pipeline");
        var two = Template();
        two["Resources"]!["Second"] = two["Resources"]!["Pipeline"]!.DeepClone();

        Assert.Contains("has 0", Refusal(none), StringComparison.Ordinal);
        Assert.Contains("Pipeline, Second", Refusal(two), StringComparison.Ordinal);
    }
}
