namespace PipelineKit.Tests.LocalPipeline;

using System.Text.Json.Nodes;
using PipelineKit.Aws;
using PipelineKit.Deployment;
using PipelineKit.LocalPipeline;
using PipelineKit.Orchestration;
using PipelineKit.Pipeline;
using PipelineKit.Reporting;
using PipelineKit.Tests.Integration;
using PipelineKit.Testing;

/// <summary>
/// Local runs of a pipeline with waves, bootstrapped once for the class against the emulator and run as RunPipeline runs it
/// (the deployed template read back, the real executors), on small sources uploaded to its source bucket: a run that
/// deploys wave by wave, a build that fails, a deploy action CloudFormation refuses, and an approval that is rejected.
/// Every run names its topics afresh, so the tests hold in any order.
/// </summary>
[Collection("moto")]
public sealed class WavePipelineMotoTests(MotoFixture moto, WavePipelineMotoTests.Bootstrapped bootstrap) : IClassFixture<WavePipelineMotoTests.Bootstrapped>
{
    private const string Name = "lr-waves";
    private const string Build = "123456789012";
    private static readonly (string Name, string Account, string Region, int Wave)[] Environments =
    [
        ("dev", "222222222222", "us-east-1", 1),
        ("qa", "333333333333", "us-west-2", 1),
        ("stage", "333333333333", "eu-west-1", 2),
        ("prod", "444444444444", "eu-west-1", 3),
    ];

    [Fact]
    public async Task Run_DeploysWaveByWave_BothWaveOneStacksInTheirOwnAccounts()
    {
        var topics = Topics();

        var (_, failure, lines) = await RunAsync(new LightSource(LightSource.Passing, topics));

        Assert.Null(failure);
        var stages = new[] { "Deploy-wave1", "Deploy-wave2", "Deploy-wave3" }.Select(s => lines.IndexOf($"  {s} Succeeded")).ToList();
        Assert.All(stages, index => Assert.True(index >= 0, string.Join("\n", lines)));
        Assert.Equal(stages.Order(), stages);
        using var stacks = new TargetStacks(moto);
        foreach (var (environment, account, region, _) in Environments.Where(e => e.Wave == 1))
        {
            Assert.Contains(lines, l => l.StartsWith($"    Deploy-wave1 ExecuteChangeSet-{environment}: ", StringComparison.Ordinal));
            var deployed = await stacks.DescribeAsync(account, region, $"{Name}-{environment}-app");
            Assert.NotNull(deployed);
            Assert.Contains(deployed.Status, new[] { StackStatus.CreateComplete, StackStatus.UpdateComplete });
            Assert.Equal(topics[environment], deployed.Parameters["TopicName"]);
            Assert.Equal($"arn:aws:sns:{region}:{account}:{topics[environment]}", deployed.Outputs["TopicArn"]);
        }
    }

    [Fact]
    public async Task FailingBuild_FailsTheRunAtBuildAndTest_NamingTheCommandAndExitCode_AndTouchesNoAppStack()
    {
        var source = new LightSource(["echo compiling", "exit 3", "echo not reached"], Topics());

        var (host, failure, lines) = await RunAsync(source);

        var run = Assert.IsType<PipelineRunFailedException>(Assert.IsType<KitRunFailedException>(failure).InnerException);
        Assert.Equal(("Build", "BuildAndTest"), (run.Stage, run.Action));
        Assert.Contains("build phase failed: command `exit 3` exited with 3", run.Message);
        Assert.Empty(StageLines(lines, "Deploy-wave"));
        Assert.DoesNotContain(host.CallLog.Calls, c => c.Service == AwsServiceIds.CloudFormation && c.IsMutating);
    }

    [Fact]
    public async Task DeployActionCloudFormationRefuses_FailsTheRunAtThatStage_AfterTheEarlierWave_BeforeTheLaterOne()
    {
        var topics = Topics();
        topics["stage"] = null;   // its parameter file leaves out TopicName, which the template gives no default

        var (host, failure, lines) = await RunAsync(new LightSource(LightSource.Passing, topics));

        var run = Assert.IsType<PipelineRunFailedException>(Assert.IsType<KitRunFailedException>(failure).InnerException);
        Assert.Equal(("Deploy-wave2", "CreateChangeSet-stage"), (run.Stage, run.Action));
        Assert.Contains("ValidationError: Parameters: [TopicName] must have values", run.Message);
        Assert.Contains("  Deploy-wave1 Succeeded", lines);
        using var stacks = new TargetStacks(moto);
        foreach (var (environment, account, region, _) in Environments.Where(e => e.Wave == 1))
        {
            var deployed = await stacks.DescribeAsync(account, region, $"{Name}-{environment}-app");
            Assert.Equal(topics[environment], deployed?.Parameters["TopicName"]);
        }

        Assert.Empty(StageLines(lines, "Deploy-wave3"));
        Assert.DoesNotContain(host.CallLog.Traced, t => t.Parameters.GetValueOrDefault("StackName") == $"{Name}-prod-app");
    }

