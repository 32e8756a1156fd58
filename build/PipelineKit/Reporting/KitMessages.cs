namespace PipelineKit.Reporting;

using PipelineKit.Messages;

/// <summary>A host's channel: reports every message to each sink attached (the console view from the start, the log
/// file once the run has one). Thread-safe.</summary>
public sealed class KitMessages(params IKitMessages[] sinks) : IKitMessages
{
    private readonly Lock gate = new();
    private IKitMessages[] sinks = sinks;

    public void Report(Message message)
    {
        foreach (var sink in Volatile.Read(ref sinks)) sink.Report(message);
    }

    /// <summary>Adds a sink; disposing the result removes it (before the sink's own resources go, e.g. the log file).</summary>
    public IDisposable Attach(IKitMessages sink)
    {
        ArgumentNullException.ThrowIfNull(sink);
        lock (gate) sinks = [.. sinks, sink];
        return new Detach(this, sink);
    }

    private sealed class Detach(KitMessages channel, IKitMessages sink) : IDisposable
    {
        public void Dispose()
        {
            lock (channel.gate) channel.sinks = [.. channel.sinks.Where(s => !ReferenceEquals(s, sink))];
        }
    }
}
