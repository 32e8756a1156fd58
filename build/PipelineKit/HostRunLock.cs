namespace PipelineKit;

using PipelineKit.Accounts;
using PipelineKit.Aws;
using PipelineKit.Configuration;
using PipelineKit.Deployment;
using PipelineKit.Locking;
using PipelineKit.Messages;
using PipelineKit.Naming;
using PipelineKit.Orchestration;

/// <summary>
/// A host's run lock (Locking/RunLock), in the pipeline's source bucket: taken by the first mutating target and held
/// until the host ends, so Cake's prerequisites and the target run as one; released when a target fails, on Ctrl+C and
/// when the host is disposed. Before the first bootstrap the bucket does not exist: the primary stack makes it; once this
/// run's creation of it is under way the lock is tried until the bucket is there, and the other stacks start when it is
/// taken (<see cref="FirstDeployGate"/>, which watches the deployer's events through this observer).
/// </summary>
internal sealed class HostRunLock(
    PipelineConfig config, IAccountSessions sessions, IAwsClientFactory clients, KitOptions options, TimeProvider time, IKitMessages messages,
    PollingPolicy polling)
    : IAsyncDisposable, IDeploymentObserver
{
    private RunLock? runLock;
    private FirstDeployGate? gate;
    private RunLockException? refused;
    private bool brokeAlready;

    /// <summary>Cancelled when the lock was taken from this run.</summary>
    public CancellationToken Lost => runLock?.Lost ?? CancellationToken.None;

    /// <summary>Calls the lock made so far; the run's summary shows them apart from the target's own.</summary>
    public int Calls => runLock?.Calls ?? 0;

    /// <summary>Of those, the writes (taking, renewing, releasing).</summary>
    public int Writes => runLock?.Writes ?? 0;

    public void On(DeploymentEvent deploymentEvent) => gate?.On(deploymentEvent);

    /// <summary>Takes the lock before a target's graph. When its bucket does not exist yet and the graph deploys the
    /// primary stack, the other stacks wait until this run holds the lock, which it takes as soon as its creation of the
    /// primary has made the bucket (<see cref="FirstDeployGate"/>), or once the primary deployed.</summary>
    public async Task<IReadOnlyList<StackNode>> GuardAsync(KitTarget target, IReadOnlyList<StackNode> nodes, CancellationToken ct)
    {
        if (await TryHoldAsync(target.ToString(), ct).ConfigureAwait(false)) return nodes;
        // Other targets only read the primary stack; without its bucket it does not exist either, and they stop there.
        var primary = target is KitTarget.BootstrapPrimary or KitTarget.BootstrapAll ? nodes.FirstOrDefault(n => n.Key == FoundationPlan.PrimaryKey) : null;
        if (primary is null)
        {
            messages.Report(MessageCodes.RunLockNotYet, $"No run lock: the bucket {KitNames.SourceBucket(config)} does not exist yet (BootstrapPrimary makes it).");
            return nodes;
        }

        messages.Report(MessageCodes.RunLockNotYet,
            $"The run lock's bucket {KitNames.SourceBucket(config)} does not exist yet: the primary stack, which makes it, starts first, and the lock is taken as soon as the bucket is there; the other stacks start then.");
        gate = new FirstDeployGate(primary.Key, ct => TakeOnceBucketExistsAsync(target.ToString(), ct));
        return gate.Apply(nodes);
    }

    /// <summary>Takes the lock for a target without a stack graph (PublishSampleApp, Destroy); without its bucket the target
    /// runs unlocked, saying so. Destroy lets go of it before it empties the bucket the lock lives in.</summary>
    public async Task HoldAsync(string target, CancellationToken ct)
    {
        if (!await TryHoldAsync(target, ct).ConfigureAwait(false))
        {
            messages.Report(MessageCodes.RunLockNotYet, $"No run lock: the bucket {KitNames.SourceBucket(config)} does not exist.");
        }
    }

    /// <summary>Why a target whose stacks failed failed, when the lock was the cause: refused after the primary stack, or lost.</summary>
    public Exception? Failure()
    {
        if (refused is not null) return refused;
        try
        {
            runLock?.ThrowIfLost();
            return null;
        }
        catch (RunLockException e)
        {
            return e;
        }
    }

    public Task ReleaseAsync() => runLock?.ReleaseAsync() ?? Task.CompletedTask;

    public async ValueTask DisposeAsync()
    {
        if (runLock is not null) await runLock.DisposeAsync().ConfigureAwait(false);
    }

    /// <summary>True when this run holds the lock now; false when its bucket does not exist. Throws when another run keeps it.</summary>
    private async Task<bool> TryHoldAsync(string target, CancellationToken ct)
    {
        if (runLock?.IsHeld == true) return true;
        var session = await sessions.BuildAsync(ct).ConfigureAwait(false);
        runLock ??= new RunLock(
            new S3RunLockStore(clients.S3(session.Credentials, config.Build.Region), KitNames.SourceBucket(config), KitNames.RunLockKey, config.Build.Account),
            RunLockOwner.ThisProcess(session.CallerArn ?? $"account {config.Build.Account}"), RunLockTiming.For(options.LockWait), time, messages);
        try
        {
            if (options.BreakLock && !brokeAlready)
            {
                await runLock.BreakAsync(ct).ConfigureAwait(false);
                brokeAlready = true;
            }

            await runLock.AcquireAsync(target, ct).ConfigureAwait(false);
            return true;
        }
        catch (RunLockUnavailableException)
        {
            return false;
        }
    }

    /// <summary>The lock, tried again every few seconds while its bucket does not exist yet (the primary stack is making
    /// it); a run that cannot have it gets the reason, naming the holder.</summary>
    private async Task<LockRefusal?> TakeOnceBucketExistsAsync(string target, CancellationToken ct)
    {
        // As often as the deployer first looks at a stack: the bucket is one of the primary's first resources.
        var interval = polling.Initial;
        var until = time.GetUtcNow() + TimeSpan.FromMinutes(30);
        try
        {
            while (!await TryHoldAsync(target, ct).ConfigureAwait(false))
            {
                if (time.GetUtcNow() >= until)
                {
                    return new LockRefusal($"its bucket {KitNames.SourceBucket(config)} did not appear in 30 minutes",
                        "Check the primary stack in the CloudFormation console, then re-run.");
                }

                await Task.Delay(interval, time, ct).ConfigureAwait(false);
            }

            return null;
        }
        catch (RunLockException e)
        {
            refused = e;
            return new LockRefusal(e.Message, e.NextStep ?? "Re-run once the other run has finished.");
        }
    }
}
