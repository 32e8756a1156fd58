namespace PipelineKit.Deployment;

using Amazon.Runtime;
using PipelineKit.Aws;

/// <summary>
/// The stack changed between two of this run's calls: another run of the kit (or a console user) created the stack,
/// executed or deleted a change set, or started an operation on it. The deployment starts over from reading the stack
/// (<see cref="StackDeployer"/>), which then finds it settled as the other run left it; it is not a failure.
/// </summary>
internal sealed class ConcurrentChangeException(string what, AmazonServiceException cause) : Exception(what, cause)
{
    public AmazonServiceException Cause => cause;
}

/// <summary>Which AWS errors of the change-set flow mean "the stack changed meanwhile" rather than "the request is wrong".</summary>
internal static class ConcurrentChange
{
    /// <summary>How often one deployment starts over before it reports the last such error as it is.</summary>
    public const int MaxAttempts = 3;

    /// <summary>CreateChangeSet refused because the stack is no longer what this run read: a CREATE one because the stack
    /// now exists (AWS: ValidationError "Stack [x] already exists and cannot be created again with the changeSet [y]",
    /// or AlreadyExistsException); an UPDATE one because the stack is gone or an operation now runs on it
    /// ("Stack:arn is in UPDATE_IN_PROGRESS state and can not be updated.").</summary>
    public static bool RefusedCreate(AmazonServiceException e, ChangeSetType type) => type == ChangeSetType.Create
        ? e.ErrorCode == "AlreadyExistsException" || e.ErrorCode == "ValidationError" && Says(e.Message, "already exists")
        : e.ErrorCode == "ValidationError" && (Says(e.Message, "does not exist") || Says(e.Message, "_IN_PROGRESS state"));

    /// <summary>The change set was executed or removed by someone else: ExecuteChangeSet answers InvalidChangeSetStatus
    /// (executed already, or obsolete) or ChangeSetNotFound (AWS deletes a stack's other change sets on execution).</summary>
    public static bool ChangeSetTaken(AmazonServiceException e) => e.ErrorCode is "InvalidChangeSetStatus" or "ChangeSetNotFound";

    public static ConcurrentChangeException Because(string what, AmazonServiceException e) => new($"{what} ({e.ErrorCode})", e);

    private static bool Says(string? message, string text) => message?.Contains(text, StringComparison.OrdinalIgnoreCase) == true;
}
