namespace PipelineKit.Locking;

using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

/// <summary>
/// What the run lock's object says: who holds it (the caller's ARN, the host, the process), for which target, since
/// when, and until when the lease runs unless renewed. A released lock is kept as an object with <see cref="Released"/>
/// set, so every later write is conditional on its ETag and nobody needs s3:DeleteObject. <see cref="Run"/> is a random id
/// per lock: a run that reads back a record it wrote knows it as its own, even from the same process.
/// </summary>
public sealed record RunLockRecord(
    string Holder,
    string Host,
    int ProcessId,
    string Target,
    DateTimeOffset Since,
    DateTimeOffset LeaseExpires,
    bool Released = false,
    string? Machine = null,
    string? Run = null)
{
    /// <summary>How far past a fresh lease a recorded expiry may lie (clock skew between hosts); a later one was not
    /// written by a run of the kit, and is not honoured: it would block every run until someone broke it.</summary>
    public static readonly TimeSpan SkewAllowance = TimeSpan.FromMinutes(2);

    private static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
    };

    /// <summary>Held by someone whose lease has not run out at <paramref name="now"/>.</summary>
    /// <param name="lease">The lease a run takes: an expiry further ahead than that (and the skew allowance) is not a run's.</param>
    public bool IsHeldAt(DateTimeOffset now, TimeSpan lease) => !Released && LeaseExpires > now && LeaseExpires <= now + lease + SkewAllowance;

    /// <summary>"arn:... on host ci-42 (pid 311, BootstrapAll) since 13:58:01 UTC": who to ask, in one phrase.</summary>
    public string Describe() =>
        $"{Printable(Holder)} on host {Printable(Host)} (pid {ProcessId}, {Printable(Target)}) since {Time(Since)}";

    /// <summary>Text from the lock's object, which anyone who may write it wrote: no control characters (they could fake
    /// lines in a CI log), at most 200 characters.</summary>
    private static string Printable(string? text)
    {
        var clean = new string((text ?? "").Select(c => char.IsControl(c) ? '?' : c).ToArray());
        return clean.Length <= 200 ? clean : clean[..200] + "...";
    }

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
