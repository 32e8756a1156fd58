namespace PipelineKit.Reliability.Proxy;

using System.Security.Cryptography;
using System.Text;

/// <summary>What the proxy does to a request instead of, or besides, forwarding it.</summary>
public enum FaultKind
{
    /// <summary>Forward unchanged.</summary>
    None,
    /// <summary>Answer the service's throttling error in its wire format; the emulator never sees the request.</summary>
    Throttle,
    /// <summary>Answer HTTP 500 with an HTML body, as a load balancer in front of the service would.</summary>
    ServerError,
    /// <summary>Answer HTTP 503 with an HTML body.</summary>
    Unavailable,
    /// <summary>Close the connection without forwarding: the call was never applied.</summary>
    ResetBeforeForward,
    /// <summary>Forward, let the emulator apply the call, then close the connection instead of answering.</summary>
    ResetAfterApply,
    /// <summary>Forward after a delay.</summary>
    Latency,
}

/// <summary>A fault for the requests a rule matches: by operation (Query <c>Action</c>, JSON target's operation, or
/// S3 <c>METHOD /path</c> prefix), optionally by stack name, skipping the first <paramref name="Skip"/> matches and
/// applying to the next <paramref name="Times"/> (0: every one after them).</summary>
public sealed record FaultRule(string Operation, FaultKind Kind, string? StackName = null, int Skip = 0, int Times = 1, bool RunLock = false)
{
    public bool Matches(AwsRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var operation = request.Protocol == AwsProtocol.RestXml
            ? request.Operation.StartsWith(Operation, StringComparison.Ordinal)
            : string.Equals(request.Operation, Operation, StringComparison.Ordinal);
        return operation && (StackName is null || string.Equals(request.StackName, StackName, StringComparison.Ordinal))
            && (!RunLock || request.IsRunLock);
    }

    public override string ToString() =>
        $"{Kind} on {(Skip > 0 ? $"match {Skip + 1}{(Times == 1 ? "" : "+")} of " : Times == 1 ? "first " : "")}{Operation}{(StackName is null ? "" : $" ({StackName})")}{(RunLock ? " (run lock)" : "")}";
}

/// <summary>Faults by rate: each request draws once, deterministically from the seed, its operation and how many times
/// that operation was seen, so the same run meets the same faults.</summary>
public sealed record FaultRates(
    double Throttle = 0,
    double ServerError = 0,
    double ResetBeforeForward = 0,
    double ResetAfterApply = 0,
    TimeSpan Latency = default,
    int Seed = 1)
{
    public static FaultRates None { get; } = new();

    public FaultKind Draw(AwsRequest request, int occurrence)
    {
        ArgumentNullException.ThrowIfNull(request);
        var x = Uniform($"{Seed}|{request.Service}|{request.Operation}|{request.StackName}|{occurrence}");
        if ((x -= Throttle) < 0) return FaultKind.Throttle;
        if ((x -= ServerError) < 0) return occurrence % 2 == 0 ? FaultKind.ServerError : FaultKind.Unavailable;
        if ((x -= ResetBeforeForward) < 0) return FaultKind.ResetBeforeForward;
        if ((x -= ResetAfterApply) < 0) return FaultKind.ResetAfterApply;
        return Latency > TimeSpan.Zero ? FaultKind.Latency : FaultKind.None;
    }

    public override string ToString()
    {
        var parts = new List<string>();
        if (Throttle > 0) parts.Add($"throttling {Throttle:P0}");
        if (ServerError > 0) parts.Add($"5xx {ServerError:P0}");
        if (ResetBeforeForward > 0) parts.Add($"reset before {ResetBeforeForward:P0}");
        if (ResetAfterApply > 0) parts.Add($"reset after apply {ResetAfterApply:P0}");
        if (Latency > TimeSpan.Zero) parts.Add($"latency {Latency.TotalMilliseconds:0} ms");
        return parts.Count == 0 ? "none" : string.Join(", ", parts);
    }

    private static double Uniform(string seed) =>
        BitConverter.ToUInt64(SHA256.HashData(Encoding.UTF8.GetBytes(seed)), 0) / (double)ulong.MaxValue;
}

/// <summary>The faults a proxy injects: rules first (each counts its own matches), then rates. Thread-safe.</summary>
public sealed class FaultPlan
{
    private readonly object gate = new();
    private readonly List<(FaultRule Rule, int Seen)> rules = [];
    private readonly Dictionary<string, int> occurrences = new(StringComparer.Ordinal);

    public FaultRates Rates { get; set; } = FaultRates.None;

    public void Add(FaultRule rule)
    {
        lock (gate) rules.Add((rule, 0));
    }

    /// <summary>No fault from here on (the recovery runs).</summary>
    public void Clear()
    {
        lock (gate)
        {
            rules.Clear();
            Rates = FaultRates.None;
        }
    }

    public FaultKind Decide(AwsRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        lock (gate)
        {
            for (var i = 0; i < rules.Count; i++)
            {
                var (rule, seen) = rules[i];
                if (!rule.Matches(request)) continue;
                rules[i] = (rule, seen + 1);
                if (seen >= rule.Skip && (rule.Times == 0 || seen < rule.Skip + rule.Times)) return rule.Kind;
            }

            var key = $"{request.Service}|{request.Operation}|{request.StackName}";
            var occurrence = occurrences.GetValueOrDefault(key);
            occurrences[key] = occurrence + 1;
            return Rates.Draw(request, occurrence);
        }
    }
}
