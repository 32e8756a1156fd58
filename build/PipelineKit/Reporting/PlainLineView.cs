namespace PipelineKit.Reporting;

using Serilog;
using Serilog.Core;
using Serilog.Events;
using PipelineKit.Deployment;

/// <summary>
/// The view for logs and CI (no terminal): one line per event, written as a structured Serilog event with
/// named properties ({Stack}, {Account}, {Region}, {Status}, {Outcome}, ...). The event's own time is the
/// log event's timestamp, so the log shows when CloudFormation or the engine saw it, not when it was written.
/// Thread-safe: Serilog loggers and sinks are safe to call from several threads.
/// </summary>
public sealed class PlainLineView : IDeploymentObserver
{
    private readonly ILogger _logger;

    /// <summary>Writes through <paramref name="logger"/> (see <see cref="KitLogging.Create(string, bool)"/>).</summary>
    public PlainLineView(ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(logger);
        _logger = logger.ForContext<PlainLineView>();
    }

    /// <summary>Writes plain lines to <paramref name="output"/>, e.g. a CI log or a test's StringWriter.</summary>
    public PlainLineView(TextWriter output)
        : this(TextWriterLogger(output))
    {
    }

    public void On(DeploymentEvent deploymentEvent)
    {
        ArgumentNullException.ThrowIfNull(deploymentEvent);
        var (level, template, values) = Describe(deploymentEvent);
        if (!_logger.IsEnabled(level)) return;
        var stack = deploymentEvent.Stack;
        object?[] args = [stack.Key, stack.Location.AccountId, stack.Location.Region, .. values];
        if (!_logger.BindMessageTemplate("[{Stack}] {Account}/{Region} " + template, args, out var parsed, out var properties))
            return;
        var cause = deploymentEvent is StackFinished finished ? finished.Result.Cause : null;
        _logger.Write(new LogEvent(deploymentEvent.Time, level, cause, parsed, properties));
    }

    private static (LogEventLevel Level, string Template, object?[] Values) Describe(DeploymentEvent deploymentEvent)
    {
        switch (deploymentEvent)
        {
            case StackQueued:
                return (LogEventLevel.Information, "queued", []);
            case StackStarted:
                return (LogEventLevel.Information, "started", []);
            case StackProgress { Status: { } status } progress:
                return (LogEventLevel.Information, "{Step} {Status}", [progress.Message, status.Value]);
            case StackProgress progress:
                return (LogEventLevel.Information, "{Step}", [progress.Message]);
            case StackExecuting { Creating: var creating }:
                return (LogEventLevel.Debug, "change set accepted: {Operation} under way", [creating ? "creation" : "update"]);
            case StackResourceEvent { Event: var e }:
                var level = ReportText.IsFailure(e) ? LogEventLevel.Warning : LogEventLevel.Information;
                return string.IsNullOrEmpty(e.ResourceStatusReason)
                    ? (level, "{LogicalId} {ResourceType} {Status}", [e.LogicalResourceId, e.ResourceType, e.ResourceStatus])
                    : (level, "{LogicalId} {ResourceType} {Status} {Reason}",
                        [e.LogicalResourceId, e.ResourceType, e.ResourceStatus, e.ResourceStatusReason]);
            case StackFinished { Result: var r }:
                var outcome = ReportText.Outcome(r.Outcome);
                var finalStatus = r.Status?.Value ?? "-";
                var elapsed = ReportText.Elapsed(r.Elapsed);
                if (r.Outcome == Deployment.StackOutcome.NotStarted)
                    return (LogEventLevel.Warning, "finished {Outcome} {Reason}", [outcome, r.Error ?? "(a prerequisite did not finish)"]);
                if (r.Succeeded)
                    return (LogEventLevel.Information, "finished {Outcome} {Status} in {Elapsed}", [outcome, finalStatus, elapsed]);
                return (LogEventLevel.Error, "finished {Outcome} {Status} in {Elapsed}: {Error} Next step: {NextStep}",
                    [outcome, finalStatus, elapsed, r.Error ?? "(no error recorded)", r.NextStep ?? "see the log file"]);
            default:
                return (LogEventLevel.Debug, "{Event}", [deploymentEvent.GetType().Name]);
        }
    }

    private static Logger TextWriterLogger(TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(output);
        return new LoggerConfiguration()
            .MinimumLevel.Verbose()
            .WriteTo.Sink(new TextWriterLineSink(output, new PlainLineFormatter()))
            .CreateLogger();
    }
}
