namespace PipelineKit.Planning;

using PipelineKit.Accounts;
using PipelineKit.Aws;
using PipelineKit.Configuration;
using PipelineKit.Deployment;
using PipelineKit.Errors;
using PipelineKit.Messages;
using PipelineKit.Orchestration;
using PipelineKit.Reporting;

/// <summary>What Plan works with: the configuration, the foundation's graph, the sessions and clients (every call logged),
/// the deployer whose read-only parts the planner uses, and where the run looks (<paramref name="Where"/>, for the report).</summary>
public sealed record PlanContext(
    PipelineConfig Config,
    FoundationPlan Foundation,
    IAccountSessions Sessions,
    IAwsClientFactory Clients,
    StackDeployer Deployer,
    IDeploymentObserver Observer,
    int Parallelism,
    TimeProvider Time,
    string Where);

/// <summary>The Plan target's flow: every stack planned, artifacts/plan.json and plan.md written, the plan shown as one
/// message with the AWS calls it made; the exit code says whether changes are pending.</summary>
public static class PlanTarget
{
    /// <returns>The report, and <see cref="ExitCodes.ChangesPending"/> or <see cref="ExitCodes.Success"/>.</returns>
    /// <exception cref="KitRunFailedException">Code PlanFailed: a stack could not be planned (the plan is shown first).</exception>
    public static async Task<(PlanReport Report, int ExitCode)> RunAsync(PlanContext context, string repositoryRoot, string artifactsDirectory,
        AwsCallLog callLog, IKitMessages messages, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(callLog);
        var before = callLog.Counts;
        var apps = await AppStackPlan.ForCheckoutAsync(repositoryRoot, context.Config, context.Sessions, context.Clients, ct).ConfigureAwait(false);
        var report = await new PlanRun(context.Foundation, apps, context.Deployer, context.Parallelism, context.Time, context.Observer)
            .RunAsync(context.Config.Name, ct).ConfigureAwait(false);
        var files = PlanRun.Write(report, artifactsDirectory);
        messages.Report(MessageCodes.PlanReport, string.Join(Environment.NewLine,
            $"Plan: {context.Config.Name} ({context.Where})",
            report.ToText().TrimEnd(),
            $"AWS calls: {callLog.Counts.Since(before).ToString("change sets created and deleted")}",
            $"Plan: {string.Join(", ", files.Select(f => Path.GetRelativePath(repositoryRoot, f)))}"));
        if (report.Failed) throw new KitRunFailedException(ErrorCodes.PlanFailed, "Plan failed: some stacks could not be planned. See the plan above.");
        return (report, report.ChangesPending ? ExitCodes.ChangesPending : ExitCodes.Success);
    }
}
