namespace PipelineKit.Orchestration;

using PipelineKit.Deployment;

/// <summary>
/// The run lock on a first bootstrap, when the bucket it lives in does not exist yet. CloudFormation lets one run start
/// a stack's creation: once this run's execution of the primary stack's creating change set is accepted, no other run
/// is bootstrapping this pipeline, and the stacks that do not need the primary start at once (the foundation stays one
/// level deep: one CreateChangeSet and one ExecuteChangeSet of the primary's, not its whole creation). The lock itself is
/// taken once the primary has made its bucket. When the primary stack turns out to exist already (another run made it),
/// those stacks wait until this run holds the lock; when the primary fails or the lock is refused, they do not start.
/// Stacks that need the primary's outputs wait for it as before.
/// </summary>
/// <param name="primaryKey">The graph key of the stack that makes the lock's bucket.</param>
internal sealed class FirstDeployGate(string primaryKey) : IDeploymentObserver
{
    private readonly TaskCompletionSource<bool> open = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Whether the gate opened (true) or closed for good (false); pending until the primary's creation is this
    /// run's, or the primary's node ended.</summary>
    public Task<bool> Opened => open.Task;

    public void On(DeploymentEvent deploymentEvent)
    {
        if (deploymentEvent is StackExecuting { Creating: true } executing && executing.Stack.Key == primaryKey) open.TrySetResult(true);
    }

    /// <summary>The graph with the primary's node taking the lock after it deployed (<paramref name="takeLock"/>, which
    /// turns its result into a failure when the lock is refused), and every node that does not need the primary starting
    /// when the gate opens.</summary>
    public IReadOnlyList<StackNode> Apply(
        IReadOnlyList<StackNode> nodes, Func<StackResult, CancellationToken, Task<StackResult>> takeLock)
    {
        ArgumentNullException.ThrowIfNull(nodes);
        ArgumentNullException.ThrowIfNull(takeLock);
        return nodes.Select(n => n.Key == primaryKey ? Primary(n, takeLock) : n.DependsOn.Contains(primaryKey) ? n : AfterGate(n)).ToArray();
    }

    private StackNode Primary(StackNode primary, Func<StackResult, CancellationToken, Task<StackResult>> takeLock) => primary with
    {
        Execute = async (inputs, ct) =>
        {
            try
            {
                var result = await primary.Execute(inputs, ct).ConfigureAwait(false);
                if (result.Succeeded) result = await takeLock(result, ct).ConfigureAwait(false);
                // Opened already when this run started the creation; else it opens now, with the lock held.
                open.TrySetResult(result.Succeeded);
                return result;
            }
            finally
            {
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
                TimeSpan.Zero, $"not started: {primaryKey} did not deploy, or the run lock was not taken after it (see {primaryKey})");
        },
    };
}
