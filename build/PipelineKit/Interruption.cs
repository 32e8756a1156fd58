namespace PipelineKit;

using PipelineKit.Errors;
using PipelineKit.Messages;
using PipelineKit.Reporting;

/// <summary>
/// Ctrl+C, for a host on the process's console. The first press starts no new stack and stops every wait (CloudFormation
/// finishes what it started) and says so; a second one ends the process at once. A wait it stopped ends the target as
/// <see cref="ErrorCodes.Interrupted"/>, with its own exit code.
/// </summary>
internal sealed class Interruption : IDisposable
{
    private readonly CancellationTokenSource cancel = new();
    private readonly IKitMessages messages;
    private readonly bool listening;

    /// <param name="listen">The host owns the process's console: Ctrl+C is its to handle.</param>
    public Interruption(IKitMessages messages, bool listen)
    {
        this.messages = messages;
        listening = listen;
        if (listening) Console.CancelKeyPress += OnCancelKeyPress;
    }

    public CancellationToken Token => cancel.Token;

    public bool Requested => cancel.IsCancellationRequested;

    /// <summary>What a target ends with: a wait Ctrl+C stopped becomes <see cref="ErrorCodes.Interrupted"/> with the same
    /// message (the cancellation kept inside); any other failure is itself.</summary>
    public Exception Classify(Exception failure) =>
        failure is OperationCanceledException cancelled && Requested
            ? new KitRunFailedException(ErrorCodes.Interrupted, cancelled.Message,
                "Re-run the same command to resume; finished stacks are skipped.", cancelled)
            : failure;

    public void Dispose()
    {
        if (listening) Console.CancelKeyPress -= OnCancelKeyPress;
        cancel.Dispose();
    }

    /// <summary>What the first Ctrl+C does; false when it was done already.</summary>
    internal bool Request()
    {
        if (cancel.IsCancellationRequested) return false;
        messages.Report(MessageCodes.Cancelling, "Cancelling: no new stack starts; stacks already in progress keep going in CloudFormation. Re-run to resume.");
        cancel.Cancel();
        return true;
    }

    /// <summary>The second Ctrl+C is left to the runtime, which ends the process.</summary>
    private void OnCancelKeyPress(object? sender, ConsoleCancelEventArgs e)
    {
        if (Request()) e.Cancel = true;
    }
}
