namespace PipelineKit.Tests.SampleApp;

using PipelineKit.Errors;
using PipelineKit.Messages;
using PipelineKit.Reporting;
using PipelineKit.SampleApp;
using PipelineKit.Testing;
using PipelineKit.Tests.Templates;

/// <summary>The sample app's smoke test, run by the kit (dotnet test of sample-app/tests/HelloService.SmokeTests) against the
/// handler hosted in process, as on the emulator: it passes on the environment and version the stack gives the function, and
/// fails naming what differs.</summary>
/// <remarks>It builds the sample app in the repository itself, as TestReportsTests does: in that collection, so the two
/// never build the same obj folders at once.</remarks>
[Collection(PipelineKit.Tests.Pipeline.SynthesizedPipelinesCollection.Name)]
public sealed class SampleSmokeTestTests : IDisposable
{
    private readonly string results = Directory.CreateTempSubdirectory("pipelinekit-smoke-").FullName;
    private readonly RecordingMessages messages = new();

    public void Dispose() => Directory.Delete(results, recursive: true);

    [Fact]
    public async Task InProcess_WithTheDeployedEnvironmentAndVersion_Passes_AndSaysItRanInProcess()
    {
        await RunAsync(Target(functionEnvironment: "dev", functionVersion: "3f2a9c1e", expectedVersion: "3f2a9c1e"));

        var texts = messages.Messages.Where(m => m.Kind == MessageCodes.SampleAppSmokeTest).Select(m => m.Text).ToList();
        Assert.Contains(texts, t => t.Contains("handler hosted in process", StringComparison.Ordinal) && t.Contains("APP_VERSION=3f2a9c1e", StringComparison.Ordinal));
        Assert.Contains(texts, t => t.StartsWith("Smoke test of dev passed: Answer: 200", StringComparison.Ordinal) && t.Contains("\"version\":\"3f2a9c1e\"", StringComparison.Ordinal));
    }

    [Fact]
    public async Task InProcess_WhenTheRunningVersionIsNotTheOneDeployed_FailsNamingBoth()
    {
        var e = await Assert.ThrowsAsync<KitRunFailedException>(() =>
            RunAsync(Target(functionEnvironment: "dev", functionVersion: "old0001", expectedVersion: "new0002")));

        Assert.Equal(ErrorCodes.SmokeTestFailed.Code, e.Code);
        Assert.Contains("GET /hello reports version 'old0001', expected 'new0002' (the version just deployed)", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("environment '", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task InProcess_WhenTheEnvironmentDiffers_FailsNamingIt()
    {
        var e = await Assert.ThrowsAsync<KitRunFailedException>(() =>
            RunAsync(Target(functionEnvironment: "prod", functionVersion: "3f2a9c1e", expectedVersion: "3f2a9c1e")));

        Assert.Equal(ErrorCodes.SmokeTestFailed.Code, e.Code);
        Assert.Contains("Smoke test of dev failed", e.Message, StringComparison.Ordinal);
        Assert.Contains("GET /hello reports environment 'prod', expected 'dev'", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WithoutAnApiUrl_OnAws_FailsBeforeRunningAnything()
    {
        var e = await Assert.ThrowsAsync<KitRunFailedException>(() => SampleSmokeTest.RunAsync(TemplateLintTests.RepositoryRoot(),
            Target("dev", "v1", "v1"), emulated: false, results, messages, CancellationToken.None));

        Assert.Contains("give no ApiUrl", e.Message, StringComparison.Ordinal);
        Assert.Empty(Directory.EnumerateFileSystemEntries(results));
    }

    [Fact]
    public void FromVariables_ReadsWhatThePipelinesActionPasses_AndIsNullOutsideThePipeline()
    {
        var variables = new Dictionary<string, string>
        {
            ["SMOKE_EXPECTED_VERSION"] = "v9",
            ["SMOKE_API_URL"] = "",
            ["SMOKE_FUNCTION_ENV_APP_VERSION"] = "v9",
            ["SMOKE_FUNCTION_ENV_ENVIRONMENT_NAME"] = "test",
        };

        var target = SmokeTarget.FromVariables("test", variables.GetValueOrDefault)!;

        Assert.Equal("v9", target.ExpectedVersion);
        Assert.Null(target.ApiUrl);
        Assert.Equal("test", target.FunctionEnvironment["ENVIRONMENT_NAME"]);
        Assert.Null(SmokeTarget.FromVariables("test", _ => null));
    }

    private static SmokeTarget Target(string functionEnvironment, string functionVersion, string expectedVersion) =>
        SmokeTarget.FromOutputs("dev",
            new Dictionary<string, string> { ["EnvironmentName"] = functionEnvironment, ["AppVersion"] = functionVersion, ["FunctionName"] = "sandbox-dev-app" },
            expectedVersion, "the test's outputs");

    private Task RunAsync(SmokeTarget target) =>
        SampleSmokeTest.RunAsync(TemplateLintTests.RepositoryRoot(), target, emulated: true, results, messages, CancellationToken.None);
}
