namespace PipelineKit.Tests.Orchestration;

using System.Collections.Concurrent;
using PipelineKit.Aws;
using PipelineKit.Deployment;
using PipelineKit.Orchestration;
using PipelineKit.Testing;

/// <summary>A first bootstrap, when the run lock's bucket does not exist yet: the lock is taken as soon as this run's creation
/// of the primary has made the bucket, and the stacks that do not need the primary start then, not after the primary's
/// whole creation; when the primary existed already the lock is taken after it; when the lock is refused, or the primary
/// fails before the lock, they never start. The stacks wait on signals the test gives, never on the clock.</summary>
public class FirstDeployGateTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);
    private static readonly StackLocation Build = new("123456789012", "us-east-1");

    private readonly ConcurrentQueue<string> order = new();
    private readonly TaskCompletionSource primaryMayFinish = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource bucketMade = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource rolesRan = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int lockAttempts;

    [Fact]
    public async Task WhenThisRunCreatesThePrimary_TheLockIsTakenOnceTheBucketIsThere_AndTheOtherStacksRunDuringTheCreation()
    {
        var run = Run(creating: true, primaryFails: false, refused: null);

        await Task.Delay(200);
        Assert.False(rolesRan.Task.IsCompleted, "no stack starts before the lock is taken");
        bucketMade.SetResult();
        await rolesRan.Task.WaitAsync(Patience);
        Assert.DoesNotContain("primary finished", order);
        primaryMayFinish.SetResult();
        var results = await run;

        Assert.All(results, r => Assert.True(r.Result.Succeeded, $"{r.Ref.Key}: {r.Result.Error}"));
        Assert.Equal(["primary executing", "lock taken", "roles", "primary finished", "policy"], order.Where(o => o != "regional"));
        Assert.Equal(1, lockAttempts);
    }

    [Fact]
    public async Task WhenThePrimaryExistedAlready_TheLockIsTakenAfterIt_AndTheOtherStacksWaitForIt()
    {
        bucketMade.SetResult();
        primaryMayFinish.SetResult();

        var results = await Run(creating: false, primaryFails: false, refused: null);

        Assert.All(results, r => Assert.True(r.Result.Succeeded, $"{r.Ref.Key}: {r.Result.Error}"));
        var steps = order.ToList();
        Assert.True(steps.IndexOf("primary finished") < steps.IndexOf("lock taken"), string.Join(", ", steps));
        Assert.True(steps.IndexOf("lock taken") < steps.IndexOf("roles"), string.Join(", ", steps));
        Assert.True(steps.IndexOf("lock taken") < steps.IndexOf("regional"), string.Join(", ", steps));
    }

    [Fact]
    public async Task WhenAnotherRunHoldsTheLock_NoStackThatWaitedStarts_AndThePrimaryFailsNamingIt()
    {
        bucketMade.SetResult();
        primaryMayFinish.SetResult();

        var results = (await Run(creating: true, primaryFails: false, refused: new LockRefusal("held by ci-7", "wait"))).ToDictionary(r => r.Ref.Key, r => r.Result);

        Assert.Equal(StackOutcome.Failed, results[FoundationPlan.PrimaryKey].Outcome);
        Assert.Contains("the run lock was not taken: held by ci-7", results[FoundationPlan.PrimaryKey].Error, StringComparison.Ordinal);
        Assert.Equal(StackOutcome.NotStarted, results["roles:222222222222"].Outcome);
        Assert.Equal(StackOutcome.NotStarted, results["policy:primary"].Outcome);
        Assert.DoesNotContain("roles", order);
        Assert.DoesNotContain("regional", order);
    }

    [Fact]
    public async Task WhenThePrimaryFailsBeforeItsBucketIsThere_NoStackThatWaitedStarts()
    {
        primaryMayFinish.SetResult();

        var results = (await Run(creating: true, primaryFails: true, refused: null)).ToDictionary(r => r.Ref.Key, r => r.Result);

        Assert.Equal(StackOutcome.Failed, results[FoundationPlan.PrimaryKey].Outcome);
        Assert.Equal(StackOutcome.NotStarted, results["roles:222222222222"].Outcome);
        Assert.DoesNotContain("roles", order);
        Assert.DoesNotContain("lock taken", order);
    }

    private Task<IReadOnlyList<(StackRef Ref, StackResult Result)>> Run(bool creating, bool primaryFails, LockRefusal? refused)
    {
        FirstDeployGate? gate = null;
        gate = new FirstDeployGate(FoundationPlan.PrimaryKey, async ct =>
        {
            Interlocked.Increment(ref lockAttempts);
            if (refused is not null) return refused;
            await bucketMade.Task.WaitAsync(ct);
            order.Enqueue("lock taken");
            return null;
        });
        var primary = Node(FoundationPlan.PrimaryKey, [], async (node, ct) =>
        {
            order.Enqueue("primary executing");
            gate.On(new StackExecuting(node.Ref, DateTimeOffset.UtcNow, creating));
            await primaryMayFinish.Task.WaitAsync(ct);
            order.Enqueue("primary finished");
            if (primaryFails) throw new DeploymentException(DeploymentErrorCode.StackFailed, node.Ref.StackName, Build, "ROLLBACK_COMPLETE", "fix it");
        });
        var nodes = new[]
        {
            primary,
            Node("regional:us-west-2", [], (_, _) => Step("regional")),
            Node("roles:222222222222", [], (_, _) => { order.Enqueue("roles"); rolesRan.TrySetResult(); return Task.CompletedTask; }),
            Node("policy:primary", [FoundationPlan.PrimaryKey], (_, _) => Step("policy")),
        };
        return new DagRunner(8, new VirtualTime(), new RecordingObserver()).RunAsync(gate.Apply(nodes));
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
