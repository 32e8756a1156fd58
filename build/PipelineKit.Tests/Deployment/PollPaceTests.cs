namespace PipelineKit.Tests.Deployment;

using System.Diagnostics;
using PipelineKit.Deployment;

/// <summary>All the waits of one deployer share their turns: more stacks in flight wait longer each, the run does not ask
/// more often. Real time, lower bounds only: a slow machine can make a wait longer, never shorter.</summary>
public sealed class PollPaceTests
{
    private static readonly TimeSpan Gap = TimeSpan.FromMilliseconds(40);

    [Fact]
    public async Task TwentyPollsAskedAtOnce_AreHandedOutOneGapApart()
    {
        var pace = new PollPace(TimeProvider.System, Gap);
        var clock = Stopwatch.StartNew();
        var done = new List<TimeSpan>();

        await Task.WhenAll(Enumerable.Range(0, 20).Select(async _ =>
        {
            await pace.TurnAsync(CancellationToken.None);
            lock (done) done.Add(clock.Elapsed);
        }));

        Assert.Equal(20, pace.Taken);
        Assert.True(done.Max() >= Gap * 19 * 0.95, $"the last turn came after {done.Max().TotalMilliseconds:0} ms, not at least 19 gaps");
    }

    [Fact]
    public async Task TwoStacksWaits_OnOnePoller_ShareThePace()
    {
        var policy = PollingPolicy.Emulator with { Initial = TimeSpan.FromMilliseconds(1), Max = TimeSpan.FromMilliseconds(1) };
        var poller = new Poller(TimeProvider.System, policy with { PollGap = Gap });
        var clock = Stopwatch.StartNew();

        // Each stack is done at its fifth look: ten probes in all, asked about a millisecond apart each.
        await Task.WhenAll(Enumerable.Range(0, 2).Select(_ =>
        {
            var looks = 0;
            return poller.UntilAsync(_ => Task.FromResult(++looks), n => n == 5, TimeSpan.FromMinutes(1), () => "waiting", null, CancellationToken.None);
        }));

        Assert.Equal(10, poller.Pace.Taken);
        Assert.True(clock.Elapsed >= Gap * 9 * 0.95, $"ten probes took {clock.Elapsed.TotalMilliseconds:0} ms, less than nine gaps");
    }
}
