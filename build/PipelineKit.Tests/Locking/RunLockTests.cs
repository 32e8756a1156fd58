namespace PipelineKit.Tests.Locking;

using PipelineKit.Errors;
using PipelineKit.Locking;
using PipelineKit.Messages;
using PipelineKit.Testing;

/// <summary>The run lock's rules over an in-memory store with S3's conditional writes, in real time with short timings.</summary>
public sealed class RunLockTests
{
    private static readonly RunLockOwner Alice = new("arn:aws:iam::123456789012:user/alice", "laptop-a", 101);
    private static readonly RunLockOwner Ci = new("arn:aws:sts::123456789012:assumed-role/ci/job-7", "ci-runner-3", 202);

    private readonly InMemoryLockStore store = new();
    private readonly RecordingMessages messages = new();

    private static RunLockTiming Timing(TimeSpan wait, TimeSpan? lease = null, TimeSpan? renew = null) =>
        new(wait, lease ?? TimeSpan.FromSeconds(30), renew ?? TimeSpan.FromSeconds(10), TimeSpan.FromMilliseconds(20), TimeSpan.FromMilliseconds(100));

    private RunLock Lock(RunLockOwner owner, RunLockTiming timing) => new(store, owner, timing, TimeProvider.System, messages);

    [Fact]
    public async Task Acquire_WhenNobodyHoldsIt_WritesWhoHoldsItAndForWhat()
    {
        await using var first = Lock(Alice, Timing(TimeSpan.Zero));

        await first.AcquireAsync("BootstrapAll", CancellationToken.None);

        var record = store.Record!;
        Assert.Equal((Alice.Holder, "laptop-a", 101, "BootstrapAll", false), (record.Holder, record.Host, record.ProcessId, record.Target, record.Released));
        Assert.Equal(TimeSpan.FromSeconds(30), record.LeaseExpires - record.Since);
        Assert.Contains("Run lock taken: s3://bucket/pipelinekit/run-lock.json", Text(MessageCodes.RunLockTaken));
    }

    [Fact]
    public async Task Acquire_WithZeroWait_WhenAnotherRunHoldsIt_StopsNamingTheHolder()
    {
        await using var first = Lock(Alice, Timing(TimeSpan.Zero));
        await first.AcquireAsync("BootstrapAll", CancellationToken.None);
        await using var second = Lock(Ci, Timing(TimeSpan.Zero));

        var error = await Assert.ThrowsAsync<RunLockException>(() => second.AcquireAsync("CreatePipeline", CancellationToken.None));

        Assert.Equal(ErrorCodes.RunLockHeld.Code, error.Code);
        Assert.StartsWith("Another run holds the run lock (s3://bucket/pipelinekit/run-lock.json): arn:aws:iam::123456789012:user/alice on host laptop-a (pid 101, BootstrapAll) since ", error.Message);
        Assert.EndsWith("; stopped.", error.Message);
        Assert.Contains("--break-lock", error.NextStep);
        Assert.Equal(Alice.Holder, store.Record!.Holder);
    }

    [Fact]
    public async Task Acquire_WhenAnotherRunHoldsIt_SaysWhoItWaitsFor_AndTakesItOnceReleased()
    {
        var first = Lock(Alice, Timing(TimeSpan.Zero));
        await first.AcquireAsync("BootstrapAll", CancellationToken.None);
        await using var second = Lock(Ci, Timing(TimeSpan.FromSeconds(20)));

        var waiting = second.AcquireAsync("BootstrapAll", CancellationToken.None);
        await Until(() => messages.Codes.Contains(MessageCodes.RunLockWaiting.Code));
        Assert.False(waiting.IsCompleted);
        await first.DisposeAsync();
        await waiting.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.StartsWith("Waiting for the run lock: held by arn:aws:iam::123456789012:user/alice on host laptop-a (pid 101, BootstrapAll) since ",
            Text(MessageCodes.RunLockWaiting));
        Assert.Single(messages.Messages, m => m.Code == MessageCodes.RunLockWaiting.Code);
        Assert.Equal((Ci.Holder, false), (store.Record!.Holder, store.Record.Released));
    }

