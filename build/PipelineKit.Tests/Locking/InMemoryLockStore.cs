namespace PipelineKit.Tests.Locking;

using PipelineKit.Locking;

/// <summary>The run lock's store as S3 keeps an object under conditional writes: a write names "absent" or the ETag it
/// read, and loses to any write in between. <see cref="Exists"/> false: the bucket does not exist yet.</summary>
public sealed class InMemoryLockStore : IRunLockStore
{
    private readonly object gate = new();
    private StoredLock? current;
    private int version;

    public bool Exists { get; set; } = true;

    public string Location => "s3://bucket/pipelinekit/run-lock.json";

    public List<string> Writes { get; } = [];

    /// <summary>How many of the next writes are applied but answered "someone wrote first": a connection dropped after S3
    /// applied the write, and the SDK's retry met that very write (412).</summary>
    public int AnswersToDrop { get; set; }

    public RunLockRecord? Record { get { lock (gate) return current is null ? null : RunLockRecord.Parse(current.Body); } }

    public Task<StoredLock?> ReadAsync(CancellationToken ct)
    {
        lock (gate)
        {
            Check();
            return Task.FromResult(current);
        }
    }

    public Task<string?> CreateAsync(string body, CancellationToken ct) => Write(body, expected: null);

    public Task<string?> ReplaceAsync(string body, string etag, CancellationToken ct) => Write(body, etag);

    /// <summary>Another process's write, unconditional (as a test arranges the world).</summary>
    public void Put(RunLockRecord record)
    {
        lock (gate)
        {
            current = new StoredLock(record.ToJson(), $"\"{++version}\"");
        }
    }

    private Task<string?> Write(string body, string? expected)
    {
        lock (gate)
        {
            Check();
            if (expected is null ? current is not null : current?.ETag != expected) return Task.FromResult<string?>(null);
            current = new StoredLock(body, $"\"{++version}\"");
            Writes.Add(body);
            if (AnswersToDrop > 0)
            {
                AnswersToDrop--;
                return Task.FromResult<string?>(null);
            }

            return Task.FromResult<string?>(current.ETag);
        }
    }

    private void Check()
    {
        if (!Exists) throw new RunLockUnavailableException("the bucket does not exist yet");
    }
}
