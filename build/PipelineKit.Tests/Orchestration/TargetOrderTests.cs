namespace PipelineKit.Tests.Orchestration;

using System.Text.RegularExpressions;
using PipelineKit.Configuration;
using PipelineKit.Deployment;
using PipelineKit.Orchestration;
using PipelineKit.Testing;
using PipelineKit.Tests.Configuration;

/// <summary>The dependency order is written twice: as the stack graph (what BootstrapAll runs) and as build.cake's
/// IsDependentOn chain (what a single target runs first). These tests hold the two together.</summary>
public partial class TargetOrderTests
{
    [Fact]
    public void BuildCake_DependsOnExactlyTheTargetsTheStackGraphNeeds()
    {
        Assert.Equal(Format(GraphTargetDependencies()), Format(CakeDependencies().Where(d => d.Key != "DeploySampleApp").ToDictionary()));
    }

    [Fact]
    public void BuildCake_DeploySampleAppFollowsTheTargetThatDeploysThePipeline()
    {
        Assert.Equal([FoundationPlan.TargetOf(FoundationPlan.PipelineKey)], CakeDependencies()["DeploySampleApp"]);
    }

    /// <summary>Target-level edges of the BootstrapAll graph, without the ones implied by others (transitive reduction).</summary>
    private static Dictionary<string, List<string>> GraphTargetDependencies()
    {
        var time = new VirtualTime();
        // The graph's fullest shape: the sandbox with a CodeCommit source in another account (DeploySourceAccount).
        var config = SandboxConfigs.Accounts() with
        {
            Source = new CodeCommitSource("hello", "main", "555555555555", "arn:aws:iam::555555555555:role/sandbox-source-action"),
        };
        var plan = new FoundationPlan(config, new FakeCloud(time).CloudFormationAt,
            new StackDeployer(time, PollingPolicy.Default, new RecordingObserver()), _ => "");
        var edges = new Dictionary<string, HashSet<string>>(StringComparer.Ordinal);
        foreach (var node in plan.For(KitTarget.BootstrapAll, new Dictionary<string, StackResult>()))
        {
            var target = FoundationPlan.TargetOf(node.Key);
            if (!edges.TryGetValue(target, out var needs)) edges[target] = needs = [];
            needs.UnionWith(node.DependsOn.Select(FoundationPlan.TargetOf).Where(t => t != target));
        }

        bool Reaches(string from, string to) => edges[from].Any(n => n == to || Reaches(n, to));
        return edges.ToDictionary(
            e => e.Key,
            e => e.Value.Where(d => !e.Value.Any(other => other != d && Reaches(other, d))).Order(StringComparer.Ordinal).ToList());
    }

    private static Dictionary<string, List<string>> CakeDependencies()
    {
        var script = File.ReadAllText(Path.Combine(PipelineKit.Tests.Templates.TemplateLintTests.RepositoryRoot(), "build.cake"));
        var tasks = TaskPattern().Split(script).Skip(1).Chunk(2);
        return tasks
            .Where(t => Enum.TryParse<KitTarget>(t[0], out var target) && target != KitTarget.BootstrapAll)
            .ToDictionary(
                t => t[0],
                t => DependencyPattern().Matches(t[1]).Select(m => m.Groups[1].Value).Order(StringComparer.Ordinal).ToList());
    }

    private static string Format(Dictionary<string, List<string>> dependencies) =>
        string.Join("\n", dependencies.OrderBy(d => d.Key, StringComparer.Ordinal).Select(d => $"{d.Key} <- {string.Join(", ", d.Value)}"));

    [GeneratedRegex("""Task\("(\w+)"\)""")]
    private static partial Regex TaskPattern();

    [GeneratedRegex("""\.IsDependentOn\("(\w+)"\)""")]
    private static partial Regex DependencyPattern();
}
