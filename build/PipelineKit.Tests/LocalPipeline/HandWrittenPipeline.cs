using System.Text.Json.Nodes;
using PipelineKit.Errors;
using PipelineKit.LocalPipeline;

namespace PipelineKit.Tests.LocalPipeline;

/// <summary>A small pipeline template written by hand (S3 source, a CodeBuild build, a change set created, approved
/// and executed), which each test bends into the case it checks.</summary>
internal static class HandWrittenPipeline
{
    public const string Account = "123456789012";
    public const string Region = "us-east-1";

    private const string Json =
        """
        {
          "Resources": {
            "PipelineRole": { "Type": "AWS::IAM::Role", "Properties": { "RoleName": "hand-pipeline-role" } },
            "BuildRole": { "Type": "AWS::IAM::Role", "Properties": { "RoleName": "hand-build", "Path": "/builds/" } },
            "Project": {
              "Type": "AWS::CodeBuild::Project",
              "Properties": {
                "Name": "hand-build",
                "ServiceRole": { "Fn::GetAtt": ["BuildRole", "Arn"] },
                "Source": { "Type": "CODEPIPELINE", "BuildSpec": "version: 0.2\nphases:\n  build:\n    commands:\n      - make\n" },
                "Environment": {
                  "Type": "LINUX_CONTAINER",
                  "EnvironmentVariables": [
                    { "Name": "STAGE", "Value": "dev" },
                    { "Name": "ACCOUNT", "Value": { "Ref": "AWS::AccountId" }, "Type": "PLAINTEXT" },
                    { "Name": "TOKEN", "Value": "/hand/token", "Type": "PARAMETER_STORE" }
                  ]
                }
              }
            },
            "Pipeline": {
              "Type": "AWS::CodePipeline::Pipeline",
              "Properties": {
                "Name": "hand-pipeline",
                "RoleArn": { "Fn::GetAtt": ["PipelineRole", "Arn"] },
                "ArtifactStore": {
                  "Type": "S3",
                  "Location": "hand-artifacts",
                  "EncryptionKey": {
                    "Type": "KMS",
                    "Id": { "Fn::Join": [":", ["arn", { "Ref": "AWS::Partition" }, "kms", { "Ref": "AWS::Region" }, { "Ref": "AWS::AccountId" }, "key/hand"]] }
                  }
                },
                "Stages": [
                  { "Name": "Source", "Actions": [ {
                      "Name": "Source",
                      "ActionTypeId": { "Category": "Source", "Owner": "AWS", "Provider": "S3", "Version": "1" },
                      "Configuration": { "S3Bucket": "hand-source", "S3ObjectKey": "source.zip", "PollForSourceChanges": false },
                      "OutputArtifacts": [ { "Name": "Source" } ] } ] },
                  { "Name": "Build", "Actions": [ {
                      "Name": "Build",
                      "ActionTypeId": { "Category": "Build", "Owner": "AWS", "Provider": "CodeBuild", "Version": "1" },
                      "Configuration": { "ProjectName": { "Ref": "Project" } },
                      "InputArtifacts": [ { "Name": "Source" } ],
                      "OutputArtifacts": [ { "Name": "BuildOutput" } ] } ] },
                  { "Name": "Deploy", "OnFailure": { "Result": "ROLLBACK" }, "Actions": [
                    { "Name": "CreateChangeSet",
                      "ActionTypeId": { "Category": "Deploy", "Owner": "AWS", "Provider": "CloudFormation", "Version": "1" },
                      "Configuration": { "ActionMode": "CHANGE_SET_REPLACE", "StackName": "hand-app", "ChangeSetName": "hand-app-pipeline",
                        "TemplatePath": "BuildOutput::template.yaml", "RoleArn": "arn:aws:iam::222222222222:role/hand-cfn" },
                      "InputArtifacts": [ { "Name": "BuildOutput" } ],
                      "RoleArn": "arn:aws:iam::222222222222:role/hand-action",
                      "RunOrder": 1 },
                    { "Name": "Approve",
                      "ActionTypeId": { "Category": "Approval", "Owner": "AWS", "Provider": "Manual", "Version": "1" },
                      "Configuration": { "CustomData": "Review hand-app" },
                      "TimeoutInMinutes": 30,
                      "RunOrder": 2 },
                    { "Name": "ExecuteChangeSet",
                      "ActionTypeId": { "Category": "Deploy", "Owner": "AWS", "Provider": "CloudFormation", "Version": "1" },
                      "Configuration": { "ActionMode": "CHANGE_SET_EXECUTE", "StackName": "hand-app", "ChangeSetName": "hand-app-pipeline" },
                      "RoleArn": "arn:aws:iam::222222222222:role/hand-action",
                      "Region": "us-east-1",
                      "RunOrder": 3 } ] }
                ]
              }
            }
          }
        }
        """;

    public static JsonObject Template() => JsonNode.Parse(Json)!.AsObject();

    public static JsonObject Pipeline(JsonObject template) => template["Resources"]!["Pipeline"]!["Properties"]!.AsObject();

    public static JsonObject Stage(JsonObject template, string stage) =>
        Pipeline(template)["Stages"]!.AsArray().Single(s => (string)s!["Name"]! == stage)!.AsObject();

    public static JsonObject Action(JsonObject template, string stage, string action) =>
        Stage(template, stage)["Actions"]!.AsArray().Single(a => (string)a!["Name"]! == action)!.AsObject();

    public static JsonObject ConfigurationOf(JsonObject template, string stage, string action) =>
        Action(template, stage, action)["Configuration"]!.AsObject();

    public static PipelineDefinition Read(JsonObject template) => PipelineDefinitionReader.Read(template.ToJsonString(), Account, Region);

    /// <summary>The refusal's message, after checking it is the LocalPipelineRefused refusal.</summary>
    public static string Refusal(JsonObject template)
    {
        var refused = Assert.Throws<LocalPipelineException>(() => Read(template));
        Assert.Equal(ErrorCodes.LocalPipelineRefused.Code, refused.Code);
        return refused.Message;
    }

    /// <summary>The line of <paramref name="message"/> that starts with <paramref name="where"/>; fails when none does.</summary>
    public static string Line(string message, string where)
    {
        var line = message.Split('\n').FirstOrDefault(l => l.StartsWith(where + ": ", StringComparison.Ordinal));
        Assert.True(line is not null, $"No line names \"{where}\" in:\n{message}");
        return line;
    }
}
