namespace PipelineKit.Reliability.Scenarios;

using PipelineKit.Reliability.Proxy;
using PipelineKit.Reliability.Runner;

/// <summary>When a scenario acts on its faulty run: at a request the proxy sees (at a stage), or at a line the run
/// prints; then the signal goes to the kit's process (SIGKILL: the proxy waits until the process is gone, and the
/// request is dropped).</summary>
public sealed record Trigger(string Description, int Signal, Func<AwsRequest, ProxyStage, bool>? OnRequest = null, Func<string, bool>? OnLine = null);

/// <summary>
/// One reliability scenario: a starting state (<paramref name="Arrange"/>, made through the emulator), the faults of its
/// faulty run (rates, rules, a trigger), how many kit runs start at once, and the options of the recovery runs.
/// </summary>
public sealed record Scenario(
    string Name,
    string Fault,
    Func<ScenarioContext, Task>? Arrange = null,
    FaultRates? Rates = null,
    IReadOnlyList<FaultRule>? Rules = null,
    Trigger? Trigger = null,
    int Concurrent = 1,
    bool ThroughBuildScript = false,
    IReadOnlyList<string>? CheckOptions = null);

/// <summary>What a scenario's arrangement may use: its workspace, its proxy (without faults while arranging), the
/// emulator directly, and kit runs.</summary>
public sealed class ScenarioContext(Workspace workspace, FaultProxy proxy, EmulatorState emulator, Func<IReadOnlyList<string>, Action<KitProcess, string>?, KitProcess> startKit)
{
    public Workspace Workspace { get; } = workspace;

    public FaultProxy Proxy { get; } = proxy;

    public EmulatorState Emulator { get; } = emulator;

    public KitProcess StartKit(IReadOnlyList<string>? options = null, Action<KitProcess, string>? onLine = null) => startKit(options ?? [], onLine);

    /// <summary>A whole foundation run, without faults; throws unless it succeeds.</summary>
    public async Task DeployAsync()
    {
        using var run = StartKit();
        var exit = await run.WaitAsync(ScenarioRunner.RunTimeout).ConfigureAwait(false);
        if (exit != 0) throw new InvalidOperationException($"the arranging run failed (exit {exit}): {string.Join(" | ", run.Output.TakeLast(3))}");
    }

    /// <summary>A foundation run SIGKILLed when the emulator has applied the first change set of <paramref name="stack"/>.</summary>
    public async Task CrashAsync(KitStack stack)
    {
        KitProcess? run = null;
        var fired = 0;
        Proxy.Hook = async (request, stage) =>
        {
            if (stage != ProxyStage.Applied || request.Operation != "CreateChangeSet" || request.StackName != stack.Name) return false;
            if (Interlocked.Exchange(ref fired, 1) == 1 || run is null) return false;
            run.Signal(KitProcess.SigKill);
            await run.ExitedAsync.ConfigureAwait(false);
            return true;
        };
        run = StartKit();
        await run.WaitAsync(ScenarioRunner.RunTimeout).ConfigureAwait(false);
        Proxy.Hook = null;
        run.Dispose();
    }
}
