namespace PipelineKit.Tests.Integration;

using System.Text.RegularExpressions;
using PipelineKit.Orchestration;

/// <summary>./build.sh CreatePipeline runs three prerequisites as Cake tasks first: the user sees one summary of them all.</summary>
[Collection(MotoBootstrapCollection.Name)]
public class TargetChainMotoTests(MotoFixture moto)
{
    [Fact]
    public async Task ANamedTargetWithPrerequisites_EndsWithOneSummary_OfEveryTargetAndStackItRan()
    {
        using var workspace = new KitWorkspace(moto, "it-chain");

        await workspace.RunAsCake(KitTarget.CreatePipeline,
            KitTarget.BootstrapPrimary, KitTarget.RegionalStacks, KitTarget.DeployTargetRoles, KitTarget.CreatePipeline);

        var console = workspace.Console.ToString();
        Assert.Single(Regex.Matches(console, "^AWS calls: ", RegexOptions.Multiline));
        Assert.Single(Regex.Matches(console, "^Outputs: ", RegexOptions.Multiline));
        Assert.Contains("BootstrapPrimary, RegionalStacks, DeployTargetRoles, CreatePipeline: it-chain (", console, StringComparison.Ordinal);
        // The one table lists the stacks of every target: 3 build-account stacks, 3 target accounts' roles, the pipeline.
        foreach (var key in new[] { "primary", "regional:us-west-2", "regional:eu-west-1", "roles:222222222222", "roles:444444444444", "pipeline" })
        {
            Assert.Matches(new Regex($"^{Regex.Escape(key)} ", RegexOptions.Multiline), console);
        }

        Assert.Contains("7 created", console, StringComparison.Ordinal);
        Assert.DoesNotMatch(new Regex("^policy:", RegexOptions.Multiline), console);
    }

    [Fact]
    public async Task APrerequisiteRunAlone_ReportsItsOwnSummary_AndTheTeardownAddsNone()
    {
        using var workspace = new KitWorkspace(moto, "it-chain-one");

        await workspace.RunAsCake(KitTarget.BootstrapPrimary, KitTarget.BootstrapPrimary);

        var console = workspace.Console.ToString();
        Assert.Single(Regex.Matches(console, "^AWS calls: ", RegexOptions.Multiline));
        Assert.Contains("BootstrapPrimary: it-chain-one (", console, StringComparison.Ordinal);
    }
}
