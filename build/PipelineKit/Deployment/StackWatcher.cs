namespace PipelineKit.Deployment;

using PipelineKit.Aws;

/// <summary>Waits on one stack: until no operation is in progress on it, and, while a change set runs, reports
/// its events as they appear. Every wait shows a <see cref="WaitingLine"/>. Reads only.</summary>
internal sealed class StackWatcher(StackContext context)
{
    /// <summary>Describes the stack and waits while CloudFormation works on it (another run, a console user).</summary>
    public async Task<StackDescription?> SettleAsync(CancellationToken ct)
    {
        var first = await context.Poller.ReadAsync(token => context.Cfn.DescribeStackAsync(context.Name, token), "the stack", ct)
            .ConfigureAwait(false);
        if (first is null || !first.Status.IsInProgress) return first;

        var line = new WaitingLine(context, "waiting for the operation in progress to finish");
        line.Show(first.Status);
        return await WhileInProgressAsync($"to leave {first.Status}", line, ct).ConfigureAwait(false);
    }

    /// <summary>Polls the stack until it exists no more or no operation is in progress on it.</summary>
    public Task<StackDescription?> WhileInProgressAsync(string waitingFor, WaitingLine line, CancellationToken ct) =>
        context.Poller.UntilAsync(
            token => context.Cfn.DescribeStackAsync(context.Name, token),
            s => s is null || !s.Status.IsInProgress,
            context.Policy.StackDeadline,
            () => $"waiting for {context.Name} {waitingFor}",
            s =>
            {
                if (s is { Status.IsInProgress: true }) line.Show(s.Status);
            },
            ct);

    /// <summary>Polls a change set of the stack until CloudFormation has computed it (no longer pending), up to the change-set
    /// deadline.</summary>
    public Task<ChangeSetDescription> ChangeSetComputedAsync(string changeSetName, CancellationToken ct) =>
        context.Poller.UntilAsync(
            token => context.Cfn.DescribeChangeSetAsync(context.Name, changeSetName, token),
            c => !c.Status.IsPending,
            context.Policy.ChangeSetDeadline,
            () => $"waiting for change set {changeSetName}",
            null,
            ct);

    /// <summary>The stack's events from now on: events older than this run are not reported again.</summary>
    public async Task<EventStream> EventsFromNowAsync(CancellationToken ct)
    {
        var page = await context.Poller.ReadAsync(token => context.Cfn.DescribeStackEventsAsync(context.Name, null, token), "stack events", ct)
            .ConfigureAwait(false);
        return new EventStream(context.Cfn, context.Name, page.Events.Count > 0 ? page.Events[0].EventId : null);
    }

    /// <summary>Polls until the operation a change set started has ended, reporting every new event and a waiting line
    /// (each status once, when it changes, and periodically). Then reports the events that came with the last status.
    /// <paramref name="notStartedIn"/> is the status the stack had before the execution (REVIEW_IN_PROGRESS for a new
    /// stack): CloudFormation starts an execution asynchronously, so a read may still show it, and AWS's waiter
    /// (stack_create_complete) keeps polling then. The kit does so for at most <see cref="PollingPolicy.ChangeSetDeadline"/>;
    /// the stack returned is then still in that status.</summary>
    public async Task<StackDescription> FollowAsync(EventStream events, StackStatus? notStartedIn, CancellationToken ct)
    {
        var line = new WaitingLine(context, "change set running");
        var started = context.Now;
        bool NotStarted(StackDescription s) => s.Status == notStartedIn && context.Now - started < context.Policy.ChangeSetDeadline;
        var final = await context.Poller.UntilAsync(
            async token =>
            {
                Report(await events.ReadNewAsync(token).ConfigureAwait(false));
                return await context.Cfn.DescribeStackAsync(context.Name, token).ConfigureAwait(false);
            },
            s => s is not null && !s.Status.IsInProgress && !NotStarted(s),
            context.Policy.StackDeadline,
            () => $"waiting for {context.Name} to finish its change set",
            s => line.Show(s?.Status),
            ct).ConfigureAwait(false);

        Report(await context.Poller.ReadAsync(events.ReadNewAsync, "stack events", ct).ConfigureAwait(false));
        return final!;
    }

    private void Report(IReadOnlyList<StackEvent> fresh)
    {
        foreach (var e in fresh) context.Report(e);
    }
}
