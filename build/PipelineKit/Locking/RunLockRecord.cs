namespace PipelineKit.Locking;

using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

/// <summary>
/// What the run lock's object says: who holds it (the caller's ARN, the host, the process), for which target, since
/// when, and until when the lease runs unless renewed. A released lock is kept as an object with <see cref="Released"/>
/// set, so every later write is conditional on its ETag and nobody needs s3:DeleteObject.
/// </summary>
public sealed record RunLockRecord(
    string Holder,
    string Host,
    int ProcessId,
    string Target,
    DateTimeOffset Since,
    DateTimeOffset LeaseExpires,
    bool Released = false)
{
    private static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
    };

    /// <summary>Held by someone whose lease has not run out at <paramref name="now"/>.</summary>
    public bool IsHeldAt(DateTimeOffset now) => !Released && LeaseExpires > now;

    /// <summary>"arn:... on host ci-42 (pid 311, BootstrapAll) since 13:58:01 UTC": who to ask, in one phrase.</summary>
    public string Describe() =>
        $"{Holder} on host {Host} (pid {ProcessId}, {Target}) since {Time(Since)}";

    public static string Time(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss 'UTC'", CultureInfo.InvariantCulture);

    public string ToJson() => JsonSerializer.Serialize(this, Json);

    /// <summary>The record an object holds; null when it is not one (written by something else): treated as free to take over.</summary>
    public static RunLockRecord? Parse(string json)
    {
        try
        {
            return JsonSerializer.Deserialize<RunLockRecord>(json, Json);
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
