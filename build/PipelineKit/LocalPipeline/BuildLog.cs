namespace PipelineKit.LocalPipeline;

/// <summary>
/// A build's output: each line goes to the action's log as it comes, and the last <see cref="Kept"/> lines are kept for
/// the failure message. Thread-safe: a command's stdout and stderr arrive on two threads.
/// </summary>
public sealed class BuildLog(Action<string> sink)
{
    public const int Kept = 15;

    private readonly Queue<string> last = new();
    private readonly Lock gate = new();

    public void Line(string line)
    {
        lock (gate)
        {
            sink(line);
            last.Enqueue(line);
            if (last.Count > Kept) last.Dequeue();
        }
    }

    /// <summary>The last lines written, oldest first.</summary>
    public IReadOnlyList<string> LastLines()
    {
        lock (gate) return last.ToArray();
    }
}
