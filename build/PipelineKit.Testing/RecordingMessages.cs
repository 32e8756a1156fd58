namespace PipelineKit.Testing;

using PipelineKit.Messages;

/// <summary>The tests' sink of the kit's message channel: every message, in order, with its code.</summary>
public sealed class RecordingMessages : IKitMessages
{
    private readonly List<Message> messages = [];

    public IReadOnlyList<Message> Messages { get { lock (messages) return messages.ToArray(); } }

    public IEnumerable<string> Codes => Messages.Select(m => m.Code);

    public void Report(Message message) { lock (messages) messages.Add(message); }
}
