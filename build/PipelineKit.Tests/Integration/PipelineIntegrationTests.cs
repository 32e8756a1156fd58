namespace PipelineKit.Tests.Integration;

using System.Text.Json.Nodes;
using PipelineKit.Deployment;
using PipelineKit.Orchestration;
using PipelineKit.Tests.Pipeline;
using PipelineKit.Aws;

/// <summary>The pipeline configurations the template tests synthesize, bootstrapped against the emulator: one
/// environment (CodeStar connection, self-update, Slack) and six environments in three waves (CodeCommit).</summary>
[Collection("moto")]
public class PipelineIntegrationTests(MotoFixture moto)
{
    public static TheoryData<string, string> Configurations => new()
    {
        { "it-solo", PipelineTemplates.SingleJson },
        { "it-waves", PipelineTemplates.SixJson },
    };

    [Theory]
    [MemberData(nameof(Configurations))]
    public async Task BootstrapAll_CreatesThePipelineStack_AndCreatePipelineAgainChangesNothing(string name, string json)
    {
        using var workspace = new KitWorkspace(moto, name);
        var config = JsonNode.Parse(json)!.AsObject();
        config["name"] = name;
        config["build"]!["profile"] = "kit-build";
        workspace.Config = config;
        var region = (string)config["build"]!["region"]!;
        if (config["source"] is JsonObject source && (string?)source["type"] == "CodeCommit")
        {
            // The repository is the user's: the kit checks that it exists before it deploys the source account's stack.
            await moto.Cli((string?)source["account"], "codecommit", "create-repository", "--repository-name", (string)source["repository"]!, "--region", region);
        }

        var (_, results) = await workspace.Run(KitTarget.BootstrapAll);
        var (again, rerun) = await workspace.Run(KitTarget.CreatePipeline);

        Assert.All(results.Values, r => Assert.True(r.Succeeded, r.Error));
        Assert.Equal(StackOutcome.Created, results["pipeline"].Outcome);
        var stack = (await moto.Cli(null, "cloudformation", "describe-stacks", "--stack-name", $"{name}-pipeline", "--region", region))
            .GetProperty("Stacks")[0];
        Assert.Contains(stack.GetProperty("StackStatus").GetString(), new[] { "CREATE_COMPLETE", "UPDATE_COMPLETE" });
        // What the emulator creates of the stack (it skips the pipeline, projects, rule and chat configuration).
        var roles = new List<string> { "pipeline-role", "pipeline-actions", "pipeline-build" };
        if (config["selfUpdate"] is not null) roles.AddRange(["pipeline-update", "chatbot"]);
        foreach (var role in roles)
        {
            await moto.Cli(null, "iam", "get-role", "--role-name", $"{name}-{role}");
        }

        Assert.All(rerun.Values, r => Assert.Equal(StackOutcome.Unchanged, r.Outcome));
        Assert.Contains("pipeline", rerun.Keys);
        Assert.Empty(RunLockCalls.MutatingBesidesTheLock(again.CallLog));
    }
}
