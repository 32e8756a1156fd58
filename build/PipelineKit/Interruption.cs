namespace PipelineKit;

using System.Runtime.InteropServices;
using PipelineKit.Errors;
using PipelineKit.Messages;
using PipelineKit.Reporting;

/// <summary>
/// Ctrl+C (SIGINT) and SIGTERM, for a host on the process's console. The first press starts no new stack and stops every wait (CloudFormation
/// finishes what it started) and says so; a second one ends the process at once. A wait it stopped ends the target as
/// <see cref="ErrorCodes.Interrupted"/>, with its own exit code.
/// </summary>
internal sealed class Interruption : IDisposable
{
    private readonly CancellationTokenSource cancel = new();
    private readonly IKitMessages messages;
    private readonly bool listening;
    private readonly PosixSignalRegistration? terminate;

    /// <param name="listen">The host owns the process's console: Ctrl+C is its to handle.</param>
    public Interruption(IKitMessages messages, bool listen)
    {
        this.messages = messages;
        listening = listen;
        if (!listening) return;
        Console.CancelKeyPress += OnCancelKeyPress;
        // A CI runner or `kill` stops a job with SIGTERM: the first one is a Ctrl+C, so the stacks in progress are left
        // settled and the summary says what ran; a second ends the process.
        terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, context => context.Cancel = Request());
    }

    public CancellationToken Token => cancel.Token;

    public bool Requested => cancel.IsCancellationRequested;

    /// <summary>What a target ends with: once Ctrl+C (or SIGINT/SIGTERM) was requested, whatever ended the target (a wait it
    /// stopped, or a target that reports the stopped stacks as its own failure, as Plan does) becomes
    /// <see cref="ErrorCodes.Interrupted"/> with the same message (the original kept inside), so the exit code says the
    /// run was stopped, not that it failed; without a request every failure is itself.</summary>
    public Exception Classify(Exception failure) =>
        Requested && !(failure is KitException { Code: var code } && code == ErrorCodes.Interrupted.Code)
            ? new KitRunFailedException(ErrorCodes.Interrupted, failure.Message,
                "Re-run the same command to resume; finished stacks are skipped.", failure)
            : failure;

    public void Dispose()
    {
        if (listening) Console.CancelKeyPress -= OnCancelKeyPress;
        terminate?.Dispose();
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
