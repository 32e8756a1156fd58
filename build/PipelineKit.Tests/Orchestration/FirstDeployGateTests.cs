namespace PipelineKit.Tests.Orchestration;

using System.Collections.Concurrent;
using PipelineKit.Aws;
using PipelineKit.Deployment;
using PipelineKit.Orchestration;
using PipelineKit.Testing;

/// <summary>A first bootstrap, when the run lock's bucket does not exist yet: the stacks that do not need the primary start
/// as soon as this run's creation of the primary is under way, not after the primary's whole creation; when the primary
/// existed already they wait for the lock, and when the lock is refused they never start. The stacks wait on signals the
/// test gives, never on the clock.</summary>
public class FirstDeployGateTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);
    private static readonly StackLocation Build = new("123456789012", "us-east-1");

    private readonly ConcurrentQueue<string> order = new();
    private readonly TaskCompletionSource primaryMayFinish = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource rolesRan = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly FirstDeployGate gate = new(FoundationPlan.PrimaryKey);

    [Fact]
    public async Task WhenThisRunStartedThePrimarysCreation_TheOtherStacksRunDuringIt_AndThePolicyStillWaitsForIt()
    {
        var run = Run(creating: true, lockTaken: true);

        // The roles stack finishes while the primary's creation is still going on: the foundation is one level.
        await rolesRan.Task.WaitAsync(Patience);
        Assert.DoesNotContain("primary finished", order);
        primaryMayFinish.SetResult();
        var results = await run;

        Assert.All(results, r => Assert.True(r.Result.Succeeded, $"{r.Ref.Key}: {r.Result.Error}"));
        Assert.Equal(["primary executing", "roles", "primary finished", "lock taken", "policy"], order.Where(o => o != "regional"));
    }

    [Fact]
    public async Task WhenThePrimaryExistedAlready_TheOtherStacksWaitUntilThisRunHoldsTheLock()
    {
        primaryMayFinish.SetResult();

        var results = await Run(creating: false, lockTaken: true);

        Assert.All(results, r => Assert.True(r.Result.Succeeded, $"{r.Ref.Key}: {r.Result.Error}"));
        var steps = order.ToList();
        Assert.True(steps.IndexOf("lock taken") < steps.IndexOf("roles"), string.Join(", ", steps));
        Assert.True(steps.IndexOf("lock taken") < steps.IndexOf("regional"), string.Join(", ", steps));
    }

    [Fact]
    public async Task WhenTheLockIsRefusedAfterThePrimary_NoStackThatWaitedStarts()
    {
        primaryMayFinish.SetResult();

        var results = (await Run(creating: false, lockTaken: false)).ToDictionary(r => r.Ref.Key, r => r.Result);

        Assert.Equal(StackOutcome.Failed, results[FoundationPlan.PrimaryKey].Outcome);
        Assert.Equal(StackOutcome.NotStarted, results["roles:222222222222"].Outcome);
        Assert.Contains("run lock was not taken", results["roles:222222222222"].Error, StringComparison.Ordinal);
        Assert.Equal(StackOutcome.NotStarted, results["policy:primary"].Outcome);
        Assert.DoesNotContain("roles", order);
        Assert.DoesNotContain("regional", order);
    }

    private Task<IReadOnlyList<(StackRef Ref, StackResult Result)>> Run(bool creating, bool lockTaken)
    {
        var primary = Node(FoundationPlan.PrimaryKey, [], async (node, ct) =>
        {
            order.Enqueue("primary executing");
            gate.On(new StackExecuting(node.Ref, DateTimeOffset.UtcNow, creating));
            await primaryMayFinish.Task.WaitAsync(ct);
            order.Enqueue("primary finished");
        });
        var nodes = new[]
        {
            primary,
            Node("regional:us-west-2", [], (_, _) => Step("regional")),
            Node("roles:222222222222", [], (_, _) => { order.Enqueue("roles"); rolesRan.TrySetResult(); return Task.CompletedTask; }),
            Node("policy:primary", [FoundationPlan.PrimaryKey], (_, _) => Step("policy")),
        };
        var guarded = gate.Apply(nodes, (result, _) =>
        {
            order.Enqueue(lockTaken ? "lock taken" : "lock refused");
            return Task.FromResult(lockTaken ? result : result with { Outcome = StackOutcome.Failed, Error = "deployed, but the run lock was not taken: held" });
        });
        return new DagRunner(8, new VirtualTime(), new RecordingObserver()).RunAsync(guarded);
    }

    private Task Step(string name)
    {
        order.Enqueue(name);
        return Task.CompletedTask;
    }

    private static StackNode Node(string key, string[] dependsOn, Func<StackNode, CancellationToken, Task> work)
    {
        StackNode? self = null;
        self = new StackNode(new StackRef(key, "s-" + key, Build), dependsOn, async (_, ct) =>
        {
            await work(self!, ct);
            return new StackResult("s-" + key, Build, StackOutcome.Created, StackStatus.CreateComplete, new Dictionary<string, string>(), TimeSpan.Zero);
        });
        return self;
    }
}
