namespace PipelineKit.Tests.Benchmarks;

using PipelineKit.Benchmarks;
using PipelineKit.Deployment;
using PipelineKit.Testing;

public class CriticalPathTests
{
    private readonly CriticalPath path = new(new VirtualTime(), TimeSpan.Zero, PollingPolicy.Default);

    [Fact]
    public async Task Measure_ThreeAccountsInTwoRegions_CountsTwoLevelsForTheKit_AndSevenForTheScriptsPhases()
    {
        var kit = await path.MeasureAsync(new Topology(3, 2), Schedules.Kit, int.MaxValue, TimeSpan.Zero);
        var script = await path.MeasureAsync(new Topology(3, 2), Schedules.Script, int.MaxValue, TimeSpan.Zero);

        Assert.Equal(2, kit.Levels);
        Assert.Equal(7, script.Levels);
        // primary, regional, 3 roles, 2 policy checks, pipeline; the script: 1 + 3 + 1 + 1 + 3 + 1 + 1 stack operations.
        Assert.Equal((8, 11), (kit.Stacks, script.Stacks));
    }

    [Fact]
    public async Task Measure_OneRegion_TheScriptHasNoRegionalPhase()
    {
        var script = await path.MeasureAsync(new Topology(1, 1), Schedules.Script, int.MaxValue, TimeSpan.Zero);

        Assert.Equal(6, script.Levels);
    }

    [Fact]
    public async Task Measure_AtParallelismOne_StillCountsTheGraphsLevels_NotTheQueue()
    {
        var kit = await path.MeasureAsync(new Topology(3, 2), Schedules.Kit, 1, TimeSpan.Zero);

        Assert.Equal(2, kit.Levels);
    }
}
