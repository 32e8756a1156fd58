namespace PipelineKit.Teardown;

using PipelineKit.Accounts;
using PipelineKit.Aws;
using PipelineKit.Configuration;
using PipelineKit.Deployment;
using PipelineKit.Errors;
using PipelineKit.Messages;
using PipelineKit.Orchestration;
using PipelineKit.Reporting;

/// <summary>The Destroy target's flow: the destroyer over the foundation's graph reversed, then the AWS calls it made
/// (a refusal must show 0 mutating); a refusal or an unfinished deletion fails the target with its own code.</summary>
public static class DestroyTarget
{
    public static async Task<DestroyOutcome> RunAsync(PipelineConfig config, FoundationPlan foundation, IAccountSessions sessions,
        IAwsClientFactory clients, bool emulated, IDeploymentObserver observer, int parallelism, TimeProvider time, DestroySettings settings,
        AwsCallLog callLog, IKitMessages messages, CancellationToken ct, Func<(int Calls, int Writes)>? lockCalls = null)
    {
        ArgumentNullException.ThrowIfNull(foundation);
        ArgumentNullException.ThrowIfNull(callLog);
        var policy = emulated ? PollingPolicy.Emulator : PollingPolicy.Default;
        var destroyer = DestroyerFactory.Create(config, sessions, clients, policy, observer, parallelism, time, messages, foundation.UnitRoles);
        var (before, locked) = (callLog.Counts, lockCalls?.Invoke() ?? default);
        var outcome = await destroyer.RunAsync(foundation.For(KitTarget.BootstrapAll, new Dictionary<string, StackResult>()), settings, ct)
            .ConfigureAwait(false);
        // The run lock's calls (its release before the buckets go) are shown apart, as in a target's summary.
        var (lockNow, lockWrites) = lockCalls?.Invoke() is { } now ? (now.Calls - locked.Calls, now.Writes - locked.Writes) : (0, 0);
        messages.Report(MessageCodes.AwsCalls, $"AWS calls: {callLog.Counts.Since(before).ApartFromLock(lockNow, lockWrites)}");
        return outcome switch
        {
            DestroyOutcome.NotConfirmed => throw new KitRunFailedException(ErrorCodes.DestroyNotConfirmed,
                "Destroy deleted nothing: it needs --yes.", "Re-run with --yes to delete everything listed above."),
            DestroyOutcome.Refused => throw new KitRunFailedException(ErrorCodes.DestroyRefused, "Destroy refused; nothing was deleted. See above."),
            DestroyOutcome.Failed => throw new KitRunFailedException(ErrorCodes.DestroyIncomplete,
                "Destroy did not finish; see the summary above.", "Fix what the summary names, then re-run Destroy --yes."),
            _ => outcome,
        };
    }
}
