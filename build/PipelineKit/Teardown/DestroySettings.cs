namespace PipelineKit.Teardown;

/// <param name="Confirmed">--yes: without it Destroy lists what it would delete and deletes nothing.</param>
/// <param name="KeepData">--keep-data: buckets and retained keys stay.</param>
/// <param name="KeyDeletionDays">--key-deletion-days: KMS's pending window, 7 to 30.</param>
/// <param name="BeforeBuckets">Done once the stacks are gone, before the buckets are emptied: the host lets go of its run
/// lock, whose object lives in the source bucket (a renewal while the bucket is emptied would leave it not empty).</param>
public sealed record DestroySettings(bool Confirmed, bool KeepData, int KeyDeletionDays, Func<Task>? BeforeBuckets = null)
{
    public const int DefaultKeyDeletionDays = 30;
    public const int MinKeyDeletionDays = 7;
    public const int MaxKeyDeletionDays = 30;
}

/// <summary>How a Destroy run ended.</summary>
public enum DestroyOutcome
{
    /// <summary>Everything the kit created is deleted, or pending deletion (keys), or kept (--keep-data).</summary>
    Done,
    /// <summary>Nothing of the kit was found; nothing was done.</summary>
    NothingLeft,
    /// <summary>Not confirmed with --yes: the plan was shown, nothing was touched.</summary>
    NotConfirmed,
    /// <summary>A stack with the kit's name is not the kit's: nothing was touched.</summary>
    Refused,
    /// <summary>A deletion failed; the summary says which and what to do. Re-running resumes.</summary>
    Failed,
}
