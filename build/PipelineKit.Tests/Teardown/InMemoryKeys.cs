namespace PipelineKit.Tests.Teardown;

using PipelineKit.Teardown;

/// <summary>KMS keys and aliases of one account and region in memory. A key is found by its ARN or its id; an alias
/// names one key; DeleteAlias of an unknown alias and ScheduleKeyDeletion of a key pending deletion already or with a
/// window outside 7 to 30 days are refused, as KMS refuses them (NotFoundException, KMSInvalidStateException,
/// ValidationException). A scheduled key is PendingDeletion until now + the window on the injected clock. Calls lists
/// the mutating calls with their arguments, in order.</summary>
internal sealed class InMemoryKeys(TimeProvider time) : IKeyStore
{
    private readonly object gate = new();
    private readonly List<(KeyInfo Info, string Description)> keys = [];
    private readonly Dictionary<string, string> aliases = new(StringComparer.Ordinal);
    private readonly List<string> calls = [];

    public IReadOnlyList<string> Calls { get { lock (gate) return calls.ToArray(); } }

    public void Add(string arn, string description, params string[] aliasNames)
    {
        lock (gate)
        {
            keys.Add((new KeyInfo(arn[(arn.LastIndexOf('/') + 1)..], arn, "Enabled", null), description));
            foreach (var alias in aliasNames) aliases[alias] = arn;
        }
    }

    public KeyInfo? Key(string arn) { lock (gate) return Find(arn)?.Info; }

    public IReadOnlyList<string> Aliases { get { lock (gate) return [.. aliases.Keys.Order(StringComparer.Ordinal)]; } }

    public Task<KeyInfo?> DescribeAsync(string keyId, CancellationToken ct) { lock (gate) return Task.FromResult(Find(keyId)?.Info); }

    public Task<KeyInfo?> FindByDescriptionAsync(string description, CancellationToken ct)
    {
        lock (gate)
        {
            return Task.FromResult<KeyInfo?>(keys.Where(k => k.Description == description && !k.Info.PendingDeletion)
                .Select(k => k.Info).FirstOrDefault());
        }
    }

    public Task<IReadOnlyList<string>> AliasesOfAsync(string keyId, CancellationToken ct)
    {
        lock (gate)
        {
            var arn = Find(keyId)?.Info.Arn;
            return Task.FromResult<IReadOnlyList<string>>([.. aliases.Where(a => a.Value == arn).Select(a => a.Key).Order(StringComparer.Ordinal)]);
        }
    }

    public Task DeleteAliasAsync(string aliasName, CancellationToken ct)
    {
        lock (gate)
        {
            calls.Add($"DeleteAlias {aliasName}");
            if (!aliases.Remove(aliasName)) throw new InvalidOperationException($"NotFoundException: Alias {aliasName} is not found.");
        }

        return Task.CompletedTask;
    }

    public Task<DateTimeOffset> ScheduleDeletionAsync(string keyId, int pendingWindowDays, CancellationToken ct)
    {
        lock (gate)
        {
            calls.Add($"ScheduleKeyDeletion {keyId} {pendingWindowDays}");
            if (pendingWindowDays is < 7 or > 30) throw new InvalidOperationException("ValidationException: PendingWindowInDays must be 7 to 30.");
            var index = keys.FindIndex(k => k.Info.Arn == keyId || k.Info.KeyId == keyId);
            if (index < 0) throw new InvalidOperationException($"NotFoundException: Key '{keyId}' does not exist");
            var (info, description) = keys[index];
            if (info.PendingDeletion) throw new InvalidOperationException($"KMSInvalidStateException: {info.Arn} is pending deletion.");
            var date = time.GetUtcNow().AddDays(pendingWindowDays);
            keys[index] = (info with { State = "PendingDeletion", DeletionDate = date }, description);
            return Task.FromResult(date);
        }
    }

    private (KeyInfo Info, string Description)? Find(string keyId) =>
        keys.FindIndex(k => k.Info.Arn == keyId || k.Info.KeyId == keyId) is var i and >= 0 ? keys[i] : null;
}
