namespace PipelineKit.Pipeline;

using System.Globalization;
using System.Text;
using Amazon.Runtime;
using PipelineKit.Aws;
using PipelineKit.Deployment;

/// <summary>How long the follower waits: for a run to appear before starting one itself, and for the run to end.</summary>
/// <param name="ApprovalHint">What to do about a waiting approval, after "approval waiting: "; by default, approve in the console.</param>
public sealed record FollowSettings(TimeSpan StartGracePeriod, TimeSpan Deadline, string? ApprovalHint = null)
{
    /// <summary>The S3 source polls about once a minute; a run with approvals may wait hours for a person.</summary>
    public static FollowSettings Default { get; } = new(TimeSpan.FromMinutes(3), TimeSpan.FromHours(4));
}

/// <summary>A pipeline run that ended well.</summary>
public sealed record PipelineRun(string PipelineExecutionId, string Status, bool StartedByKit, TimeSpan Took);

/// <summary>
/// Finds the pipeline run that carries a source upload and follows it stage by stage until it ends, reporting each
/// stage's transitions (and each approval that waits for a person) once. Waits use the kit's polling policy and
/// deadlines in the injected clock.
/// </summary>
public sealed class PipelineFollower
{
    /// <summary>ListPipelineExecutions' largest page (and its default).</summary>
    private const int ListPageSize = 100;

    /// <summary>A search reads at most this many pages (1,000 runs) per look; it stops earlier at a match or at runs older
    /// than it looks for.</summary>
    private const int MaxPages = 10;

    /// <summary>How far CodePipeline's clock may be behind this machine's: runs that started this long before the
    /// upload are still read.</summary>
    private static readonly TimeSpan ClockSkew = TimeSpan.FromMinutes(5);

    private readonly ICodePipeline pipeline;
    private readonly string pipelineName;
    private readonly string region;
    private readonly TextWriter progress;
    private readonly FollowSettings settings;
    private readonly Poller poller;

    public PipelineFollower(ICodePipeline pipeline, string pipelineName, string region, TimeProvider time, PollingPolicy policy,
        TextWriter progress, FollowSettings? settings = null)
    {
        this.pipeline = pipeline ?? throw new ArgumentNullException(nameof(pipeline));
        ArgumentException.ThrowIfNullOrWhiteSpace(pipelineName);
        ArgumentException.ThrowIfNullOrWhiteSpace(region);
        this.pipelineName = pipelineName;
        this.region = region;
        this.progress = progress ?? throw new ArgumentNullException(nameof(progress));
        this.settings = settings ?? FollowSettings.Default;
        poller = new Poller(time ?? throw new ArgumentNullException(nameof(time)), policy ?? throw new ArgumentNullException(nameof(policy)));
    }

    /// <summary>The pipeline's page in the console.</summary>
    public string PipelineConsoleUrl =>
        $"https://{region}.console.aws.amazon.com/codesuite/codepipeline/pipelines/{Uri.EscapeDataString(pipelineName)}/view?region={region}";

    public string ExecutionConsoleUrl(string pipelineExecutionId) =>
        $"https://{region}.console.aws.amazon.com/codesuite/codepipeline/pipelines/{Uri.EscapeDataString(pipelineName)}" +
        $"/executions/{Uri.EscapeDataString(pipelineExecutionId)}/timeline?region={region}";

    /// <summary>A token StartPipelineExecution accepts ([A-Za-z0-9-]{1,128}), the same for the same revision, so a
    /// re-run of the kit within minutes does not start a second run of one upload.</summary>
    public static string StartToken(string revisionId)
    {
        var text = new StringBuilder("pipelinekit-");
        foreach (var c in revisionId) text.Append(char.IsAsciiLetterOrDigit(c) ? c : '-');
        return text.Length > 128 ? text.ToString(0, 128) : text.ToString();
    }