    [Fact]
    public async Task Acquire_WhenTheHolderKeepsItPastTheWait_StopsAfterWaiting()
    {
        await using var first = Lock(Alice, Timing(TimeSpan.Zero));
        await first.AcquireAsync("BootstrapAll", CancellationToken.None);
        await using var second = Lock(Ci, Timing(TimeSpan.FromMilliseconds(300)));

        var error = await Assert.ThrowsAsync<RunLockException>(() => second.AcquireAsync("BootstrapAll", CancellationToken.None));

        Assert.Matches(@"; stopped after waiting \d s\.$", error.Message);
    }

    [Fact]
    public async Task Acquire_WhenTheHolderWasAProcessOfThisHostThatHasEnded_TakesItOverBeforeItsLeaseRunsOut()
    {
        // A run killed on this machine (SIGKILL, a stopped CI job): waiting out its lease would stall the next run for minutes.
        var since = DateTimeOffset.UtcNow;
        store.Put(new RunLockRecord(Alice.Holder, "laptop-a", 4242, "BootstrapAll", since, since.AddSeconds(30), Machine: "boot-1/pid:[1]"));
        await using var next = Lock(Alice with { ProcessRuns = pid => pid != 4242, Machine = "boot-1/pid:[1]" }, Timing(TimeSpan.Zero));

        await next.AcquireAsync("BootstrapAll", CancellationToken.None);

        Assert.Equal(Alice.ProcessId, store.Record!.ProcessId);
        Assert.EndsWith("(pid 4242, BootstrapAll) since " + RunLockRecord.Time(since) + ": that process no longer runs on this host.",
            Text(MessageCodes.RunLockTakenOver));
    }

    [Theory]
    [InlineData("laptop-a", "boot-1/pid:[1]", true)]
    [InlineData("ci-runner-3", "boot-1/pid:[1]", false)]
    [InlineData("laptop-a", "boot-1/pid:[2]", false)] // a container sharing the host's name, with its own pids
    [InlineData("laptop-a", "boot-2/pid:[1]", false)] // a machine cloned from the same image
    [InlineData("laptop-a", null, false)] // a holder that did not say
    public async Task Acquire_WhenTheHolderMayStillRun_WaitsForItsLease(string host, string? machine, bool processRuns)
    {
        // Its process still runs here, or it ran where the kit cannot look (another host, another pid namespace, another
        // boot): only the lease tells.
        var since = DateTimeOffset.UtcNow;
        store.Put(new RunLockRecord(Alice.Holder, host, 4242, "BootstrapAll", since, since.AddSeconds(30), Machine: machine));
        await using var next = Lock(Alice with { ProcessRuns = _ => processRuns, Machine = "boot-1/pid:[1]" }, Timing(TimeSpan.Zero));

        var error = await Assert.ThrowsAsync<RunLockException>(() => next.AcquireAsync("BootstrapAll", CancellationToken.None));

        Assert.Equal(ErrorCodes.RunLockHeld.Code, error.Code);
        Assert.Equal(4242, store.Record!.ProcessId);
    }

    [Fact]
    public async Task Acquire_WhenALeaseReachesFurtherThanAnyRunTakes_TakesItOver_AndShowsTheHolderWithoutControlCharacters()
    {
        // Written by whoever may write the key, not by a run of the kit: a day-long lease would block every run.
        var since = DateTimeOffset.UtcNow;
        store.Put(new RunLockRecord("x\u001b[2K\rBuild succeeded", "ci", 7, "BootstrapAll", since, since.AddDays(1)));
        await using var next = Lock(Ci, Timing(TimeSpan.Zero));

        await next.AcquireAsync("BootstrapAll", CancellationToken.None);

        Assert.Equal(Ci.Holder, store.Record!.Holder);
        var line = Text(MessageCodes.RunLockTakenOver);
        Assert.StartsWith("Took over the run lock from x?[2K?Build succeeded on host ci ", line);
        Assert.Contains("is longer than any run of the kit takes", line);
    }

