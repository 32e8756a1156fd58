namespace PipelineKit.Testing;

using System.Net;
using Amazon.Runtime;
using PipelineKit.Aws;

// The fake's state: one stack, one change set, and the work a stack has in progress.

internal sealed class FakeStack(string name, string id)
{
    public string Name { get; } = name;
    public string Id { get; } = id;
    public StackStatus Status { get; set; }

    /// <summary>The reason of the stack's latest status event ("User Initiated", "The following resource(s) failed to ...").</summary>
    public string? StatusReason { get; set; }
    public string Template { get; set; } = "";
    public IReadOnlyDictionary<string, string> Parameters { get; set; } = new Dictionary<string, string>();
    public IReadOnlyDictionary<string, string> Tags { get; set; } = new Dictionary<string, string>();
    public IReadOnlyDictionary<string, string> Outputs { get; set; } = new Dictionary<string, string>();
    public bool TerminationProtection { get; set; }
    public string? Token { get; set; }
    public string? RoleArn { get; set; }
    public PendingWork? Pending { get; set; }
    public Dictionary<string, FakeChangeSet> ChangeSets { get; } = new(StringComparer.Ordinal);
    public List<StackEvent> Events { get; } = [];
}

internal sealed class FakeChangeSet(string name, string id, string clientToken, ChangeSetType type, string template,
    IReadOnlyDictionary<string, string> parameters, IReadOnlyDictionary<string, string> tags, List<ResourceChange> changes, int pending)
{
    public string Name { get; } = name;
    public string Id { get; } = id;
    public string ClientToken { get; } = clientToken;
    public ChangeSetType Type { get; } = type;
    public string Template { get; } = template;
    public IReadOnlyDictionary<string, string> Parameters { get; } = parameters;
    public IReadOnlyDictionary<string, string> Tags { get; } = tags;
    public List<ResourceChange> Changes { get; } = changes;
    public int PendingDescribes { get; set; } = pending;
    public ChangeSetStatus Status { get; set; } = ChangeSetStatus.CreatePending;
    public string? Reason { get; set; }
    public string? ExecutionStatus { get; set; } = "UNAVAILABLE";
    public string? RoleArn { get; init; }
    public string? ExecutionToken { get; set; }
    public int DeletingReadsLeft { get; set; }
    public bool Deleting => Status == ChangeSetStatus.DeletePending || Status == ChangeSetStatus.DeleteInProgress;
}

internal sealed class PendingWork(FakeChangeSet? changeSet, int describes, Dictionary<string, string> failures, StackStatus? settlesTo = null)
{
    public StackStatus? SettlesTo { get; } = settlesTo;
    public FakeChangeSet? ChangeSet { get; } = changeSet;
    public int DescribesLeft { get; set; } = describes;
    public Dictionary<string, string> Failures { get; } = failures;

    /// <summary>Describes that still see the stack as it was before an execution started (AWS starts it asynchronously).</summary>
    public int StartsIn { get; set; }

    public bool Started { get; set; } = true;
}

internal static class FakeErrors
{
    public static AmazonServiceException Validation(string message) => Error("ValidationError", message, HttpStatusCode.BadRequest);

    public static AmazonServiceException Error(string code, string message, HttpStatusCode status) =>
        new(message, null, ErrorType.Sender, code, "fake-request", status);
}
