namespace PipelineKit.Tests.Integration;

using System.Text.Json.Nodes;
using PipelineKit.Errors;
using PipelineKit.Orchestration;
using PipelineKit.SampleApp;
using Xunit.Abstractions;

/// <summary>Rollback --direct end to end on the emulator: the release history the direct deployments record, and the
/// redeployment of the one before the current one through the deployer role and the target's action role.</summary>
[Collection(MotoBootstrapCollection.Name)]
public class RollbackIntegrationTests(MotoFixture moto, ITestOutputHelper log)
{
    [Fact]
    public async Task RollbackDirect_AfterVersionsAThenB_PutsAsParametersAndCodeBack_AndASecondRollbackFindsNothingEarlier()
    {
        using var workspace = new KitWorkspace(moto, "it-back", inRepository: true);
        workspace.Config["environments"] = new JsonArray(new JsonObject { ["name"] = "dev", ["account"] = "222222222222", ["region"] = "us-east-1" });
        await workspace.Run(KitTarget.BootstrapAll);
        workspace.Environment[AppVersionStamp.CodeBuildVariable] = "version-a";
        await workspace.Run(KitTarget.DeploySampleApp, "direct", "true");
        var a = await AppParameters();
        workspace.Environment[AppVersionStamp.CodeBuildVariable] = "version-b";
        await workspace.Run(KitTarget.DeploySampleApp, "direct", "true");
        var b = await AppParameters();

        var before = workspace.Console.ToString().Length;
        var rollback = workspace.Rollback("environment", "dev", "direct", "true");
        var output = workspace.Console.ToString()[before..];
        var back = await AppParameters();
        var again = Assert.ThrowsAny<KitException>(() => workspace.Rollback("environment", "dev", "direct", "true"));
        log.WriteLine(output);
        log.WriteLine(again.Message);

        Assert.Equal(("version-a", "version-b"), (a["AppVersion"], b["AppVersion"]));
        Assert.Equal(a, back);
        Assert.Contains("Rollback of dev --direct: version version-b -> version-a (code s3://it-back-artifacts-123456789012-us-east-1/sample-app/hello-service-",
            output, StringComparison.Ordinal);
        // Through the same chain as DeploySampleApp --direct: the deployer role, then the target's action role.
        Assert.Contains(rollback.CallLog.Calls, c => c.Operation == "AssumeRole");
        Assert.Equal("NothingToRollBack", again.Code);
        Assert.Equal("Rollback of dev --direct: nothing to roll back to: s3://it-back-artifacts-123456789012-us-east-1/direct-releases/dev.json " +
            "records one direct deployment only (version version-a, the current one).", again.Message.Split(" Next:")[0]);
    }

    [Fact]
    public async Task Rollback_OfAnEnvironmentThatIsNotConfigured_FailsBeforeAnyAwsCall()
    {
        using var workspace = new KitWorkspace(moto, "it-back-unknown");

        var error = Assert.ThrowsAny<KitException>(() => workspace.Rollback("environment", "staging", "direct", "true"));

        Assert.Equal("InvalidConfiguration", error.Code);
        Assert.Contains("--environment: \"staging\" is not an environment of pipeline.json (dev, test, test-eu, prod)", error.Message, StringComparison.Ordinal);
    }

    private async Task<Dictionary<string, string>> AppParameters()
    {
        var stack = (await moto.Cli("222222222222", "cloudformation", "describe-stacks", "--stack-name", "it-back-dev-app", "--region", "us-east-1"))
            .GetProperty("Stacks")[0];
        return stack.GetProperty("Parameters").EnumerateArray()
            .ToDictionary(p => p.GetProperty("ParameterKey").GetString()!, p => p.GetProperty("ParameterValue").GetString()!);
    }
}