    [Fact]
    public async Task Acquire_WhenTheHoldersLeaseRanOut_TakesItOverSayingWhose()
    {
        var since = DateTimeOffset.UtcNow.AddMinutes(-20);
        store.Put(new RunLockRecord(Alice.Holder, Alice.Host, Alice.ProcessId, "BootstrapAll", since, since.AddMinutes(5)));
        await using var second = Lock(Ci, Timing(TimeSpan.Zero));

        await second.AcquireAsync("BootstrapAll", CancellationToken.None);

        Assert.Equal(Ci.Holder, store.Record!.Holder);
        Assert.StartsWith("Took over the run lock from arn:aws:iam::123456789012:user/alice on host laptop-a (pid 101, BootstrapAll) since ",
            Text(MessageCodes.RunLockTakenOver));
        Assert.Contains("its lease ran out at ", Text(MessageCodes.RunLockTakenOver));
    }

    [Fact]
    public async Task Acquire_WhenTheLastRunReleasedIt_TakesItWithoutATakeOverLine()
    {
        var first = Lock(Alice, Timing(TimeSpan.Zero));
        await first.AcquireAsync("BootstrapAll", CancellationToken.None);
        await first.DisposeAsync();
        await using var second = Lock(Ci, Timing(TimeSpan.Zero));

        await second.AcquireAsync("BootstrapAll", CancellationToken.None);

        Assert.Equal(Ci.Holder, store.Record!.Holder);
        Assert.DoesNotContain(MessageCodes.RunLockTakenOver.Code, messages.Codes);
        Assert.Contains("Run lock released: s3://bucket/pipelinekit/run-lock.json.", Text(MessageCodes.RunLockReleased));
    }

    [Fact]
    public async Task Renewal_ExtendsTheLeaseWhileTheRunWorks()
    {
        await using var first = Lock(Alice, Timing(TimeSpan.Zero, lease: TimeSpan.FromSeconds(2), renew: TimeSpan.FromMilliseconds(100)));
        await first.AcquireAsync("BootstrapAll", CancellationToken.None);
        var taken = store.Record!.LeaseExpires;

        await Until(() => store.Record!.LeaseExpires > taken);

        Assert.False(first.Lost.IsCancellationRequested);
        Assert.Equal(Alice.Holder, store.Record!.Holder);
    }

    [Fact]
    public async Task BreakLock_MarksTheHoldersLockReleased_AndTheHolderNoticesAtItsNextRenewal()
    {
        await using var first = Lock(Alice, Timing(TimeSpan.Zero, renew: TimeSpan.FromMilliseconds(100)));
        await first.AcquireAsync("BootstrapAll", CancellationToken.None);
        await using var second = Lock(Ci, Timing(TimeSpan.Zero));

        await second.BreakAsync(CancellationToken.None);
        await second.AcquireAsync("BootstrapAll", CancellationToken.None);
        await Until(() => first.Lost.IsCancellationRequested);

        Assert.StartsWith("Broke the run lock held by arn:aws:iam::123456789012:user/alice on host laptop-a (pid 101, BootstrapAll)", Text(MessageCodes.RunLockBroken));
        Assert.Contains("This run lost the run lock (s3://bucket/pipelinekit/run-lock.json): it was broken (--break-lock) or taken over by another run. No new stack starts.",
            Text(MessageCodes.RunLockLost));
        Assert.Equal(ErrorCodes.RunLockLost.Code, Assert.Throws<RunLockException>(first.ThrowIfLost).Code);
        await first.ReleaseAsync();
        Assert.Equal((Ci.Holder, false), (store.Record!.Holder, store.Record.Released));
    }

    [Fact]
    public async Task Acquire_WhenTheWritesAnswerWasLostAfterS3AppliedIt_KnowsTheLockAsItsOwn_AndReleasesIt()
    {
        store.AnswersToDrop = 1;
        var first = Lock(Alice, Timing(TimeSpan.FromSeconds(20)));

        await first.AcquireAsync("BootstrapAll", CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(5));

        Assert.True(first.IsHeld);
        Assert.DoesNotContain(MessageCodes.RunLockWaiting.Code, messages.Codes);
        store.AnswersToDrop = 1;
        await first.ReleaseAsync();
        Assert.True(store.Record!.Released);
        Assert.Contains("Run lock released", Text(MessageCodes.RunLockReleased));
    }