    [Fact]
    public async Task RejectedApproval_FailsTheRunAtProdsApprove_AndProdsChangeSetIsNotExecuted()
    {
        var workspace = await bootstrap.ReadyAsync(moto);
        var topics = Topics();
        await UploadAsync(new LightSource(LightSource.Passing, topics));
        var log = new AwsCallLog();
        using var factory = moto.Clients(log);
        var template = await factory.CloudFormation(TargetStacks.Build, "us-east-1").GetTemplateBodyAsync($"{Name}-pipeline");
        var definition = PipelineDefinitionReader.Read(template, Build, "us-east-1");
        var approver = new RejectingApprover("Approve-prod");
        using var lifetime = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        var local = LocalExecutors.Compose(new LocalComposition(definition, TargetStacks.Build, factory, moto.Url, workspace.Root,
            Path.Combine(workspace.Root, "artifacts", "local-pipeline"), new RecordingKitCommands(), approver, FullBuild: false,
            new RecordingMessages(), TimeProvider.System), lifetime.Token);
        var follower = new PipelineFollower(local, definition.Name, "us-east-1", TimeProvider.System, PollingPolicy.Emulator, new StringWriter(),
            new FollowSettings(TimeSpan.Zero, TimeSpan.FromMinutes(2), "answered by the test"));

        var id = await local.StartPipelineExecutionAsync(definition.Name, Guid.NewGuid().ToString(), lifetime.Token);
        var failure = await Assert.ThrowsAsync<PipelineRunFailedException>(() => follower.FollowAsync(id, startedByKit: true, lifetime.Token));
        await local.IdleAsync();

        Assert.Equal(("Deploy-wave3", "Approve-prod"), (failure.Stage, failure.Action));
        Assert.Contains("Rejected by the release manager: smoke test failed", failure.Message);
        Assert.Equal(["Approve-prod"], approver.Asked);
        Assert.Contains(log.Traced, t => t.Call.Operation == "CreateChangeSet" && t.Parameters.GetValueOrDefault("StackName") == $"{Name}-prod-app");
        Assert.DoesNotContain(log.Traced, t => t.Call.Operation == "ExecuteChangeSet" && t.Parameters.GetValueOrDefault("StackName") == $"{Name}-prod-app");
        using var stacks = new TargetStacks(moto);
        var stage = await stacks.DescribeAsync("333333333333", "eu-west-1", $"{Name}-stage-app");
        Assert.Equal(topics["stage"], stage?.Parameters["TopicName"]);
        var prod = await stacks.DescribeAsync("444444444444", "eu-west-1", $"{Name}-prod-app");
        Assert.NotEqual(topics["prod"], prod?.Parameters.GetValueOrDefault("TopicName"));
    }

    /// <summary>The follower's lines of the stages whose names start so: a stage line, or an action line in it.</summary>
    private static List<string> StageLines(List<string> lines, string stage) =>
        lines.Where(l => l.StartsWith($"  {stage}", StringComparison.Ordinal) || l.StartsWith($"    {stage}", StringComparison.Ordinal)).ToList();

    /// <summary>A topic name per environment, new for each run.</summary>
    private static Dictionary<string, string?> Topics()
    {
        var run = Guid.NewGuid().ToString("N")[..8];
        return Environments.ToDictionary(e => e.Name, e => (string?)$"{Name}-{e.Name}-{run}", StringComparer.Ordinal);
    }

    private async Task UploadAsync(LightSource source)
    {
        using var factory = moto.Clients();
        await source.UploadAsync(factory.S3(TargetStacks.Build, "us-east-1"), $"{Name}-source-{Build}-us-east-1", "source.zip");
    }

    /// <summary>Uploads the source, then one ./build.sh RunPipeline --auto-approve: the host (for its call log), what it threw,
    /// and the lines it printed.</summary>
    private async Task<(KitHost Host, Exception? Failure, List<string> Lines)> RunAsync(LightSource source)
    {
        var workspace = await bootstrap.ReadyAsync(moto);
        await UploadAsync(source);
        workspace.Console.GetStringBuilder().Clear();
        using var host = workspace.Host("auto-approve", "true");
        var failure = await Record.ExceptionAsync(() => Task.Run(host.RunPipeline));
        return (host, failure, [.. workspace.Console.ToString().Split('\n').Select(l => l.TrimEnd('\r'))]);
    }

    /// <summary>Rejects the named approval, approves any other; records what it was asked.</summary>
    private sealed class RejectingApprover(string rejected) : IApprovalDecider
    {
        public List<string> Asked { get; } = [];

        public async Task<ApprovalDecision> DecideAsync(ApprovalRequest request, Task neighboursDone, CancellationToken ct)
        {
            lock (Asked) Asked.Add(request.Action.Name);
            await neighboursDone.WaitAsync(ct);
            return request.Action.Name == rejected
                ? new ApprovalDecision(false, "smoke test failed", "the release manager")
                : new ApprovalDecision(true, "", "the release manager");
        }
    }

    /// <summary>The wave pipeline, bootstrapped once for the class: two environments in two accounts in wave 1, one in
    /// wave 2, prod with its approval in wave 3; an S3 source; no security gate, so a run is its deploy actions.</summary>
    public sealed class Bootstrapped : BootstrappedOnce
    {
        protected override KitWorkspace Create(MotoFixture moto)
        {
            var created = new KitWorkspace(moto, Name);
            var environments = new JsonArray();
            foreach (var (environment, account, region, wave) in Environments)
            {
                var entry = new JsonObject
                {
                    ["name"] = environment, ["account"] = account, ["region"] = region, ["wave"] = wave, ["securityApproval"] = "never",
                };
                if (environment == "prod") entry["approval"] = true;
                environments.Add(entry);
            }

            created.Config["environments"] = environments;
            created.Config["source"] = new JsonObject { ["type"] = "S3" };
            return created;
        }
    }
}
