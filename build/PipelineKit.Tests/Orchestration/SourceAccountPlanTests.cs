namespace PipelineKit.Tests.Orchestration;

using PipelineKit.Aws;
using PipelineKit.Configuration;
using PipelineKit.Deployment;
using PipelineKit.Orchestration;
using PipelineKit.Testing;
using PipelineKit.Tests.Configuration;

/// <summary>DeploySourceAccount: a CodeCommit source in another account gets the kit's source stack there, a node of the
/// foundation graph that needs only the primary stack, and the pipeline waits for it.</summary>
public class SourceAccountPlanTests
{
    private const string SourceAccount = "555555555555";
    private readonly VirtualTime time = new();
    private readonly FakeCloud cloud;
    private readonly RecordingObserver observer = new();

    public SourceAccountPlanTests() => cloud = new FakeCloud(time);

    private static PipelineConfig WithSource(SourceSettings source) => SandboxConfigs.Accounts() with { Source = source };

    private static PipelineConfig CrossAccount(string roleArn = "arn:aws:iam::555555555555:role/sandbox-source-action") =>
        WithSource(new CodeCommitSource("hello", "main", SourceAccount, roleArn));

    private FoundationPlan Plan(PipelineConfig config) =>
        new(config, cloud.CloudFormationAt, new StackDeployer(time, PollingPolicy.Default, observer), _ => "Resources: {}");

    private async Task<Dictionary<string, StackResult>> Run(KitTarget target, PipelineConfig config, Dictionary<string, StackResult>? known = null)
    {
        known ??= [];
        var results = await new DagRunner(4, time, observer).RunAsync(Plan(config).For(target, known), known);
        foreach (var (stackRef, result) in results) known[stackRef.Key] = result;
        return results.ToDictionary(r => r.Ref.Key, r => r.Result);
    }

    [Fact]
    public async Task BootstrapAll_WithCodeCommitInAnotherAccount_DeploysTheSourceStackThere_FromThePrimaryStacksBucketAndKey()
    {
        var results = await Run(KitTarget.BootstrapAll, CrossAccount());

        var source = results["source"];
        Assert.True(source.Succeeded, source.Error);
        Assert.Equal(StackOutcome.Created, source.Outcome);
        Assert.Equal(new StackLocation(SourceAccount, "us-east-1"), source.Location);
        var deployed = cloud.At(new StackLocation(SourceAccount, "us-east-1")).Peek("pipelinekit-sandbox-source")!;
        var primary = results["primary"].Outputs;
        Assert.Equal(
            new Dictionary<string, string>
            {
                ["PipelineName"] = "sandbox",
                ["BuildAccountId"] = "123456789012",
                ["RepositoryName"] = "hello",
                ["BranchName"] = "main",
                ["SourceRoleName"] = "sandbox-source-action",
                ["SourceRolePath"] = "/",
                ["ArtifactBucketArn"] = primary["ArtifactBucketArn"],
                ["PipelineArtifactPrefix"] = "sandbox-pipeline",
                ["ArtifactKeyArn"] = primary["ArtifactKeyArn"],
            },
            deployed.Parameters.OrderBy(p => p.Key, StringComparer.Ordinal).ToDictionary());
    }

    [Fact]
    public async Task BootstrapAll_RunAgain_LeavesTheSourceStackUnchanged()
    {
        await Run(KitTarget.BootstrapAll, CrossAccount());
        var before = cloud.MutatingCalls.Count;

        var second = await Run(KitTarget.BootstrapAll, CrossAccount());

        Assert.Equal(StackOutcome.Unchanged, second["source"].Outcome);
        Assert.Equal(before, cloud.MutatingCalls.Count);
    }

