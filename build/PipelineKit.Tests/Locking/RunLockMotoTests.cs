namespace PipelineKit.Tests.Locking;

using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;
using PipelineKit.Errors;
using PipelineKit.Locking;
using PipelineKit.Messages;
using PipelineKit.Testing;
using PipelineKit.Tests.Integration;

/// <summary>The run lock on the emulator's S3: the conditional writes it relies on (If-None-Match "*", If-Match ETAG) are
/// the service's, in a versioned bucket as the source bucket is.</summary>
[Collection("moto")]
public sealed class RunLockMotoTests(MotoFixture moto) : IAsyncLifetime
{
    private const string Account = "123456789012";
    private static readonly RunLockOwner Alice = new("arn:aws:iam::123456789012:user/alice", "laptop-a", 101);
    private static readonly RunLockOwner Ci = new("arn:aws:sts::123456789012:assumed-role/ci/job-7", "ci-runner-3", 202);

    private readonly string bucket = $"lock-{Guid.NewGuid():N}"[..30];
    private readonly RecordingMessages messages = new();
    private IAmazonS3 s3 = null!;

    public async Task InitializeAsync()
    {
        s3 = moto.Clients().S3(new BasicAWSCredentials("testing", "testing"), "us-east-1");
        await s3.PutBucketAsync(bucket);
        await s3.PutBucketVersioningAsync(new PutBucketVersioningRequest
        {
            BucketName = bucket,
            VersioningConfig = new S3BucketVersioningConfig { Status = VersionStatus.Enabled },
        });
    }

    public Task DisposeAsync() => Task.CompletedTask;

    private S3RunLockStore Store(string? name = null) => new(s3, name ?? bucket, "pipelinekit/run-lock.json", Account);

    private RunLock Lock(RunLockOwner owner, TimeSpan wait, TimeSpan? renew = null) => new(Store(), owner,
        new RunLockTiming(wait, TimeSpan.FromSeconds(30), renew ?? TimeSpan.FromSeconds(10), TimeSpan.FromMilliseconds(50), TimeSpan.FromMilliseconds(200)),
        TimeProvider.System, messages);

    [Fact]
    public async Task Store_WritesOnlyWhenItsConditionHolds()
    {
        var store = Store();

        var created = await store.CreateAsync("one", CancellationToken.None);
        var again = await store.CreateAsync("two", CancellationToken.None);
        var stale = await store.ReplaceAsync("three", "\"0123456789abcdef0123456789abcdef\"", CancellationToken.None);
        var replaced = await store.ReplaceAsync("four", created!, CancellationToken.None);

        Assert.NotNull(created);
        Assert.Null(again);
        Assert.Null(stale);
        Assert.NotNull(replaced);
        Assert.Equal(new StoredLock("four", replaced!), await store.ReadAsync(CancellationToken.None));
    }

    [Fact]
    public async Task Store_WithoutItsBucket_SaysTheLockHasNoPlaceYet()
    {
        var store = Store("lock-bucket-that-does-not-exist");

        await Assert.ThrowsAsync<RunLockUnavailableException>(() => store.ReadAsync(CancellationToken.None));
    }

    [Fact]
    public async Task SecondHolder_WaitsNamingTheFirst_ThenGetsItAfterRelease()
    {
        var first = Lock(Alice, TimeSpan.Zero);
        await first.AcquireAsync("BootstrapAll", CancellationToken.None);
        await using var second = Lock(Ci, TimeSpan.FromSeconds(30));

        var waiting = second.AcquireAsync("BootstrapAll", CancellationToken.None);
        while (!messages.Codes.Contains(MessageCodes.RunLockWaiting.Code)) await Task.Delay(20);
        Assert.False(waiting.IsCompleted);
        await first.DisposeAsync();
        await waiting.WaitAsync(TimeSpan.FromSeconds(20));

        Assert.Contains("held by arn:aws:iam::123456789012:user/alice on host laptop-a (pid 101, BootstrapAll) since ",
            messages.Messages.Single(m => m.Code == MessageCodes.RunLockWaiting.Code).Text);
        Assert.Equal(Ci.Holder, await HolderAsync());
    }

    [Fact]
    public async Task SecondHolder_WithZeroWait_StopsNamingTheHolder()
    {
        await using var first = Lock(Alice, TimeSpan.Zero);
        await first.AcquireAsync("BootstrapAll", CancellationToken.None);
        await using var second = Lock(Ci, TimeSpan.Zero);

        var error = await Assert.ThrowsAsync<RunLockException>(() => second.AcquireAsync("BootstrapAll", CancellationToken.None));

        Assert.Equal(ErrorCodes.RunLockHeld.Code, error.Code);
        Assert.Contains("arn:aws:iam::123456789012:user/alice on host laptop-a (pid 101, BootstrapAll)", error.Message);
        Assert.Equal(Alice.Holder, await HolderAsync());
    }

    [Fact]
    public async Task ExpiredLease_IsTakenOver_SayingSo()
    {
        var since = DateTimeOffset.UtcNow.AddHours(-1);
        await Store().CreateAsync(new RunLockRecord(Alice.Holder, Alice.Host, Alice.ProcessId, "BootstrapAll", since, since.AddMinutes(5)).ToJson(), CancellationToken.None);
        await using var second = Lock(Ci, TimeSpan.Zero);

        await second.AcquireAsync("BootstrapAll", CancellationToken.None);

        Assert.Equal(Ci.Holder, await HolderAsync());
        Assert.Contains(MessageCodes.RunLockTakenOver.Code, messages.Codes);
    }

    [Fact]
    public async Task BreakLock_FreesAHeldLock_AndTheHolderLosesItAtItsNextRenewal()
    {
        await using var first = Lock(Alice, TimeSpan.Zero, renew: TimeSpan.FromMilliseconds(200));
        await first.AcquireAsync("BootstrapAll", CancellationToken.None);
        await using var second = Lock(Ci, TimeSpan.Zero);

        await second.BreakAsync(CancellationToken.None);
        await second.AcquireAsync("BootstrapAll", CancellationToken.None);
        await Task.Delay(TimeSpan.FromSeconds(5), first.Lost).ContinueWith(_ => { });

        Assert.True(first.Lost.IsCancellationRequested);
        Assert.Equal(Ci.Holder, await HolderAsync());
    }

    private async Task<string?> HolderAsync() =>
        RunLockRecord.Parse((await Store().ReadAsync(CancellationToken.None))!.Body) is { Released: false } held ? held.Holder : null;
}
