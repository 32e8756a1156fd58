namespace PipelineKit.Orchestration;

using PipelineKit.Aws;
using PipelineKit.Deployment;

/// <summary>One stack deployment in a run, and the keys of the stacks whose results it needs.</summary>
/// <param name="Execute">Deploys the stack, given the results of its dependencies by key.</param>
public sealed record StackNode(
    StackRef Ref,
    IReadOnlyList<string> DependsOn,
    Func<IReadOnlyDictionary<string, StackResult>, CancellationToken, Task<StackResult>> Execute)
{
    public string Key => Ref.Key;
}

/// <summary>
/// Runs a graph of stack deployments, as many at once as the bound allows and the dependencies permit.
/// On the first failure no new stack starts; stacks already running finish; the rest are reported
/// as not started. When the token is cancelled, running stacks stop waiting and are reported as
/// cancelled, the rest as not started: the run still returns every result. Results come back in graph order.
/// </summary>
public sealed class DagRunner(int parallelism, TimeProvider time, IDeploymentObserver observer)
{
    public async Task<IReadOnlyList<(StackRef Ref, StackResult Result)>> RunAsync(
        IReadOnlyList<StackNode> nodes,
        IReadOnlyDictionary<string, StackResult>? known = null,
        CancellationToken ct = default)
    {
        Validate(nodes, known);
        var results = new Dictionary<string, StackResult>(known ?? new Dictionary<string, StackResult>(), StringComparer.Ordinal);
        var pending = nodes.ToList();
        var running = new Dictionary<Task<StackResult>, StackNode>();
        var failed = false;

        foreach (var node in nodes) observer.On(new StackQueued(node.Ref, time.GetUtcNow()));

        while (pending.Count > 0 || running.Count > 0)
        {
            if (!failed && !ct.IsCancellationRequested)
            {
                foreach (var node in pending.Where(n => n.DependsOn.All(results.ContainsKey)).ToList())
                {
                    if (running.Count >= parallelism) break;
                    pending.Remove(node);
                    var inputs = node.DependsOn.ToDictionary(k => k, k => results[k], StringComparer.Ordinal);
                    running[Start(node, inputs, ct)] = node;
                }
            }

            if (running.Count == 0) break;

            var finished = await Task.WhenAny(running.Keys).ConfigureAwait(false);
            var done = running[finished];
            running.Remove(finished);
            var result = await finished.ConfigureAwait(false);
            results[done.Key] = result;
            failed |= !result.Succeeded;
        }

        foreach (var node in pending)
        {
            var why = ct.IsCancellationRequested ? "the run was cancelled" : "an earlier stack failed";
            var result = new StackResult(node.Ref.StackName, node.Ref.Location, StackOutcome.NotStarted, null,
                new Dictionary<string, string>(), TimeSpan.Zero, $"not started: {why}");
            results[node.Key] = result;
            observer.On(new StackFinished(node.Ref, time.GetUtcNow(), result));
        }

        return nodes.Select(n => (n.Ref, results[n.Key])).ToArray();
    }

    private async Task<StackResult> Start(StackNode node, IReadOnlyDictionary<string, StackResult> inputs, CancellationToken ct)
    {
        await Task.Yield();
        var started = time.GetUtcNow();
        observer.On(new StackStarted(node.Ref, started));
        StackResult Failed(StackStatus? status, string error, string nextStep, Exception? cause = null) =>
            new(node.Ref.StackName, node.Ref.Location, StackOutcome.Failed, status, new Dictionary<string, string>(),
                time.GetUtcNow() - started, error, nextStep, Cause: cause);

        StackResult result;
        try
        {
            result = await node.Execute(inputs, ct).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            // The run was cancelled (Ctrl+C): the kit stops waiting, CloudFormation goes on with what it started.
            result = Failed(null, "cancelled: the kit stopped waiting; CloudFormation may still be working on this stack.",
                "Re-run; the kit waits for a stack in progress and resumes from what is deployed.");
        }
        catch (DeploymentException e)
        {
            result = Failed(e.Status, e.Reason, e.NextStep);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            result = Failed(null, $"{e.GetType().Name}: {e.Message}",
                "Re-run; the kit resumes from what is already deployed. This error was not foreseen: its stack trace is in the log.", e);
        }

        observer.On(new StackFinished(node.Ref, time.GetUtcNow(), result));
        return result;
    }

    private static void Validate(IReadOnlyList<StackNode> nodes, IReadOnlyDictionary<string, StackResult>? known)
    {
        var keys = new HashSet<string>(StringComparer.Ordinal);
        foreach (var node in nodes)
        {
            if (!keys.Add(node.Key)) throw new ArgumentException($"Two stacks share the key {node.Key}.", nameof(nodes));
        }

        foreach (var node in nodes)
        {
            foreach (var dependency in node.DependsOn)
            {
                if (!keys.Contains(dependency) && known?.ContainsKey(dependency) != true)
                {
                    throw new ArgumentException($"{node.Key} depends on {dependency}, which is neither in the run nor known.", nameof(nodes));
                }
            }
        }

        // Kahn's algorithm: whatever cannot be ordered is on a cycle.
        var remaining = nodes.ToDictionary(n => n.Key, n => n.DependsOn.Count(keys.Contains), StringComparer.Ordinal);
        var ready = new Queue<string>(remaining.Where(r => r.Value == 0).Select(r => r.Key));
        while (ready.Count > 0)
        {
            var key = ready.Dequeue();
            remaining.Remove(key);
            foreach (var dependent in nodes.Where(n => n.DependsOn.Contains(key)))
            {
                if (--remaining[dependent.Key] == 0) ready.Enqueue(dependent.Key);
            }
        }

        if (remaining.Count > 0)
        {
            throw new ArgumentException($"The stacks {string.Join(", ", remaining.Keys)} depend on each other in a cycle.", nameof(nodes));
        }
    }
}
