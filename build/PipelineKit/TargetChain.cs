namespace PipelineKit;

using PipelineKit.Aws;
using PipelineKit.Deployment;
using PipelineKit.Messages;
using PipelineKit.Reporting;

/// <summary>
/// The stack targets one invocation runs, reported as one run. Cake runs a target's prerequisites as tasks of their own
/// (<c>./build.sh CreatePipeline</c> runs BootstrapPrimary, RegionalStacks and DeployTargetRoles first), and a summary per
/// task would show four tables for one command. The host adds each target's stacks here and
/// reports once: after the target the user named, when a target fails, or before work that is not a stack graph.
/// </summary>
internal sealed class TargetChain(IKitMessages messages, AwsCallLog callLog)
{
    private readonly List<string> targets = [];
    private readonly List<(StackRef Ref, StackResult Result)> stacks = [];
    private AwsCallCounts callsBefore = new(0, 0, 0, 0);
    private (int Calls, int Writes) lockBefore;

    /// <summary>True when targets ran whose summary was not reported yet.</summary>
    public bool Pending => targets.Count > 0;

    /// <summary>Before a target takes the run lock: the chain's AWS calls count from its first target's start.</summary>
    public void Starting(HostRunLock runLock)
    {
        if (Pending) return;
        callsBefore = callLog.Counts;
        lockBefore = (runLock.Calls, runLock.Writes);
    }

    /// <summary>Adds a target's stacks (a stack run again replaces its earlier row) and returns the chain's summary so far.</summary>
    public RunSummary Add(string target, IReadOnlyList<(StackRef Ref, StackResult Result)> outcome)
    {
        targets.Add(target);
        foreach (var entry in outcome)
        {
            var index = stacks.FindIndex(s => s.Ref.Key == entry.Ref.Key);
            if (index < 0) stacks.Add(entry);
            else stacks[index] = entry;
        }

        return new RunSummary(stacks);
    }

    /// <summary>Reports the chain's one summary (nothing when no target is pending) and starts a new chain.</summary>
    /// <param name="subject">What the run ran against, e.g. "sandbox (sandbox, emulator at ...)".</param>
    public void Report(string subject, HostRunLock runLock)
    {
        if (!Pending) return;
        var calls = callLog.Counts.Since(callsBefore).ApartFromLock(runLock.Calls - lockBefore.Calls, runLock.Writes - lockBefore.Writes);
        messages.Report(MessageCodes.RunSummary, new RunSummary(stacks).Text($"{string.Join(", ", targets)}: {subject}", calls));
        targets.Clear();
        stacks.Clear();
    }
}
