namespace PipelineKit.Locking;

/// <summary>The run lock's object as it is stored: its text and the ETag a conditional write names.</summary>
public sealed record StoredLock(string Body, string ETag);

/// <summary>
/// Where the run lock lives, shaped like the conditional writes it needs (S3: PutObject with If-None-Match "*" or
/// If-Match ETAG, https://docs.aws.amazon.com/AmazonS3/latest/userguide/conditional-writes.html). Every write either
/// happens whole or reports that someone else wrote first: the store never overwrites blindly.
/// </summary>
public interface IRunLockStore
{
    /// <summary>Where the lock is, for messages: s3://bucket/key.</summary>
    string Location { get; }

    /// <summary>The object, or null when there is none. Throws <see cref="RunLockUnavailableException"/> when the place
    /// for it does not exist yet (the source bucket before the first bootstrap).</summary>
    Task<StoredLock?> ReadAsync(CancellationToken ct);

    /// <summary>Writes the object only if there is none; its new ETag, or null when one exists (someone was first).</summary>
    Task<string?> CreateAsync(string body, CancellationToken ct);

    /// <summary>Writes the object only if its ETag is still <paramref name="etag"/>; the new ETag, or null when it changed
    /// or is gone (someone else wrote or broke it).</summary>
    Task<string?> ReplaceAsync(string body, string etag, CancellationToken ct);
}

/// <summary>The lock's place does not exist (yet): the source bucket, before the primary stack made it.</summary>
public sealed class RunLockUnavailableException(string message, Exception? inner = null) : Exception(message, inner);
