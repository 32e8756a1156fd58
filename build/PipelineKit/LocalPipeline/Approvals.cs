namespace PipelineKit.LocalPipeline;

/// <summary>A manual approval's answer: approved or rejected, the comment (may be empty), and who gave it ("--auto-approve",
/// "the terminal", or <see cref="ThroughApi"/>: PutApprovalResult, whose summary says who called it).</summary>
public sealed record ApprovalDecision(bool Approved, string Summary, string By)
{
    public const string ThroughApi = "PutApprovalResult";

    /// <summary>"Approved by the terminal: ship it"; an answer through the API is its own summary ("Approved by SecurityCheck-dev: ...").</summary>
    public string Text => By == ThroughApi && Summary.Length > 0 ? Summary
        : $"{(Approved ? "Approved" : "Rejected")} by {By}{(Summary.Length == 0 ? "" : ": " + Summary)}";
}

/// <summary>An approval waiting in a local run: the action, its CustomData and link, and its token (what
/// PutApprovalResult must name).</summary>
public sealed record ApprovalRequest(ActionDefinition Action, string ExecutionId, string Token, string? CustomData, string? Link);

/// <summary>
/// Who answers a manual approval of a local run besides PutApprovalResult (the security gate answers its approval that
/// way). <paramref name="neighboursDone"/> ends when every other action of the approval's run order has finished, so an
/// answer given after it leaves the security gate, which runs beside its approval, the first word.
/// </summary>
public interface IApprovalDecider
{
    /// <returns>The decision; never returns while the decider has none to give (it waits, or throws to fail the action).</returns>
    Task<ApprovalDecision> DecideAsync(ApprovalRequest request, Task neighboursDone, CancellationToken ct);
}

/// <summary>--auto-approve: approves once the actions beside the approval have finished. The security gate answers its own
/// approval first when nothing widens; one it left waiting for a person is approved too, but never silently: the decision
/// and <paramref name="warn"/> say that the gate asked for a person.</summary>
public sealed class AutoApprove(Action<string>? warn = null) : IApprovalDecider
{
    /// <summary>The security gate's approvals: SecurityApproval-&lt;environment&gt;.</summary>
    private static readonly string SecurityApproval = Naming.KitNames.SecurityApprovalAction("");

    public async Task<ApprovalDecision> DecideAsync(ApprovalRequest request, Task neighboursDone, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(neighboursDone);
        await neighboursDone.WaitAsync(ct).ConfigureAwait(false);
        if (!request.Action.Name.StartsWith(SecurityApproval, StringComparison.Ordinal)) return new ApprovalDecision(true, "", "--auto-approve");
        var gate = $"SecurityCheck-{request.Action.Name[SecurityApproval.Length..]}";
        warn?.Invoke($"{request.Action}: the security gate ({gate}) found changes that widen permissions and left this approval for a " +
                     $"person; --auto-approve approves it. Its log in artifacts/local-pipeline/logs/{request.ExecutionId}/ lists them.");
        return new ApprovalDecision(true, $"over the security gate, which asked for a person ({gate} found changes that widen permissions)", "--auto-approve");
    }
}

/// <summary>No one to ask (no terminal, no --auto-approve): once the actions beside it have finished and nothing answered,
/// the approval fails with what to do, instead of waiting seven days for an answer that cannot come.</summary>
public sealed class NoApprover : IApprovalDecider
{
    public async Task<ApprovalDecision> DecideAsync(ApprovalRequest request, Task neighboursDone, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(neighboursDone);
        await neighboursDone.WaitAsync(ct).ConfigureAwait(false);
        throw new ActionFailedException("ApprovalUnanswered",
            $"{request.Action} waits for an approval and this run has no terminal to ask. Next: run it from a terminal to answer, " +
            "or pass --auto-approve to approve every approval of the local run.");
    }
}

/// <summary>
/// Asks on the terminal: prints the approval and reads one line, <c>approve [comment]</c> or <c>reject comment</c>. Lines
/// that are neither are answered with the choices. Approvals waiting at once are asked one after the other.
/// </summary>
public sealed class TerminalApprover(TextReader input, Action<string> prompt) : IApprovalDecider
{
    private readonly SemaphoreSlim turn = new(1, 1);

    public async Task<ApprovalDecision> DecideAsync(ApprovalRequest request, Task neighboursDone, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(request);
        await turn.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            prompt($"  {request.Action}: approval waiting{(request.CustomData is null ? "" : ": " + request.CustomData)}" +
                   (request.Link is null ? "" : $" ({request.Link})") + Environment.NewLine +
                   "  Type \"approve [comment]\" or \"reject <comment>\":");
            while (true)
            {
                var line = await input.ReadLineAsync(ct).ConfigureAwait(false)
                           ?? throw new ActionFailedException("ApprovalUnanswered", $"{request.Action}: the terminal closed before an answer.");
                if (Parse(line) is { } decision) return decision;
                prompt("  Answer \"approve [comment]\" or \"reject <comment>\" (a rejection needs a comment).");
            }
        }
        finally
        {
            turn.Release();
        }
    }

    /// <summary>"approve", "approve looks good", "reject broken smoke test"; null for anything else.</summary>
    public static ApprovalDecision? Parse(string line)
    {
        ArgumentNullException.ThrowIfNull(line);
        var text = line.Trim();
        var space = text.IndexOf(' ', StringComparison.Ordinal);
        var (verb, comment) = space < 0 ? (text, "") : (text[..space], text[(space + 1)..].Trim());
        return verb.ToLowerInvariant() switch
        {
            "approve" or "approved" or "yes" => new ApprovalDecision(true, comment, "the terminal"),
            "reject" or "rejected" or "no" when comment.Length > 0 => new ApprovalDecision(false, comment, "the terminal"),
            _ => null,
        };
    }
}
