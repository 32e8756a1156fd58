namespace PipelineKit.Tests.Reporting;

using PipelineKit.Deployment;
using PipelineKit.Reporting;
using PipelineKit.Aws;
using static Fixture;

public sealed class LiveConsoleViewTests
{
    private static string LastFrame(string output)
    {
        var start = output.LastIndexOf("\u001b[J", StringComparison.Ordinal);
        return StripAnsi(output[(start + 3)..]);
    }

    [Fact]
    public void Dispose_DrawsFinalFrameWithEveryStacksFinalState()
    {
        var time = new ManualTime(T0);
        var output = new StringWriter();
        var view = new LiveConsoleView(output, time);

        foreach (var stack in new[] { Primary, DevRoles, ProdRoles }) view.On(new StackQueued(stack, time.GetUtcNow()));
        view.On(new StackStarted(Primary, time.GetUtcNow()));
        view.On(new StackStarted(DevRoles, time.GetUtcNow()));
        view.On(new StackProgress(Primary, time.GetUtcNow(), "creating change set"));
        time.Advance(TimeSpan.FromSeconds(42));
        view.On(new StackFinished(Primary, time.GetUtcNow(), Result(Primary, StackOutcome.Created, StackStatus.CreateComplete, 42)));
        view.On(new StackFinished(DevRoles, time.GetUtcNow(), Result(DevRoles, StackOutcome.Failed, StackStatus.RollbackComplete, 65)));
        view.On(new StackFinished(ProdRoles, time.GetUtcNow(), Result(ProdRoles, StackOutcome.NotStarted, null, 0)));
        view.Dispose();

        var frame = LastFrame(output.ToString()).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(
        [
            "✓ primary     123456789012/us-east-1  00:42  created CREATE_COMPLETE",
            "✗ roles:dev   222222222222/us-east-1  01:05  failed ROLLBACK_COMPLETE",
            "· roles:prod  444444444444/eu-west-1    -    not started",
        ], frame);
        Assert.EndsWith("\u001b[?25h", output.ToString());
    }

    [Fact]
    public void On_WhileRunning_ShowsPhaseAndElapsedFromTheClock()
    {
        var time = new ManualTime(T0);
        var output = new StringWriter();
        var view = new LiveConsoleView(output, time);

        view.On(new StackStarted(Regional, time.GetUtcNow()));
        time.Advance(TimeSpan.FromSeconds(75));
        view.On(new StackProgress(Regional, time.GetUtcNow(), "waiting", StackStatus.CreateInProgress));
        view.Dispose();

        Assert.Equal("… regional:us-west-2  123456789012/us-west-2  01:15  waiting (CREATE_IN_PROGRESS)\n", LastFrame(output.ToString()));
    }

    [Fact]
    public void On_FailedResourceEvent_PrintsPermanentLineOnceAboveTable()
    {
        var time = new ManualTime(T0);
        var output = new StringWriter();
        var view = new LiveConsoleView(output, time);
        var failed = Event(DevRoles, "e-1", "PipelineActionRole", "AWS::IAM::Role", "CREATE_FAILED", "Role already exists");

        view.On(new StackStarted(DevRoles, T0));
        view.On(new StackResourceEvent(DevRoles, T0, failed));
        view.On(new StackResourceEvent(DevRoles, T0, failed));
        view.Dispose();

        var text = StripAnsi(output.ToString());
        const string line = "✗ roles:dev 222222222222/us-east-1 PipelineActionRole CREATE_FAILED: Role already exists\n";
        Assert.Single(System.Text.RegularExpressions.Regex.Matches(text, System.Text.RegularExpressions.Regex.Escape(line)));
        // The table after it is redrawn in place: the cursor moves up over the table only, never over the line.
        Assert.Contains("\u001b[1A", output.ToString());
    }

    [Fact]
    public void Draw_WithWidth_CutsTableLinesToFit()
    {
        var time = new ManualTime(T0);
        var output = new StringWriter();
        var view = new LiveConsoleView(output, time, width: 30);

        view.On(new StackStarted(Primary, T0));
        view.On(new StackProgress(Primary, T0, "a rather long description of what happens now"));
        view.Dispose();

        var line = LastFrame(output.ToString()).TrimEnd('\n');
        Assert.Equal(29, line.Length);
        Assert.EndsWith("…", line);
    }

    [Fact]
    public void On_FromManyThreads_KeepsOneRowPerStack()
    {
        var time = new ManualTime(T0);
        var output = new StringWriter();
        var view = new LiveConsoleView(output, time, refreshInterval: TimeSpan.Zero);
        var stacks = Enumerable.Range(0, 16)
            .Select(i => new StackRef($"s{i:00}", $"stack-{i}", new StackLocation("123456789012", "us-east-1"))).ToArray();

        Parallel.ForEach(stacks, stack =>
        {
            view.On(new StackStarted(stack, T0));
            for (var n = 0; n < 50; n++) view.On(new StackProgress(stack, T0, $"step {n}"));
            view.On(new StackFinished(stack, T0, Result(stack, StackOutcome.Unchanged, StackStatus.CreateComplete, 1)));
        });
        view.Dispose();

        var frame = LastFrame(output.ToString()).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(16, frame.Length);
        Assert.All(frame, line => Assert.EndsWith("unchanged CREATE_COMPLETE", line));
    }
}