    /// <summary>Waits for the run whose source revision is <paramref name="revisionId"/> (the uploaded object's version);
    /// starts one when none appeared within the grace period; follows it to its end.</summary>
    public async Task<PipelineRun> FollowRevisionAsync(string revisionId, CancellationToken ct)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(revisionId);
        progress.WriteLine($"Pipeline {pipelineName}: waiting for the run of source version {revisionId} " +
            "(the S3 source polls for changes; this can take a minute or two)...");
        string id;
        var startedByKit = false;
        var uploadedAround = poller.Time.GetUtcNow() - ClockSkew;
        try
        {
            id = (await poller.UntilAsync(
                token => FindAsync(e => e.SourceRevisions.Any(r => r.RevisionId == revisionId), uploadedAround, token),
                found => found is not null, settings.StartGracePeriod, () => $"waiting for a run of {revisionId}", null, ct).ConfigureAwait(false))!
                .PipelineExecutionId;
        }
        catch (TimeoutException)
        {
            id = await Call(token => pipeline.StartPipelineExecutionAsync(pipelineName, StartToken(revisionId), token), ct).ConfigureAwait(false);
            startedByKit = true;
            progress.WriteLine($"Pipeline {pipelineName}: no run picked up version {revisionId} within {Duration(settings.StartGracePeriod)}; " +
                $"started execution {id}.");
        }

