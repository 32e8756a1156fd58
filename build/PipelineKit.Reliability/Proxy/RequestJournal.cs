namespace PipelineKit.Reliability.Proxy;

using System.Text.RegularExpressions;

/// <summary>One request the proxy saw: in which phase of a scenario, what it injected, and whether the emulator applied
/// it (forwarded and answered 2xx, whether or not the answer reached the client).</summary>
public sealed record JournalEntry(int Sequence, string Phase, AwsRequest Request, string Account, FaultKind Fault, int Status, bool Applied);

/// <summary>A mutation the emulator applied more than once in one phase.</summary>
public sealed record DuplicateMutation(string Phase, string Description, int ExtraApplications);

/// <summary>
/// Every request the proxy forwarded or answered, in order, by phase. Knows each access key's account (the build
/// account's keys act in 123456789012; a target account's come from the sts:AssumeRole answer that made them), so two
/// requests for the same stack name in two accounts are told apart. Thread-safe.
/// </summary>
public sealed partial class RequestJournal
{
    public const string BuildAccount = "123456789012";

    private readonly object gate = new();
    private readonly List<JournalEntry> entries = [];
    private readonly Dictionary<string, string> accounts = new(StringComparer.Ordinal);

    /// <summary>The label given to requests from now on (e.g. "faulty", "recovery", "check").</summary>
    public string Phase { get; set; } = "setup";

    public IReadOnlyList<JournalEntry> Entries
    {
        get
        {
            lock (gate) return entries.ToArray();
        }
    }

    public IReadOnlyList<JournalEntry> InPhase(string phase) => Entries.Where(e => e.Phase == phase).ToArray();

    public JournalEntry Record(AwsRequest request, FaultKind fault, int status)
    {
        ArgumentNullException.ThrowIfNull(request);
        lock (gate)
        {
            var entry = new JournalEntry(entries.Count + 1, Phase, request, AccountOf(request.AccessKey), fault, status,
                status is >= 200 and < 300 && fault is not (FaultKind.Throttle or FaultKind.ServerError or FaultKind.Unavailable or FaultKind.ResetBeforeForward));
            entries.Add(entry);
            return entry;
        }
    }

    /// <summary>Learns the account of the keys an sts:AssumeRole answer hands out.</summary>
    public void LearnCredentials(AwsRequest request, string responseBody)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.Operation != "AssumeRole" || request.RoleArn is null) return;
        var account = RoleAccount().Match(request.RoleArn);
        var key = AccessKeyId().Match(responseBody ?? "");
        if (!account.Success || !key.Success) return;
        lock (gate) accounts[key.Groups[1].Value] = account.Groups[1].Value;
    }

    private string AccountOf(string? accessKey) =>
        accessKey is null ? "?" : accounts.TryGetValue(accessKey, out var account) ? account : BuildAccount;

    /// <summary>The mutating requests the emulator applied in a phase, apart from the run lock's writes.</summary>
    public int MutatingApplied(string phase) => InPhase(phase).Count(e => e.Applied && e.Request.IsMutating && !e.Request.IsRunLock);

    /// <summary>
    /// Mutations applied twice in a phase: more than one change set executed on one stack (account, region, name) apart
    /// from the IMPORT that brings a lost stack's resources back, which deploys the same state twice; and the same
    /// mutating call without a client token (the same body) applied again. A call repeated under the same client token
    /// is one call to CloudFormation, which answers the repeat as the first; a change set created and removed
    /// unexecuted changes nothing; UpdateTerminationProtection sets a value and DeleteChangeSet removes one change set (two
    /// runs removing the same stale one at once), so repeating either changes nothing more.
    /// </summary>
    public IReadOnlyList<DuplicateMutation> Duplicates(string phase)
    {
        var applied = InPhase(phase).Where(e => e.Applied && e.Request.IsMutating).ToArray();
        var imports = applied.Where(e => e.Request is { Operation: "CreateChangeSet", ChangeSetType: "IMPORT" })
            .Select(e => e.Request.ChangeSetName).ToHashSet(StringComparer.Ordinal);
        var duplicates = new List<DuplicateMutation>();
        foreach (var stack in applied.Where(e => e.Request.Operation == "ExecuteChangeSet" && !imports.Contains(e.Request.ChangeSetName))
                     .GroupBy(e => (e.Account, e.Request.Region, e.Request.StackName))
                     .Select(g => (g.Key, Executed: g.Select(e => e.Request.ChangeSetName).Distinct(StringComparer.Ordinal).Count()))
                     .Where(g => g.Executed > 1))
        {
            duplicates.Add(new DuplicateMutation(phase,
                $"{stack.Executed} change sets executed on {stack.Key.StackName} ({stack.Key.Account}, {stack.Key.Region})", stack.Executed - 1));
        }

        foreach (var same in applied.Where(e => e.Request.ClientToken is null && e.Request.Protocol != AwsProtocol.RestXml &&
                                                e.Request.Operation is not ("CreateChangeSet" or "ExecuteChangeSet" or "UpdateTerminationProtection" or "DeleteChangeSet"))
                     .GroupBy(e => (e.Account, e.Request.Region, e.Request.Service, e.Request.Operation, e.Request.BodyHash))
                     .Where(g => g.Count() > 1))
        {
            duplicates.Add(new DuplicateMutation(phase, $"{same.First().Request} applied {same.Count()} times (the same request)",
                same.Count() - 1));
        }

        return duplicates;
    }

    [GeneratedRegex(@"^arn:aws[\w-]*:iam::(\d{12}):")]
    private static partial Regex RoleAccount();

    [GeneratedRegex(@"<AccessKeyId>([^<]+)</AccessKeyId>")]
    private static partial Regex AccessKeyId();
}
