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
/// emulator directly, and kit runs: in a child process (to signal it) or in this process.</summary>
public sealed class ScenarioContext(
    Workspace workspace,
    FaultProxy proxy,
    EmulatorState emulator,
    Func<IReadOnlyList<string>, Action<KitProcess, string>?, KitProcess> startKit,
    Func<IReadOnlyList<string>, Task<RunOutcome>> runInProcess)
{
    public Workspace Workspace { get; } = workspace;

    public FaultProxy Proxy { get; } = proxy;

    public EmulatorState Emulator { get; } = emulator;

    public KitProcess StartKit(IReadOnlyList<string>? options = null, Action<KitProcess, string>? onLine = null) => startKit(options ?? [], onLine);

    public Task<RunOutcome> RunAsync(IReadOnlyList<string>? options = null) => runInProcess(options ?? []);

    /// <summary>A whole foundation run, without faults; throws unless it succeeds.</summary>
    public async Task DeployAsync()
    {
        var run = await RunAsync().ConfigureAwait(false);
        if (run.Exit != 0) throw new InvalidOperationException($"the arranging run failed (exit {run.Exit}): {string.Join(" | ", run.Output.TakeLast(3))}");
    }

    /// <summary>A foundation run SIGKILLed when it first asks for <paramref name="stack"/>, before it changed anything:
    /// a crashed run that held the pipeline (its lock, if the kit takes one) and left every stack as it was.</summary>
    public async Task CrashAsync(KitStack stack)
    {
        KitProcess? run = null;
        var fired = 0;
        Proxy.Hook = async (request, stage) =>
        {
            if (stage != ProxyStage.Received || request.Operation != "DescribeStacks" || request.StackName != stack.Name) return false;
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
