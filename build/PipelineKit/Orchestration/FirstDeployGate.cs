namespace PipelineKit.Orchestration;

using PipelineKit.Deployment;

/// <summary>Why the run lock was not taken, and what to do.</summary>
public sealed record LockRefusal(string Error, string NextStep);

/// <summary>
/// The run lock on a first bootstrap, when the bucket it lives in does not exist yet: the primary stack makes it. The
/// other stacks start once this run holds the lock, and the lock is taken as early as it can be: as soon as this run's
/// execution of the primary's creating change set is accepted (CloudFormation lets one run alone start a stack's
/// creation), the lock is tried again and again, and taken the moment the creation has made the bucket, part of the way
/// through the primary's creation rather than after it (on the emulator, at once). Until then no other stack starts, so
/// a run that takes the lock first (another run, arriving while the bucket exists but no lock is written yet) keeps
/// this one's other stacks from starting, as if this run had arrived second. When the primary's execution was no
/// creation (it existed already), the lock is taken after it, as before; when the primary fails or the lock is refused,
/// the waiting stacks do not start. Stacks that need the primary's outputs wait for it as before.
/// </summary>
/// <param name="primaryKey">The graph key of the stack that makes the lock's bucket.</param>
/// <param name="takeLock">Takes the lock, trying again while its bucket does not exist yet; null when taken.</param>
internal sealed class FirstDeployGate(string primaryKey, Func<CancellationToken, Task<LockRefusal?>> takeLock) : IDeploymentObserver
{
    private readonly TaskCompletionSource<bool> open = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly CancellationTokenSource primaryEnded = new();
    private readonly Lock earlyGuard = new();
    private Task<LockRefusal?>? early; // guarded by earlyGuard

    /// <summary>Whether the gate opened (true) or closed for good (false).</summary>
    public Task<bool> Opened => open.Task;

    public void On(DeploymentEvent deploymentEvent)
    {
        if (deploymentEvent is not StackExecuting { Creating: true } executing || executing.Stack.Key != primaryKey) return;
        lock (earlyGuard)
        {
            early ??= TakeEarlyAsync();
        }
    }

    /// <summary>The graph with the primary's node taking the lock (while it is created, or after it deployed), and every
    /// node that does not need the primary starting when this run holds the lock.</summary>
    public IReadOnlyList<StackNode> Apply(IReadOnlyList<StackNode> nodes)
    {
        ArgumentNullException.ThrowIfNull(nodes);
        return nodes.Select(n => n.Key == primaryKey ? Primary(n) : n.DependsOn.Contains(primaryKey) ? n : AfterGate(n)).ToArray();
    }

    private async Task<LockRefusal?> TakeEarlyAsync()
    {
        try
        {
            var refusal = await takeLock(primaryEnded.Token).ConfigureAwait(false);
            if (refusal is null) open.TrySetResult(true);
            return refusal;
        }
        catch (OperationCanceledException)
        {
            // The primary ended first: its node takes the lock itself.
            return null;
        }
    }

    private StackNode Primary(StackNode primary) => primary with
    {
        Execute = async (inputs, ct) =>
        {
            try
            {
                var result = await primary.Execute(inputs, ct).ConfigureAwait(false);
                if (result.Succeeded)
                {
                    // Taken while the primary was created (or about to be: its bucket exists now), else taken now.
                    Task<LockRefusal?>? started;
                    lock (earlyGuard) started = early;
                    var refusal = started is null ? null : await started.ConfigureAwait(false);
                    if (!open.Task.IsCompleted) refusal ??= await takeLock(ct).ConfigureAwait(false);
                    if (refusal is not null)
                    {
                        result = result with { Outcome = StackOutcome.Failed, Error = $"deployed, but the run lock was not taken: {refusal.Error}", NextStep = refusal.NextStep };
                    }
                }

                open.TrySetResult(result.Succeeded);
                return result;
            }
            finally
            {
                await primaryEnded.CancelAsync().ConfigureAwait(false);
                open.TrySetResult(false);
            }
        },
    };

    private StackNode AfterGate(StackNode node) => node with
    {
        Execute = async (inputs, ct) =>
        {
            if (await open.Task.WaitAsync(ct).ConfigureAwait(false)) return await node.Execute(inputs, ct).ConfigureAwait(false);
            return new StackResult(node.Ref.StackName, node.Ref.Location, StackOutcome.NotStarted, null, new Dictionary<string, string>(),
                TimeSpan.Zero, $"not started: {primaryKey} did not deploy, or the run lock was not taken (see {primaryKey})");
        },
    };
}