    [Fact]
    public async Task Renewal_WhenTheWritesAnswerWasLost_KeepsTheLock()
    {
        await using var first = Lock(Alice, Timing(TimeSpan.Zero, lease: TimeSpan.FromSeconds(5), renew: TimeSpan.FromMilliseconds(100)));
        await first.AcquireAsync("BootstrapAll", CancellationToken.None);
        var taken = store.Record!.LeaseExpires;
        store.AnswersToDrop = 1;

        await Until(() => store.Record!.LeaseExpires > taken && store.AnswersToDrop == 0);
        var renewed = store.Record!.LeaseExpires;
        await Until(() => store.Record!.LeaseExpires > renewed);

        Assert.False(first.Lost.IsCancellationRequested);
        Assert.DoesNotContain(MessageCodes.RunLockLost.Code, messages.Codes);
    }

    [Fact]
    public async Task Acquire_FromTheSameProcess_WhileAnotherLockOfItHoldsIt_Waits()
    {
        await using var first = Lock(Alice, Timing(TimeSpan.Zero));
        await first.AcquireAsync("BootstrapAll", CancellationToken.None);
        await using var second = Lock(Alice, Timing(TimeSpan.Zero));

        var error = await Assert.ThrowsAsync<RunLockException>(() => second.AcquireAsync("BootstrapAll", CancellationToken.None));

        Assert.Equal(ErrorCodes.RunLockHeld.Code, error.Code);
    }

    [Fact]
    public async Task BreakLock_WhenNobodyHoldsIt_SaysSo()
    {
        await using var second = Lock(Ci, Timing(TimeSpan.Zero));

        await second.BreakAsync(CancellationToken.None);

        Assert.Equal("--break-lock: nobody holds the run lock (s3://bucket/pipelinekit/run-lock.json).", Text(MessageCodes.RunLockBroken));
        Assert.Null(store.Record);
    }

    [Fact]
    public async Task Acquire_WhenTheBucketDoesNotExistYet_SaysSoToTheCaller()
    {
        store.Exists = false;
        await using var first = Lock(Alice, Timing(TimeSpan.Zero));

        await Assert.ThrowsAsync<RunLockUnavailableException>(() => first.AcquireAsync("BootstrapAll", CancellationToken.None));
    }

    [Fact]
    public async Task Acquire_TwoAtOnce_OnlyOneHoldsIt()
    {
        await using var a = Lock(Alice, Timing(TimeSpan.Zero));
        await using var b = Lock(Ci, Timing(TimeSpan.Zero));

        var results = await Task.WhenAll(Try(a), Try(b));

        Assert.Single(results, taken => taken);
        static async Task<bool> Try(RunLock l)
        {
            try { await l.AcquireAsync("BootstrapAll", CancellationToken.None); return true; }
            catch (RunLockException) { return false; }
        }
    }

    [Theory]
    [InlineData(0, 60_000, 20)]
    [InlineData(20, 60_000, 30)]
    [InlineData(80, 60_000, 100)]
    [InlineData(100, 60_000, 100)]
    [InlineData(80, -60, 40)]
    [InlineData(100, -500, 100)]
    public void NextPoll_StartsFast_BacksOffToTheCap_AndDoesNotSleepPastTheLease(int previousMs, int untilExpiryMs, int expectedMs)
    {
        var next = Timing(TimeSpan.FromMinutes(1)).NextPoll(TimeSpan.FromMilliseconds(previousMs), TimeSpan.FromMilliseconds(untilExpiryMs));

        Assert.Equal(TimeSpan.FromMilliseconds(expectedMs), next);
    }

    private string Text(MessageKind kind) => messages.Messages.Last(m => m.Code == kind.Code).Text;

    private static async Task Until(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (!condition())
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException("The condition did not hold within 10 s.");
            await Task.Delay(20);
        }
    }
}
