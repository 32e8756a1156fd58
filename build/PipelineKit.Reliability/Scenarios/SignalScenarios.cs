namespace PipelineKit.Reliability.Scenarios;

using PipelineKit.Reliability.Proxy;
using PipelineKit.Reliability.Runner;

/// <summary>SIGINT (Ctrl+C) and SIGKILL at each phase of a stack's deployment, for the first stack of the run (the
/// primary) and for a target account's roles stack; and Ctrl+C to the Cake process ./build.sh started, alone.</summary>
public static class SignalScenarios
{
    public static IEnumerable<Scenario> All()
    {
        foreach (var (signal, name) in new[] { (KitProcess.SigInt, "sigint"), (KitProcess.SigKill, "sigkill") })
        {
            foreach (var (stack, label, summary) in new[] { ("primary", "primary", "BootstrapPrimary: "), ("roles", "first target roles stack", "DeployTargetRoles: ") })
            {
                yield return At(name, signal, stack, label, "before-create", "before its CreateChangeSet reaches the emulator",
                    (r, s) => s == ProxyStage.Received && r.Operation == "CreateChangeSet" && Is(r, stack));
                yield return At(name, signal, stack, label, "created", "after CreateChangeSet applied, before ExecuteChangeSet",
                    (r, s) => s == ProxyStage.Applied && r.Operation == "CreateChangeSet" && Is(r, stack));
                yield return At(name, signal, stack, label, "executing", "after ExecuteChangeSet applied, stack in progress",
                    (r, s) => s == ProxyStage.Applied && r.Operation == "ExecuteChangeSet" && Is(r, stack));
                yield return new Scenario($"{name}-{stack}-summary", $"{Upper(name)} during the {summary.TrimEnd(' ', ':')} summary",
                    Trigger: new Trigger($"summary line {summary}", signal, OnLine: line => line.StartsWith(summary, StringComparison.Ordinal)));
            }
        }

        yield return new Scenario("sigint-dotnet-cake", "SIGINT to ./build.sh's Cake process only, after primary CreateChangeSet",
            ThroughBuildScript: true,
            Trigger: new Trigger("primary CreateChangeSet applied", KitProcess.SigInt,
                (r, s) => s == ProxyStage.Applied && r.Operation == "CreateChangeSet" && Is(r, "primary")));
    }

    private static Scenario At(string name, int signal, string stack, string label, string phase, string when, Func<AwsRequest, ProxyStage, bool> match) =>
        new($"{name}-{stack}-{phase}", $"{Upper(name)} {label} {when}", Trigger: new Trigger($"{label} {phase}", signal, match));

    /// <summary>The primary stack (build account, build region), or a target roles stack: the roles stacks of all accounts
    /// share a name, so the trigger fires at the first of them the kit reaches.</summary>
    private static bool Is(AwsRequest request, string stack) => stack == "primary"
        ? request.StackName?.EndsWith("-primary", StringComparison.Ordinal) == true && request.Region == "us-east-1"
        : request.StackName?.EndsWith("-target-roles", StringComparison.Ordinal) == true;

    private static string Upper(string name) => name.ToUpperInvariant();
}
