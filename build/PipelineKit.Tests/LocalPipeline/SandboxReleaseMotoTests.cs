namespace PipelineKit.Tests.LocalPipeline;

using System.Text.Json;
using PipelineKit.Aws;
using PipelineKit.Configuration;
using PipelineKit.Orchestration;
using PipelineKit.Tests.Integration;

/// <summary>
/// The sandbox's release, as <c>./build.sh BootstrapAll --sandbox</c> runs it: the synthesized pipeline read back from its
/// stack and run locally through the real executors (the S3 source, the local CodeBuild building the sample app from this
/// checkout, the security gate, the approval, each environment's change set), against the emulator. The checkout is the
/// collection's snapshot of the repository.
/// </summary>
[Collection(MotoReleaseCollection.Name)]
public sealed class SandboxReleaseMotoTests(MotoFixture moto)
{
    [Fact]
    public async Task BootstrapAll_EndsWithEveryEnvironmentsAppStack_AndASecondReleaseChangesNothing()
    {
        using var workspace = new KitWorkspace(moto, "sandbox", inRepository: true) { Sandbox = true };
        using var stacks = new TargetStacks(moto);
        var config = PipelineConfigLoader.LoadSandbox();

        var (_, results) = await workspace.Run(KitTarget.BootstrapAll);

        Assert.All(results.Values, r => Assert.True(r.Succeeded, r.Error));
        var sampleApp = Path.Combine(workspace.Root, "artifacts", "local-pipeline", "builds", $"{config.Name}-build", "BuildAndTest", "src", "artifacts", "sample-app");
        var outputs = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(workspace.Root, "artifacts", "outputs.json"))).RootElement
            .GetProperty("stacks");
        foreach (var environment in config.Environments)
        {
            var name = $"{config.Name}-{environment.Name}-app";
            var deployed = await stacks.DescribeAsync(environment.Account, environment.Region, name);
            Assert.NotNull(deployed);
            Assert.Equal(StackStatus.CreateComplete, deployed.Status);
            // The parameters are those of the environment's file, as the build stage wrote it into BuildOutput.
            var file = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(sampleApp, $"params-{environment.Name}.json"))).RootElement;
            var expected = file.GetProperty("Parameters").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString()!);
            Assert.Equal(expected.OrderBy(p => p.Key), deployed.Parameters.OrderBy(p => p.Key));
            Assert.Equal(environment.Name, deployed.Parameters["EnvironmentName"]);

            var entry = outputs.GetProperty($"app:{environment.Name}");
            Assert.Equal(name, entry.GetProperty("stackName").GetString());
            Assert.Equal((environment.Account, environment.Region),
                (entry.GetProperty("account").GetString(), entry.GetProperty("region").GetString()));
        }

        workspace.Console.GetStringBuilder().Clear();
        // As a user reruns it; prod's approval is given by --auto-approve (the test has no terminal to answer it on).
        var (again, _) = await workspace.Run(KitTarget.DeploySampleApp, "auto-approve", "true");

        var lines = workspace.Console.ToString().Split('\n').Select(l => l.TrimEnd('\r')).ToList();
        foreach (var environment in config.Environments)
        {
            Assert.Contains($"    Deploy-{environment.Name} CreateChangeSet: no changes", lines);
            Assert.Contains($"    Deploy-{environment.Name} ExecuteChangeSet: no changes", lines);
        }

        Assert.DoesNotContain(again.CallLog.Calls, c => c.Operation == "ExecuteChangeSet");
        Assert.Equal(config.Environments.Count, again.CallLog.Calls.Count(c => c.Operation == "CreateChangeSet"));
    }
}
