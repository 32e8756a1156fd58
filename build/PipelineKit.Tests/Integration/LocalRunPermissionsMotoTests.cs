namespace PipelineKit.Tests.Integration;

using Amazon.Runtime;
using PipelineKit.Aws;
using PipelineKit.Orchestration;

/// <summary>
/// The local pipeline run's permission check on the emulator, which evaluates no IAM: a release through the deployed
/// pipeline is checked call by call against the policies deployed and passes; with one environment's action role narrowed
/// on the emulator, the run fails where AWS would fail it, at that environment's CreateChangeSet, although the emulator
/// itself lets the very same call through. One environment keeps the release short.
/// </summary>
[Collection(MotoReleaseCollection.Name)]
public sealed class LocalRunPermissionsMotoTests(MotoFixture moto, LocalRunPermissionsMotoTests.Bootstrapped bootstrapped)
    : IClassFixture<LocalRunPermissionsMotoTests.Bootstrapped>
{
    private const string Name = "permrun";
    private const string Dev = "222222222222";
    private static readonly string ActionRole = $"arn:aws:iam::{Dev}:role/{Name}-pipeline-action";

    [Fact]
    public async Task ARelease_ChecksEveryCallOfTheRoleChain_AndDeniesNone()
    {
        var workspace = await bootstrapped.ReadyAsync(moto);

        var output = RunPipeline(workspace, out var failure);

        Assert.Null(failure);
        var summary = Assert.Single(Lines(output), l => l.StartsWith("Permissions: ", StringComparison.Ordinal));
        var count = int.Parse(summary.Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture);
        // Source, the build (with its in-process PublishSampleApp), the change set, the security check and the execution:
        // dozens of calls, every one decided.
        Assert.True(count >= 20, summary);
        Assert.Contains("calls checked against the deployed policies, 0 denied", summary, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnActionRoleDeniedCreateChangeSet_FailsTheRunThere_AsAwsWould_ThoughTheEmulatorAllowsIt()
    {
        var workspace = await bootstrapped.ReadyAsync(moto);
        await moto.Cli(Dev, "iam", "put-role-policy", "--role-name", $"{Name}-pipeline-action", "--policy-name", "no-change-sets",
            "--policy-document", """{"Version":"2012-10-17","Statement":[{"Sid":"NoChangeSets","Effect":"Deny","Action":"cloudformation:CreateChangeSet","Resource":"*"}]}""");
        try
        {
            var output = RunPipeline(workspace, out var failure);

            Assert.NotNull(failure);
            // The failing action's error, as the follower shows it and the run's failure repeats it.
            var denied = Lines(output).FirstOrDefault(l => l.StartsWith("Deploy-dev Failed: CreateChangeSet", StringComparison.Ordinal) && l.Contains("AccessDenied", StringComparison.Ordinal));
            Assert.True(denied is not null, output);
            Assert.Contains($"assumed-role/{Name}-pipeline-action/", denied, StringComparison.Ordinal);
            Assert.Contains("is not authorized to perform: cloudformation:CreateChangeSet", denied, StringComparison.Ordinal);
            Assert.Contains("NoChangeSets", denied, StringComparison.Ordinal);
            Assert.Contains(Lines(output), l => l.Contains("calls checked against the deployed policies, 1 denied", StringComparison.Ordinal));
            Assert.IsAssignableFrom<PipelineKit.Errors.KitException>(failure);

            // The emulator itself: the same role's session creates the change set without a word.
            var trace = new PermissionTrace(moto, PermissionTrace.Load(workspace), Path.Combine(workspace.Root, "artifacts", "outputs.json"));
            var session = await trace.AssumeAsync(ActionRole);
            using var clients = moto.Clients();
            var cfn = clients.CloudFormation(new SessionAWSCredentials(session.AccessKeyId, session.SecretAccessKey, session.SessionToken), "us-east-1");
            var created = await cfn.CreateChangeSetAsync(new CreateChangeSetRequest($"{Name}-probe", "probe", ChangeSetType.Create,
                """{"Resources":{"H":{"Type":"AWS::CloudFormation::WaitConditionHandle"}}}""", null,
                new Dictionary<string, string>(), new Dictionary<string, string>(), [], Guid.NewGuid().ToString()));
            Assert.NotNull(created);
        }
        finally
        {
            await moto.Cli(Dev, "iam", "delete-role-policy", "--role-name", $"{Name}-pipeline-action", "--policy-name", "no-change-sets");
        }
    }

    private static string RunPipeline(KitWorkspace workspace, out Exception? failure)
    {
        var before = workspace.Console.ToString().Length;
        failure = null;
        using var host = workspace.Host("auto-approve", "true");
        try
        {
            host.RunPipeline();
        }
        catch (Exception e)
        {
            failure = e;
        }

        return workspace.Console.ToString()[before..] + (failure is null ? "" : "\n" + failure.Message);
    }

    private static string[] Lines(string text) => text.Split('\n', StringSplitOptions.TrimEntries);

    /// <summary>The pipeline of one environment (dev), bootstrapped once for the class in the repository (its sample app is
    /// the source the local run builds).</summary>
    public sealed class Bootstrapped : BootstrappedOnce
    {
        protected override KitWorkspace Create(MotoFixture moto)
        {
            var created = new KitWorkspace(moto, Name, inRepository: true);
            created.Config["environments"] = new System.Text.Json.Nodes.JsonArray(
                new System.Text.Json.Nodes.JsonObject { ["name"] = "dev", ["account"] = Dev, ["region"] = "us-east-1" });
            return created;
        }
    }
}
