namespace PipelineKit.Messages;

/// <summary>
/// The one channel every line the kit shows a user goes through, whichever part says it (the model: the CDK toolkit's
/// IoHost). The console view, the log file and tests are its sinks. Deployment progress has its own, finer channel
/// (<c>IDeploymentObserver</c>); this one carries everything else. Implementations are thread-safe: stacks deploy in
/// parallel.
/// </summary>
public interface IKitMessages
{
    void Report(Message message);
}

public static class KitMessagesExtensions
{
    /// <summary>Reports <paramref name="text"/> as a message of <paramref name="kind"/>.</summary>
    public static void Report(this IKitMessages messages, MessageKind kind, string text)
    {
        ArgumentNullException.ThrowIfNull(messages);
        messages.Report(new Message(kind, text));
    }
}
