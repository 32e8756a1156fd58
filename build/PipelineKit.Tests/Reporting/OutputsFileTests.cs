namespace PipelineKit.Tests.Reporting;

using PipelineKit.Deployment;
using PipelineKit.Reporting;
using PipelineKit.Aws;
using static Fixture;

public sealed class OutputsFileTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("kit-outputs-").FullName;

    private const string Pipeline = "hello";

    private string PathInArtifacts => Path.Combine(_directory, "artifacts", "outputs.json");

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public void Write_ThenRead_RoundTripsEveryField()
    {
        OutputsFile.Write(PathInArtifacts, Pipeline,
        [
            (Primary, Result(Primary, StackOutcome.Created, StackStatus.CreateComplete, 10,
                new Dictionary<string, string> { ["PipelineBucket"] = "hello-pipeline-123456789012", ["ArtifactKeyArn"] = "arn:aws:kms:us-east-1:123456789012:key/k" })),
            (DevRoles, Result(DevRoles, StackOutcome.NotStarted, null, 0)),
        ]);

        var entries = OutputsFile.Read(PathInArtifacts);

        Assert.Equal(["primary", "roles:dev"], entries.Keys);
        var primary = entries["primary"];
        Assert.Equal(("hello-primary", "123456789012", "us-east-1", "created", "CREATE_COMPLETE"),
            (primary.StackName, primary.Account, primary.Region, primary.Outcome, primary.Status));
        Assert.Equal("hello-pipeline-123456789012", primary.Outputs["PipelineBucket"]);
        Assert.Equal("arn:aws:kms:us-east-1:123456789012:key/k", primary.Outputs["ArtifactKeyArn"]);
        Assert.Equal("notStarted", entries["roles:dev"].Outcome);
        Assert.Null(entries["roles:dev"].Status);
        Assert.Empty(entries["roles:dev"].Outputs);
    }

    [Fact]
    public void Write_ProducesIndentedJsonSortedByKey()
    {
        OutputsFile.Write(PathInArtifacts, Pipeline,
        [
            (Regional, Result(Regional, StackOutcome.Updated, StackStatus.UpdateComplete, 1, new Dictionary<string, string> { ["B"] = "2", ["A"] = "1" })),
            (Primary, Result(Primary, StackOutcome.Unchanged, StackStatus.CreateComplete, 1)),
        ]);

        Assert.Equal(
            """
            {
              "pipeline": "hello",
              "stacks": {
                "primary": {
                  "stackName": "hello-primary",
                  "account": "123456789012",
                  "region": "us-east-1",
                  "outcome": "unchanged",
                  "status": "CREATE_COMPLETE",
                  "outputs": {}
                },
                "regional:us-west-2": {
                  "stackName": "hello-regional-us-west-2",
                  "account": "123456789012",
                  "region": "us-west-2",
                  "outcome": "updated",
                  "status": "UPDATE_COMPLETE",
                  "outputs": {
                    "A": "1",
                    "B": "2"
                  }
                }
              }
            }

            """.Replace("\r\n", "\n"),
            File.ReadAllText(PathInArtifacts).Replace("\r\n", "\n"));
    }

    [Fact]
    public void Write_WithExistingFile_KeepsOtherStacksAndReplacesThisRunsStacks()
    {
        OutputsFile.Write(PathInArtifacts, Pipeline,
        [
            (Primary, Result(Primary, StackOutcome.Created, StackStatus.CreateComplete, 1, new Dictionary<string, string> { ["Bucket"] = "old" })),
            (Regional, Result(Regional, StackOutcome.Created, StackStatus.CreateComplete, 1, new Dictionary<string, string> { ["Bucket"] = "west" })),
        ]);

        OutputsFile.Write(PathInArtifacts, Pipeline,
        [
            (Primary, Result(Primary, StackOutcome.Updated, StackStatus.UpdateComplete, 1, new Dictionary<string, string> { ["Bucket"] = "new" })),
            (DevRoles, Result(DevRoles, StackOutcome.Created, StackStatus.CreateComplete, 1, new Dictionary<string, string> { ["RoleArn"] = "arn" })),
        ]);

        var entries = OutputsFile.Read(PathInArtifacts);
        Assert.Equal(["primary", "regional:us-west-2", "roles:dev"], entries.Keys);
        Assert.Equal(("updated", "new"), (entries["primary"].Outcome, entries["primary"].Outputs["Bucket"]));
        Assert.Equal(("created", "west"), (entries["regional:us-west-2"].Outcome, entries["regional:us-west-2"].Outputs["Bucket"]));
        Assert.Equal("arn", entries["roles:dev"].Outputs["RoleArn"]);
    }

    [Fact]
    public void Write_WhenStackDidNotStart_KeepsItsEarlierEntry()
    {
        OutputsFile.Write(PathInArtifacts, Pipeline,
            [(DevRoles, Result(DevRoles, StackOutcome.Created, StackStatus.CreateComplete, 1, new Dictionary<string, string> { ["RoleArn"] = "arn" }))]);

        OutputsFile.Write(PathInArtifacts, Pipeline, [(DevRoles, Result(DevRoles, StackOutcome.NotStarted, null, 0))]);

        Assert.Equal(("created", "arn"), (OutputsFile.Read(PathInArtifacts)["roles:dev"].Outcome, OutputsFile.Read(PathInArtifacts)["roles:dev"].Outputs["RoleArn"]));
    }

    [Fact]
    public void Write_WhenAnUpdateFailed_RecordsTheFailure_AndKeepsTheOutputsTheStackStillHas()
    {
        OutputsFile.Write(PathInArtifacts, Pipeline,
            [(DevRoles, Result(DevRoles, StackOutcome.Created, StackStatus.CreateComplete, 1, new Dictionary<string, string> { ["RoleArn"] = "arn" }))]);

        OutputsFile.Write(PathInArtifacts, Pipeline, [(DevRoles, Result(DevRoles, StackOutcome.Failed, StackStatus.UpdateRollbackComplete, 3))]);

        var entry = OutputsFile.Read(PathInArtifacts)["roles:dev"];
        Assert.Equal(("failed", "UPDATE_ROLLBACK_COMPLETE", "arn"), (entry.Outcome, entry.Status, entry.Outputs["RoleArn"]));
    }

    [Fact]
    public void Write_ForAnotherPipeline_DropsTheStacksOfTheOneBefore()
    {
        // A sandbox run, then a real one: the sandbox's app:test-eu must not read as the real pipeline's.
        OutputsFile.Write(PathInArtifacts, "sandbox",
            [(DevRoles, Result(DevRoles, StackOutcome.Created, StackStatus.CreateComplete, 1, new Dictionary<string, string> { ["RoleArn"] = "sandbox-arn" })),
             (Primary, Result(Primary, StackOutcome.Created, StackStatus.CreateComplete, 1))]);

        OutputsFile.Write(PathInArtifacts, Pipeline, [(Primary, Result(Primary, StackOutcome.Unchanged, StackStatus.CreateComplete, 1))]);

        Assert.Equal(["primary"], OutputsFile.Read(PathInArtifacts).Keys);
        Assert.Contains("\"pipeline\": \"hello\"", File.ReadAllText(PathInArtifacts));
    }

    [Fact]
    public void Write_WhenExistingFileIsNotJson_ThrowsNamingTheFile()
    {
        Directory.CreateDirectory(Path.GetDirectoryName(PathInArtifacts)!);
        File.WriteAllText(PathInArtifacts, "{ not json");

        var error = Assert.Throws<InvalidDataException>(() =>
            OutputsFile.Write(PathInArtifacts, Pipeline, [(Primary, Result(Primary, StackOutcome.Created, StackStatus.CreateComplete, 1))]));

        Assert.StartsWith($"{PathInArtifacts} cannot be read as the kit's outputs file: it is not valid JSON.", error.Message);
    }

    [Fact]
    public void Read_WhenFileIsMissing_IsEmpty() => Assert.Empty(OutputsFile.Read(PathInArtifacts));
}
