namespace PipelineKit.Reliability.Scenarios;

using PipelineKit.Reliability.Proxy;

/// <summary>Faults by rate over a whole run, faults by rule at one call, and kit runs side by side.</summary>
public static class FaultScenarios
{
    public static IEnumerable<Scenario> All()
    {
        yield return new Scenario("baseline", "none");
        yield return new Scenario("throttling-20", "Throttling on 20% of calls", Rates: new FaultRates(Throttle: 0.2, Seed: 20));
        yield return new Scenario("throttling-50", "Throttling on 50% of calls", Rates: new FaultRates(Throttle: 0.5, Seed: 50));
        yield return new Scenario("5xx-10", "HTTP 500/503 (HTML body) on 10% of calls", Rates: new FaultRates(ServerError: 0.1, Seed: 10));
        yield return new Scenario("reset-after-apply-10", "connection reset after the emulator applied 10% of calls",
            Rates: new FaultRates(ResetAfterApply: 0.1, Seed: 11));
        yield return new Scenario("reset-before-10", "connection reset before forwarding 10% of calls",
            Rates: new FaultRates(ResetBeforeForward: 0.1, Seed: 12));
        yield return new Scenario("latency-300ms", "300 ms added to every call", Rates: new FaultRates(Latency: TimeSpan.FromMilliseconds(300)));
        yield return new Scenario("reset-after-create-change-set", "reset after the first CreateChangeSet (primary) was applied",
            Rules: [new FaultRule("CreateChangeSet", FaultKind.ResetAfterApply)]);
        yield return new Scenario("reset-after-execute", "reset after the first ExecuteChangeSet was applied",
            Rules: [new FaultRule("ExecuteChangeSet", FaultKind.ResetAfterApply)]);
        yield return new Scenario("reset-after-lock-taken", "reset after the run lock's first write was applied",
            Rules: [new FaultRule("PUT ", FaultKind.ResetAfterApply, RunLock: true)]);
        yield return new Scenario("throttle-burst-create", "Throttling on 6 CreateChangeSet calls in a row",
            Rules: [new FaultRule("CreateChangeSet", FaultKind.Throttle, Times: 6)]);
        yield return new Scenario("concurrent-2", "two runs at once", Concurrent: 2);
        yield return new Scenario("concurrent-3", "three runs at once", Concurrent: 3);
    }
}
