namespace PipelineKit.Messages;

using System.Text;

/// <summary>A <see cref="TextWriter"/> over the channel, for a part that still writes lines (PipelineFollower): each
/// line it writes is reported as one message of <paramref name="kind"/>.</summary>
public sealed class MessageLineWriter(IKitMessages messages, MessageKind kind) : TextWriter
{
    private readonly Lock gate = new();
    private readonly StringBuilder line = new();

    public override Encoding Encoding => Encoding.UTF8;

    public override void Write(char value)
    {
        lock (gate)
        {
            if (value == '\n') Emit();
            else if (value != '\r') line.Append(value);
        }
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            lock (gate)
            {
                if (line.Length > 0) Emit();
            }
        }

        base.Dispose(disposing);
    }

    private void Emit()
    {
        var text = line.ToString();
        line.Clear();
        messages.Report(kind, text);
    }
}
