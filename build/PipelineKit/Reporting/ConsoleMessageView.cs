namespace PipelineKit.Reporting;

using PipelineKit.Messages;

/// <summary>
/// The messages on the console, for a person at a terminal and in a CI log alike: each message's text as it is,
/// without time, level or code, so what a user reads (and what a script greps) is the kit's words only. A
/// <see cref="MessageKind.Separate"/> kind gets a blank line before it. Whole messages under one lock, flushed,
/// so parallel parts never interleave and a CI log shows each as it happens.
/// </summary>
public sealed class ConsoleMessageView(TextWriter output) : IKitMessages
{
    private readonly TextWriter output = output ?? throw new ArgumentNullException(nameof(output));
    private readonly Lock gate = new();

    public void Report(Message message)
    {
        ArgumentNullException.ThrowIfNull(message);
        lock (gate)
        {
            if (message.Kind.Separate) output.WriteLine();
            output.WriteLine(message.Text);
            output.Flush();
        }
    }
}
