namespace PipelineKit.Tests.Teardown;

using PipelineKit.Configuration;
using PipelineKit.Deployment;
using PipelineKit.Orchestration;
using PipelineKit.Teardown;
using PipelineKit.Testing;
using PipelineKit.Tests.Configuration;

public sealed class TeardownGraphTests
{
    private static readonly PipelineConfig Sandbox = SandboxConfigs.Accounts();

    internal static IReadOnlyList<StackNode> Foundation(FakeCloud cloud, TimeProvider time) =>
        new FoundationPlan(Sandbox, cloud.CloudFormationAt, new StackDeployer(time, PollingPolicy.Default, new RecordingObserver()), _ => "Resources: {}")
            .For(KitTarget.BootstrapAll, new Dictionary<string, StackResult>());

    [Fact]
    public void Reverse_DeletesAppStacksFirst_ThenThePipeline_ThenTargetRolesAndTheSourceStack_ThenTheBuildAccountsStacks()
    {
        var graph = TeardownGraph.Reverse(Foundation(new FakeCloud(new VirtualTime()), new VirtualTime()), Sandbox).ToDictionary(s => s.Key);

        var apps = Sandbox.Environments.Select(e => "app:" + e.Name).ToArray();
        var roles = Sandbox.TargetAccounts.Select(a => "roles:" + a.AccountId).ToArray();
        Assert.All(apps, a => Assert.Empty(graph[a].After));
        Assert.Equal(apps.Order(StringComparer.Ordinal), graph["pipeline"].After);
        Assert.All(roles, r => Assert.Equal(["pipeline"], graph[r].After));
        // The sandbox's CodeCommit source account: its stack goes after the pipeline, and before the primary stack it reads.
        Assert.Equal(["pipeline"], graph["source"].After);
        Assert.Equal("555555555555", graph["source"].Ref.Location.AccountId);
        Assert.Equal(["pipeline", .. roles, "source"], graph["primary"].After);
        Assert.Equal(["pipeline", .. roles], graph["regional:us-west-2"].After);
        Assert.DoesNotContain(graph.Keys, k => k.StartsWith("policy:", StringComparison.Ordinal));
        Assert.Equal("sandbox-dev-app", graph["app:dev"].Ref.StackName);
    }

    [Fact]
    public async Task Reverse_IsAGraphTheDagRunnerAccepts_AndRunsInThatOrder()
    {
        var time = new VirtualTime();
        var graph = TeardownGraph.Reverse(Foundation(new FakeCloud(time), time), Sandbox);
        var order = new List<string>();
        var nodes = graph.Select(s => new StackNode(s.Ref, s.After, (_, _) =>
        {
            lock (order) order.Add(s.Key);
            return Task.FromResult(new StackResult(s.Ref.StackName, s.Ref.Location, StackOutcome.Deleted, null, new Dictionary<string, string>(), TimeSpan.Zero));
        })).ToList();

        await new DagRunner(8, time, new RecordingObserver()).RunAsync(nodes);

        Assert.True(order.IndexOf("pipeline") > order.FindLastIndex(k => k.StartsWith("app:", StringComparison.Ordinal)));
        Assert.True(order.IndexOf("primary") > order.FindLastIndex(k => k.StartsWith("roles:", StringComparison.Ordinal)));
    }
}
