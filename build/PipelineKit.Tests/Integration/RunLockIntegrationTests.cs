namespace PipelineKit.Tests.Integration;

using PipelineKit.Deployment;
using PipelineKit.Errors;
using PipelineKit.Locking;
using PipelineKit.Naming;
using PipelineKit.Orchestration;

/// <summary>Two runs on one configuration, in one process, on one emulator: the run lock in the source bucket keeps them
/// apart, and is let go when a run ends however it ends.</summary>
[Collection("moto")]
public sealed class RunLockIntegrationTests(MotoFixture moto)
{
    private const string Moto = "arn:aws:sts::123456789012:user/moto";

    [Fact]
    public async Task TwoBootstrapAllAtOnce_BothSucceed_OneAfterTheOther_AndTheStacksEndComplete()
    {
        using var one = new KitWorkspace(moto, "lk-both");
        using var two = new KitWorkspace(moto, "lk-both");
        // The lock lives in the source bucket, which the primary stack makes: two first runs meet on that one stack, which
        // CloudFormation serializes (the deployer's part); from there on the lock keeps them apart.
        await one.Run(KitTarget.BootstrapPrimary);

        var runs = await Task.WhenAll(one.Run(KitTarget.BootstrapAll), two.Run(KitTarget.BootstrapAll));

        Assert.All(runs.SelectMany(r => r.Results.Values), r => Assert.True(r.Succeeded, $"{r.StackName}: {r.Outcome} {r.Error}"));
        var output = one.Console.ToString() + two.Console.ToString();
        Assert.Contains("Waiting for the run lock: held by " + Moto, output);
        Assert.Equal(3, Count(output, "Run lock released: s3://lk-both-source-123456789012-us-east-1/pipelinekit/run-lock.json."));
        foreach (var (stack, account, region) in new[]
        {
            (KitNames.PrimaryStack("lk-both"), (string?)null, "us-east-1"), (KitNames.RegionalStack("lk-both"), null, "us-west-2"),
            (KitNames.RegionalStack("lk-both"), null, "eu-west-1"), (KitNames.TargetRolesStack("lk-both"), "444444444444", "us-east-1"),
        })
        {
            var described = await moto.Cli(account, "cloudformation", "describe-stacks", "--stack-name", stack, "--region", region);
            Assert.EndsWith("_COMPLETE", described.GetProperty("Stacks")[0].GetProperty("StackStatus").GetString());
            Assert.DoesNotContain("ROLLBACK", described.GetProperty("Stacks")[0].GetProperty("StackStatus").GetString());
        }

        Assert.False((await LockAsync("lk-both"))!.IsHeldAt(DateTimeOffset.UtcNow, PipelineKit.Locking.RunLockTiming.For(TimeSpan.FromMinutes(30)).Lease));
    }

    [Fact]
    public async Task ASecondRunWithZeroWait_StopsNamingTheHolder_AndChangesNothing()
    {
        using var workspace = new KitWorkspace(moto, "lk-held");
        using var holder = workspace.Host();
        await holder.RunAsync(KitTarget.BootstrapPrimary);
        using var second = workspace.Host("lock-wait", "0");

        var error = await Assert.ThrowsAsync<RunLockException>(() => second.RunAsync(KitTarget.BootstrapAll));

        Assert.Equal(ErrorCodes.RunLockHeld.Code, error.Code);
        Assert.Contains($"{Moto} on host {Environment.MachineName} (pid {Environment.ProcessId}, BootstrapPrimary) since ", error.Message);
        Assert.Empty(second.CallLog.MutatingCalls);
        Assert.Equal("BootstrapPrimary", (await LockAsync("lk-held"))!.Target);
    }

    [Fact]
    public async Task BreakLock_TakesTheLockAnotherRunHolds_SayingWhose()
    {
        using var workspace = new KitWorkspace(moto, "lk-break");
        using var holder = workspace.Host();
        await holder.RunAsync(KitTarget.BootstrapPrimary);

        var (_, results) = await workspace.Run(KitTarget.BootstrapPrimary, "break-lock", "true", "lock-wait", "0");

        Assert.Equal(StackOutcome.Unchanged, results[FoundationPlan.PrimaryKey].Outcome);
        Assert.Contains($"Broke the run lock held by {Moto} on host {Environment.MachineName} (pid {Environment.ProcessId}, BootstrapPrimary)",
            workspace.Console.ToString());
    }

    [Fact]
    public async Task AFailedRun_ReleasesTheLock()
    {
        using var workspace = new KitWorkspace(moto, "lk-fail");
        await workspace.Run(KitTarget.BootstrapPrimary);
        using var host = workspace.Host("exclusive", "true");

        // The policy update needs the regional stacks, which were never deployed: the target fails after taking the lock.
        await Assert.ThrowsAnyAsync<KitException>(() => host.RunAsync(KitTarget.UpdatePrimaryPolicy));

        var record = await LockAsync("lk-fail");
        Assert.True(record!.Released, "the lock is released when the target fails, before the host ends");
        Assert.Equal("UpdatePrimaryPolicy", record.Target);
    }

    [Fact]
    public async Task ACancelledRun_ReleasesTheLock()
    {
        using var workspace = new KitWorkspace(moto, "lk-cancel");
        await workspace.Run(KitTarget.BootstrapPrimary);
        using var host = workspace.Host();
        using var cancel = new CancellationTokenSource();

        var run = host.RunAsync(KitTarget.BootstrapAll, cancel.Token);
        while ((await LockAsync("lk-cancel")) is not { Released: false, Target: "BootstrapAll" }) await Task.Delay(50);
        await cancel.CancelAsync();
        await Assert.ThrowsAnyAsync<Exception>(() => run);

        Assert.True((await LockAsync("lk-cancel"))!.Released, "the lock is released when the run is cancelled, before the host ends");
    }

    private async Task<RunLockRecord?> LockAsync(string name)
    {
        var s3 = moto.Clients().S3(new Amazon.Runtime.BasicAWSCredentials("testing", "testing"), "us-east-1");
        var store = new S3RunLockStore(s3, $"{name}-source-123456789012-us-east-1", KitNames.RunLockKey, "123456789012");
        return await store.ReadAsync(CancellationToken.None) is { } stored ? RunLockRecord.Parse(stored.Body) : null;
    }

    private static int Count(string text, string part) => text.Split(part).Length - 1;
}
