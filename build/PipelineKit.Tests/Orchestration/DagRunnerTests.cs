namespace PipelineKit.Tests.Orchestration;

using PipelineKit.Deployment;
using PipelineKit.Orchestration;
using PipelineKit.Reporting;
using PipelineKit.Testing;
using PipelineKit.Aws;

/// <summary>Stacks here wait on gates the test opens, never on the clock: the order of work is what the test says.</summary>
public class DagRunnerTests
{
    /// <summary>A bound on waiting for a signal, so a broken runner fails the test instead of hanging it.</summary>
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

    private readonly VirtualTime time = new();
    private readonly RecordingObserver observer = new();
    private readonly SemaphoreSlim started = new(0);
    private int running;
    private int maxRunning;

    private StackNode Node(string key, string[]? dependsOn = null, bool fails = false, Task? gate = null) =>
        new(new StackRef(key, "s-" + key, new StackLocation("123456789012", "us-east-1")), dependsOn ?? [], async (inputs, ct) =>
        {
            var now = Interlocked.Increment(ref running);
            InterlockedMax(ref maxRunning, now);
            started.Release();
            try
            {
                if (gate is not null) await gate.WaitAsync(ct);
                else await Task.Yield();
                if (fails)
                {
                    throw new DeploymentException(DeploymentErrorCode.StackFailed, "s-" + key, new StackLocation("123456789012", "us-east-1"),
                        "boom", "fix it");
                }

                var outputs = inputs.ToDictionary(i => "From:" + i.Key, i => i.Value.StackName);
                return new StackResult("s-" + key, new StackLocation("123456789012", "us-east-1"), StackOutcome.Created,
                    StackStatus.CreateComplete, outputs, TimeSpan.Zero);
            }
            finally
            {
                Interlocked.Decrement(ref running);
            }
        });

    private static TaskCompletionSource Gate() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    private async Task WaitForStartsAsync(int count)
    {
        for (var i = 0; i < count; i++)
        {
            Assert.True(await started.WaitAsync(Patience), $"only {i} of {count} stacks started");
        }
    }

    private static void InterlockedMax(ref int target, int value)
    {
        int seen;
        while ((seen = target) < value && Interlocked.CompareExchange(ref target, value, seen) != seen) { }
    }

    [Fact]
    public async Task Run_StartsIndependentStacksTogether_UpToTheBound()
    {
        var release = Gate();
        var nodes = Enumerable.Range(0, 6).Select(i => Node("n" + i, gate: release.Task)).ToList();

        var run = new DagRunner(3, time, observer).RunAsync(nodes);
        await WaitForStartsAsync(3);
        var runningBeforeRelease = Volatile.Read(ref running);
        release.SetResult();
        var results = await run;

        Assert.Equal(3, runningBeforeRelease);
        Assert.All(results, r => Assert.Equal(StackOutcome.Created, r.Result.Outcome));
        Assert.Equal(3, maxRunning);
    }

    [Fact]
    public async Task Run_GivesEachStackTheResultsOfItsDependencies()
    {
        var results = await new DagRunner(4, time, observer).RunAsync([Node("a"), Node("b"), Node("c", ["a", "b"])]);

        var c = results.Single(r => r.Ref.Key == "c").Result;
        Assert.Equal("s-a", c.Outputs["From:a"]);
        Assert.Equal("s-b", c.Outputs["From:b"]);
    }

    [Fact]
    public async Task Run_WhenCancelled_StopsWaiting_AndReportsEveryStack()
    {
        using var cancel = new CancellationTokenSource();
        var waitingStarted = Gate();
        var waiting = Node("waiting") with
        {
            Execute = async (_, ct) =>
            {
                waitingStarted.SetResult();
                await Gate().Task.WaitAsync(ct);
                throw new InvalidOperationException("unreachable");
            },
        };

        var run = new DagRunner(2, time, observer).RunAsync([waiting, Node("after", ["waiting"])], ct: cancel.Token);
        await waitingStarted.Task;
        cancel.Cancel();
        var results = await run;

        var stopped = results.Single(r => r.Ref.Key == "waiting").Result;
        Assert.Equal(StackOutcome.Failed, stopped.Outcome);
        Assert.StartsWith("cancelled: the kit stopped waiting", stopped.Error);
        Assert.Equal("not started: the run was cancelled", results.Single(r => r.Ref.Key == "after").Result.Error);
        Assert.Equal(2, observer.Events.OfType<StackFinished>().Count());
    }