        return await FollowAsync(id, startedByKit, ct).ConfigureAwait(false);
    }

    /// <summary>For repository sources: waits for the first run that was not there when called (the one a push starts),
    /// and follows it.</summary>
    public async Task<PipelineRun> FollowNextRunAsync(CancellationToken ct)
    {
        // A new run starts after every run listed now; the newest listed start bounds how far later looks page.
        var listed = (await Call(token => pipeline.ListPipelineExecutionsAsync(pipelineName, ListPageSize, null, token), ct).ConfigureAwait(false))
            .Executions;
        var before = listed.Select(e => e.PipelineExecutionId).ToHashSet(StringComparer.Ordinal);
        var newest = listed.Max(e => e.StartTime);
        progress.WriteLine($"Pipeline {pipelineName}: waiting for the next run...");
        var found = await poller.UntilAsync(
            token => FindAsync(e => !before.Contains(e.PipelineExecutionId), newest, token),
            run => run is not null, settings.Deadline, () => $"waiting for a new run of {pipelineName}", null, ct).ConfigureAwait(false);
        return await FollowAsync(found!.PipelineExecutionId, startedByKit: false, ct).ConfigureAwait(false);
    }

    /// <summary>Follows one run until it ends. Returns when it succeeded; throws <see cref="PipelineRunFailedException"/> otherwise.</summary>
    public async Task<PipelineRun> FollowAsync(string pipelineExecutionId, bool startedByKit, CancellationToken ct)
    {
        progress.WriteLine($"Pipeline {pipelineName}: following execution {pipelineExecutionId}: {ExecutionConsoleUrl(pipelineExecutionId)}");
        var started = poller.Time.GetUtcNow();
        var reported = new Dictionary<string, string>(StringComparer.Ordinal);
        var (execution, state) = await poller.UntilAsync(
            async token =>
            {
                var run = await Call(t => pipeline.GetPipelineExecutionAsync(pipelineName, pipelineExecutionId, t), token).ConfigureAwait(false);
                // Read after the run's status, so a finished run's last stage transitions are in this state.
                var stages = await Call(t => pipeline.GetPipelineStateAsync(pipelineName, t), token).ConfigureAwait(false);
                return (run, stages);
            },
            probe => PipelineExecutionStatus.IsFinished(probe.run.Status),
            settings.Deadline,
            () => $"following execution {pipelineExecutionId} of pipeline {pipelineName} (it may still be running: {ExecutionConsoleUrl(pipelineExecutionId)})",
            probe => Report(probe.run, probe.stages, reported),
            ct).ConfigureAwait(false);

        var took = poller.Time.GetUtcNow() - started;
        if (execution.Status == PipelineExecutionStatus.Succeeded)
        {
            progress.WriteLine($"Pipeline {pipelineName}: execution {pipelineExecutionId} Succeeded in {Duration(took)}.");
            return new PipelineRun(pipelineExecutionId, execution.Status, startedByKit, took);
        }

        // The stop's reason is only in ListPipelineExecutions; a superseded run names the newest run instead.
        var summary = execution.Status is PipelineExecutionStatus.Stopped
            ? await FindAsync(e => e.PipelineExecutionId == pipelineExecutionId, since: null, ct).ConfigureAwait(false)
            : null;
        var newer = execution.Status is PipelineExecutionStatus.Superseded
            ? await FindAsync(e => e.PipelineExecutionId != pipelineExecutionId, since: null, ct).ConfigureAwait(false)
            : null;
        throw new PipelineRunEnding(pipelineName, PipelineConsoleUrl, ExecutionConsoleUrl(pipelineExecutionId))
            .Explain(execution, state, summary?.StopReason, newer?.PipelineExecutionId);
    }

    /// <summary>Pages through the runs, newest first, until one matches; stops at a run that started before
    /// <paramref name="since"/> (none older can match), at the last page, or after <see cref="MaxPages"/>.</summary>
    private async Task<PipelineExecutionSummary?> FindAsync(Func<PipelineExecutionSummary, bool> match, DateTimeOffset? since, CancellationToken ct)
    {
        string? next = null;
        for (var page = 0; page < MaxPages; page++)
        {
            var listed = await Call(token => pipeline.ListPipelineExecutionsAsync(pipelineName, ListPageSize, next, token), ct).ConfigureAwait(false);
            foreach (var execution in listed.Executions)
            {
                if (match(execution)) return execution;
                if (execution.StartTime < since) return null;
            }

            next = listed.NextToken;
            if (next is null) return null;
        }

        return null;
    }

    private void Report(PipelineExecution run, PipelineState state, Dictionary<string, string> reported)
    {
        var pipelineExecutionId = run.PipelineExecutionId;
        if (run.Status == PipelineExecutionStatus.Stopping && reported.TryAdd("/stopping", run.Status))
        {
            progress.WriteLine($"Pipeline {pipelineName}: execution {pipelineExecutionId} is Stopping: someone asked to stop it " +
                "(StopPipelineExecution or the console); its actions in progress finish or are abandoned. Waiting for it to stop...");
        }

        foreach (var stage in state.Stages.Where(s => s.LatestExecution?.PipelineExecutionId == pipelineExecutionId))
        {
            var status = stage.LatestExecution!.Status;
            foreach (var action in stage.Actions)
            {
                if (action.LatestExecution is { Status: PipelineExecutionStatus.InProgress, Token: not null }
                    && reported.TryAdd($"{stage.StageName}/{action.ActionName}/approval", "waiting"))
                {
                    progress.WriteLine($"  {stage.StageName} {action.ActionName}: approval waiting: {settings.ApprovalHint ?? $"approve in the console {PipelineConsoleUrl}"}");
                }
            }

            if (reported.TryGetValue(stage.StageName, out var before) && before == status) continue;
            reported[stage.StageName] = status;
            var failed = stage.Actions.FirstOrDefault(a => a.LatestExecution?.Status == PipelineExecutionStatus.Failed);
            progress.WriteLine(failed is null
                ? $"  {stage.StageName} {status}"
                : $"  {stage.StageName} {status}: {failed.ActionName}: {ErrorText(failed.LatestExecution!)}");
        }
    }

    private async Task<T> Call<T>(Func<CancellationToken, Task<T>> call, CancellationToken ct)
    {
        try
        {
            return await call(ct).ConfigureAwait(false);
        }
        catch (AmazonServiceException e) when (e.ErrorCode == "PipelineNotFoundException")
        {
            throw new PipelineRunFailedException("PipelineNotFound",
                $"Pipeline {pipelineName} does not exist in {region} ({e.Message}). Next: run ./build.sh CreatePipeline, then DeploySampleApp.",
                errorCode: e.ErrorCode, inner: e);
        }
        catch (AmazonServiceException e) when (RetryingCodePipeline.IsBusy(e.ErrorCode))
        {
            throw new PipelineRunFailedException("PipelineBusy",
                $"Pipeline {pipelineName} stayed busy and started no run ({e.ErrorCode}: {e.Message}). Next: wait until the pipeline's " +
                $"update or its runs in progress are done ({PipelineConsoleUrl}), then run ./build.sh DeploySampleApp again.",
                errorCode: e.ErrorCode, inner: e);
        }
    }

    internal static string ErrorText(ActionExecution execution) =>
        (execution.ErrorCode, execution.ErrorMessage) switch
        {
            (null, null) => execution.Summary ?? "no error message",
            (null, { } message) => message,
            ({ } code, null) => code,
            ({ } code, { } message) => $"{code}: {message}",
        };

    internal static string Duration(TimeSpan span) =>
        span.TotalHours >= 1 ? string.Create(CultureInfo.InvariantCulture, $"{(int)span.TotalHours}h {span.Minutes}m")
        : span.TotalMinutes >= 1 ? string.Create(CultureInfo.InvariantCulture, $"{span.Minutes}m {span.Seconds}s")
        : string.Create(CultureInfo.InvariantCulture, $"{span.Seconds}s");
}
