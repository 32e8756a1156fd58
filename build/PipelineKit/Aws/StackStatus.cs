namespace PipelineKit.Aws;

/// <summary>
/// A CloudFormation stack status, with the decisions the deployer takes on it.
/// Statuses: https://docs.aws.amazon.com/AWSCloudFormation/latest/APIReference/API_Stack.html
/// Unknown values are kept verbatim and classified conservatively (never updatable).
/// </summary>
public readonly record struct StackStatus(string Value)
{
    public static readonly StackStatus CreateInProgress = new("CREATE_IN_PROGRESS");
    public static readonly StackStatus CreateFailed = new("CREATE_FAILED");
    public static readonly StackStatus CreateComplete = new("CREATE_COMPLETE");
    public static readonly StackStatus RollbackInProgress = new("ROLLBACK_IN_PROGRESS");
    public static readonly StackStatus RollbackFailed = new("ROLLBACK_FAILED");
    public static readonly StackStatus RollbackComplete = new("ROLLBACK_COMPLETE");
    public static readonly StackStatus DeleteInProgress = new("DELETE_IN_PROGRESS");
    public static readonly StackStatus DeleteFailed = new("DELETE_FAILED");
    public static readonly StackStatus DeleteComplete = new("DELETE_COMPLETE");
    public static readonly StackStatus UpdateInProgress = new("UPDATE_IN_PROGRESS");
    public static readonly StackStatus UpdateCompleteCleanupInProgress = new("UPDATE_COMPLETE_CLEANUP_IN_PROGRESS");
    public static readonly StackStatus UpdateComplete = new("UPDATE_COMPLETE");
    public static readonly StackStatus UpdateFailed = new("UPDATE_FAILED");
    public static readonly StackStatus UpdateRollbackInProgress = new("UPDATE_ROLLBACK_IN_PROGRESS");
    public static readonly StackStatus UpdateRollbackFailed = new("UPDATE_ROLLBACK_FAILED");
    public static readonly StackStatus UpdateRollbackCompleteCleanupInProgress = new("UPDATE_ROLLBACK_COMPLETE_CLEANUP_IN_PROGRESS");
    public static readonly StackStatus UpdateRollbackComplete = new("UPDATE_ROLLBACK_COMPLETE");
    public static readonly StackStatus ReviewInProgress = new("REVIEW_IN_PROGRESS");
    public static readonly StackStatus ImportInProgress = new("IMPORT_IN_PROGRESS");
    public static readonly StackStatus ImportComplete = new("IMPORT_COMPLETE");
    public static readonly StackStatus ImportRollbackInProgress = new("IMPORT_ROLLBACK_IN_PROGRESS");
    public static readonly StackStatus ImportRollbackFailed = new("IMPORT_ROLLBACK_FAILED");
    public static readonly StackStatus ImportRollbackComplete = new("IMPORT_ROLLBACK_COMPLETE");

    /// <summary>Every status the API reference documents.</summary>
    public static IReadOnlyList<StackStatus> All { get; } =
    [
        CreateInProgress, CreateFailed, CreateComplete, RollbackInProgress, RollbackFailed, RollbackComplete,
        DeleteInProgress, DeleteFailed, DeleteComplete, UpdateInProgress, UpdateCompleteCleanupInProgress,
        UpdateComplete, UpdateFailed, UpdateRollbackInProgress, UpdateRollbackFailed,
        UpdateRollbackCompleteCleanupInProgress, UpdateRollbackComplete, ReviewInProgress, ImportInProgress,
        ImportComplete, ImportRollbackInProgress, ImportRollbackFailed, ImportRollbackComplete,
    ];

    /// <summary>CloudFormation is working on the stack; wait before touching it. REVIEW_IN_PROGRESS is not
    /// work in progress: it is a stack created by a change set that was never executed.</summary>
    public bool IsInProgress => Value.EndsWith("_IN_PROGRESS", StringComparison.Ordinal) && this != ReviewInProgress;

    /// <summary>The stack is settled and an UPDATE change set may be created on it.</summary>
    public bool CanBeUpdated =>
        this == CreateComplete || this == UpdateComplete || this == UpdateRollbackComplete ||
        this == ImportComplete || this == ImportRollbackComplete ||
        // UPDATE_FAILED only exists when rollback was disabled; AWS allows updating from it.
        this == UpdateFailed;

    /// <summary>The stack exists but never finished creating; it cannot be updated, only deleted.
    /// CloudFormation requires a delete before a stack of the same name can be created.</summary>
    public bool NeedsDeleteBeforeCreate => this == RollbackComplete || this == CreateFailed;

    /// <summary>Only a CREATE change set applies: the stack was made by a change set never executed.</summary>
    public bool NeedsCreateChangeSet => this == ReviewInProgress;

    /// <summary>A settled status the kit will not act on by itself; the user must intervene.</summary>
    public bool NeedsOperator =>
        this == UpdateRollbackFailed || this == RollbackFailed || this == DeleteFailed || this == ImportRollbackFailed;

    /// <summary>Terminal and successful for the operation that led to it.</summary>
    public bool IsSuccess =>
        this == CreateComplete || this == UpdateComplete || this == ImportComplete || this == DeleteComplete;

    /// <summary>Terminal and not what was asked for (a rollback or a failure).</summary>
    public bool IsTerminalFailure => !IsInProgress && !IsSuccess && this != ReviewInProgress;

    public override string ToString() => Value;
}

/// <summary>Change-set status: https://docs.aws.amazon.com/AWSCloudFormation/latest/APIReference/API_DescribeChangeSet.html</summary>
public readonly record struct ChangeSetStatus(string Value)
{
    public static readonly ChangeSetStatus CreatePending = new("CREATE_PENDING");
    public static readonly ChangeSetStatus CreateInProgress = new("CREATE_IN_PROGRESS");
    public static readonly ChangeSetStatus CreateComplete = new("CREATE_COMPLETE");
    public static readonly ChangeSetStatus DeletePending = new("DELETE_PENDING");
    public static readonly ChangeSetStatus DeleteInProgress = new("DELETE_IN_PROGRESS");
    public static readonly ChangeSetStatus DeleteComplete = new("DELETE_COMPLETE");
    public static readonly ChangeSetStatus DeleteFailed = new("DELETE_FAILED");
    public static readonly ChangeSetStatus Failed = new("FAILED");

    public bool IsPending => this == CreatePending || this == CreateInProgress;

    public override string ToString() => Value;
}