    [Fact]
    public void Graph_SourceNeedsOnlyThePrimaryStack_AndThePipelineWaitsForIt_OneLevelLater()
    {
        var withSource = Plan(CrossAccount()).For(KitTarget.BootstrapAll, new Dictionary<string, StackResult>());
        var without = Plan(WithSource(new S3Source())).For(KitTarget.BootstrapAll, new Dictionary<string, StackResult>());

        Assert.Equal(["primary"], withSource.Single(n => n.Key == "source").DependsOn);
        Assert.Contains("source", withSource.Single(n => n.Key == "pipeline").DependsOn);
        // The source stack takes the artifact key's ARN from the primary stack, so it follows it, and the pipeline follows
        // the source stack: one level more than without it (the foundation is otherwise one level).
        Assert.Equal(Levels(without).Values.Max() + 1, Levels(withSource).Values.Max());
    }

    [Fact]
    public void CreatePipelineAlone_DoesNotReadTheSourceStack()
    {
        // The self-update runs CreatePipeline --exclusive as the update role, which may not reach the source account.
        var nodes = Plan(CrossAccount()).For(KitTarget.CreatePipeline, new Dictionary<string, StackResult>());

        Assert.DoesNotContain(nodes, n => n.Key == "source" || n.Ref.Location.AccountId == SourceAccount);
        Assert.DoesNotContain("source", nodes.Single(n => n.Key == "pipeline").DependsOn);
    }

    public static TheoryData<string> SourcesWithoutASourceStack => ["S3", "CodeCommit in the build account", "CodeStarConnection"];

    [Theory]
    [MemberData(nameof(SourcesWithoutASourceStack))]
    public void BootstrapAll_WithoutACrossAccountCodeCommitSource_HasNoSourceStack(string kind)
    {
        SourceSettings source = kind switch
        {
            "S3" => new S3Source(),
            "CodeStarConnection" => new CodeStarConnectionSource(
                "arn:aws:codestar-connections:us-east-1:123456789012:connection/0a1b2c3d-4e5f-6789-abcd-ef0123456789", "org/hello", "main"),
            _ => new CodeCommitSource("hello", "main", "123456789012", "arn:aws:iam::123456789012:role/hello-source"),
        };
        var plan = Plan(WithSource(source));

        Assert.DoesNotContain(plan.For(KitTarget.BootstrapAll, new Dictionary<string, StackResult>()), n => n.Key == "source");
        Assert.Empty(plan.For(KitTarget.DeploySourceAccount, new Dictionary<string, StackResult>()));
    }

    [Fact]
    public async Task DeploySourceAccountAlone_ReadsThePrimaryStack_AndDeploysOnlyTheSourceStack()
    {
        await Run(KitTarget.BootstrapPrimary, CrossAccount());
        var results = await Run(KitTarget.DeploySourceAccount, CrossAccount());

        Assert.Equal(["primary", "source"], results.Keys);
        Assert.Equal(StackOutcome.Unchanged, results["primary"].Outcome);
        Assert.Equal(StackOutcome.Created, results["source"].Outcome);
        Assert.Equal("DeploySourceAccount", FoundationPlan.TargetOf("source"));
    }

    [Fact]
    public async Task ExplicitRoleArnWithAPath_NamesTheRoleAndItsPath()
    {
        await Run(KitTarget.BootstrapAll, CrossAccount("arn:aws:iam::555555555555:role/team/ci/hello-reader"));

        var deployed = cloud.At(new StackLocation(SourceAccount, "us-east-1")).Peek("pipelinekit-sandbox-source")!;
        Assert.Equal("hello-reader", deployed.Parameters["SourceRoleName"]);
        Assert.Equal("/team/ci/", deployed.Parameters["SourceRolePath"]);
    }

    /// <summary>Each node's depth: 0 for no dependencies, else one more than its deepest dependency.</summary>
    private static Dictionary<string, int> Levels(IReadOnlyList<StackNode> nodes)
    {
        var levels = new Dictionary<string, int>(StringComparer.Ordinal);
        int Level(StackNode node) => levels.TryGetValue(node.Key, out var known) ? known
            : levels[node.Key] = node.DependsOn.Count == 0 ? 0 : node.DependsOn.Max(d => Level(nodes.Single(n => n.Key == d))) + 1;
        foreach (var node in nodes) Level(node);
        return levels.Where(l => l.Key != "source").ToDictionary(StringComparer.Ordinal);
    }
}