    [Fact]
    public async Task Run_WhenAStackThrowsSomethingUnforeseen_NamesTheExceptionAndKeepsItForTheLog()
    {
        var bug = new ArgumentOutOfRangeException();
        var node = Node("buggy") with { Execute = (_, _) => Task.FromException<StackResult>(bug) };

        var results = await new DagRunner(2, time, observer).RunAsync([node, Node("after", ["buggy"])]);

        var failed = results.Single(r => r.Ref.Key == "buggy").Result;
        Assert.Equal(StackOutcome.Failed, failed.Outcome);
        Assert.Equal("ArgumentOutOfRangeException: Specified argument was out of the range of valid values.", failed.Error);
        Assert.Contains("stack trace is in the log", failed.NextStep);
        Assert.Same(bug, failed.Cause);
        Assert.Equal(StackOutcome.NotStarted, results.Single(r => r.Ref.Key == "after").Result.Outcome);
    }

    [Fact]
    public async Task Run_WhenAStackFails_LetsRunningStacksFinishAndStartsNoOther()
    {
        var slow = Gate();
        var failed = Gate();
        var watching = new FinishWatcher(observer, "fails", failed);
        var nodes = new[] { Node("slow", gate: slow.Task), Node("fails", fails: true), Node("after-fail", ["fails"]), Node("independent-later", ["slow"]) };

        // The failing stack finishes while the slow one is held; only then is the slow one let go.
        var run = new DagRunner(2, time, watching).RunAsync(nodes);
        await failed.Task.WaitAsync(Patience);
        slow.SetResult();
        var results = (await run).ToDictionary(r => r.Ref.Key, r => r.Result);

        Assert.Equal(StackOutcome.Created, results["slow"].Outcome);
        Assert.Equal(StackOutcome.Failed, results["fails"].Outcome);
        Assert.Equal("boom", results["fails"].Error);
        Assert.Equal("fix it", results["fails"].NextStep);
        Assert.Equal(StackOutcome.NotStarted, results["after-fail"].Outcome);
        Assert.Equal(StackOutcome.NotStarted, results["independent-later"].Outcome);
        Assert.Equal("not started: an earlier stack failed", results["independent-later"].Error);
    }

    [Fact]
    public async Task Run_UsesKnownResultsForDependenciesOutsideTheRun()
    {
        var known = new Dictionary<string, StackResult>
        {
            ["earlier"] = new("s-earlier", new StackLocation("1", "r"), StackOutcome.Unchanged, null, new Dictionary<string, string>(), TimeSpan.Zero),
        };

        var results = await new DagRunner(2, time, observer).RunAsync([Node("x", ["earlier"])], known);

        Assert.Equal("s-earlier", results.Single().Result.Outputs["From:earlier"]);
    }

    [Fact]
    public async Task Run_RejectsACycleBeforeStartingAnything()
    {
        var error = await Assert.ThrowsAsync<ArgumentException>(() =>
            new DagRunner(2, time, observer).RunAsync([Node("a", ["b"]), Node("b", ["a"])]));

        Assert.StartsWith("The stacks a, b depend on each other in a cycle.", error.Message);
        Assert.Empty(observer.Events);
    }

    [Fact]
    public async Task Run_RejectsAnUnknownDependency()
    {
        var error = await Assert.ThrowsAsync<ArgumentException>(() => new DagRunner(2, time, observer).RunAsync([Node("a", ["ghost"])]));

        Assert.StartsWith("a depends on ghost, which is neither in the run nor known.", error.Message);
    }

    [Fact]
    public async Task Run_ReportsQueuedStartedAndFinishedForEveryStack()
    {
        await new DagRunner(2, time, observer).RunAsync([Node("a"), Node("b", ["a"])]);

        Assert.Equal(2, observer.Events.OfType<StackQueued>().Count());
        Assert.Equal(2, observer.Events.OfType<StackStarted>().Count());
        Assert.Equal(["a", "b"], observer.Events.OfType<StackFinished>().Select(f => f.Stack.Key));
    }

    /// <summary>Records like the observer it wraps, and opens a gate once the named stack has finished.</summary>
    private sealed class FinishWatcher(IDeploymentObserver inner, string key, TaskCompletionSource finished) : IDeploymentObserver
    {
        public void On(DeploymentEvent deploymentEvent)
        {
            inner.On(deploymentEvent);
            if (deploymentEvent is StackFinished f && f.Stack.Key == key) finished.TrySetResult();
        }
    }
}
