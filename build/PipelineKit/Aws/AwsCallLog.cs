namespace PipelineKit.Aws;

using Amazon.Runtime;

/// <summary>One AWS API call: service id ("CloudFormation", "STS", "S3"), operation ("CreateChangeSet") and region.</summary>
public sealed record AwsCall(string Service, string Operation, string Region)
{
    /// <summary>True unless the operation only reads: Describe*, Get*, List*, Head*, sts:AssumeRole /
    /// sts:GetCallerIdentity, which change nothing in the account, and the ones that only evaluate or compare
    /// (see <see cref="AwsCallLog.IsMutating"/>).</summary>
    public bool IsMutating => AwsCallLog.IsMutating(Service, Operation);

    public override string ToString() => $"{Service}:{Operation} ({Region})";
}

/// <summary>A call with what authorizes it: the credentials that signed it and the request's names (stack, bucket and key,
/// role ARN, change-set role, encryption header; see <see cref="RequestParameters"/>). The permission checks map it to the
/// IAM action and resource it needs. The credentials are never printed.</summary>
public sealed record TracedCall(AwsCall Call, AWSCredentials Credentials, IReadOnlyDictionary<string, string> Parameters);

/// <summary>How many AWS calls were made, how many of them mutating, and how many requests they took: a call that was
/// retried sent more than one. <see cref="ToString"/> is the figure the run's summary shows after "AWS calls: ".</summary>
public sealed record AwsCallCounts(int Calls, int Mutating, int Requests, int Retries)
{
    /// <summary>What happened between <paramref name="before"/> and this.</summary>
    public AwsCallCounts Since(AwsCallCounts before)
    {
        ArgumentNullException.ThrowIfNull(before);
        return new(Calls - before.Calls, Mutating - before.Mutating, Requests - before.Requests, Retries - before.Retries);
    }

    /// <summary>Calls the run lock made (Locking/RunLock), counted apart: they change no stack.</summary>
    public int LockCalls { get; init; }

    /// <summary>These counts with <paramref name="lockCalls"/> of the calls (<paramref name="lockWrites"/> of them writes) shown
    /// apart as the run lock's; requests and retries stay whole.</summary>
    public AwsCallCounts ApartFromLock(int lockCalls, int lockWrites) =>
        this with { Calls = Calls - lockCalls, Mutating = Mutating - lockWrites, LockCalls = LockCalls + lockCalls };

    /// <summary>"29 (0 mutating)"; with retries "77 (20 mutating, 42 retries: 119 requests)"; with the run lock's calls
    /// ", run lock: 2" after either.</summary>
    public override string ToString() => ToString(null);

    /// <param name="mutatingNote">What the mutating calls did, after their count: "14 mutating: change sets created and deleted".</param>
    public string ToString(string? mutatingNote) =>
        $"{Calls} ({Mutating} mutating{(mutatingNote is null ? "" : ": " + mutatingNote)}"
        + (Retries == 0 ? ")" : $", {Retries} retries: {Requests} requests)")
        + (LockCalls > 0 ? $", run lock: {LockCalls}" : "");
}

/// <summary>
/// Every AWS API call made through clients of <see cref="AwsClientFactory"/>, in order. One entry per
/// logical call: the SDK raises the request event the log listens to once per call, before its retry loop,
/// so retries of a throttled call are not counted again. Each attempt of a call (the request sent, the first and
/// every retry) is counted apart, by <see cref="RecordAttempt"/>. Thread-safe.
/// </summary>
public sealed class AwsCallLog
{
    private static readonly string[] ReadOnlyPrefixes = ["Describe", "Get", "List", "Head"];

    /// <summary>Evaluate or compare, and change no resource and no setting: iam:SimulatePrincipalPolicy evaluates policies;
    /// drift detection compares resources with the template and only records its result.</summary>
    private static readonly (string Service, string Operation)[] ReadOnlyOperations =
    [
        (AwsServiceIds.Iam, "SimulatePrincipalPolicy"),
        (AwsServiceIds.CloudFormation, "DetectStackDrift"),
        (AwsServiceIds.CloudFormation, "DetectStackResourceDrift"),
    ];

    private readonly object gate = new();
    private readonly List<AwsCall> calls = [];
    private readonly List<TracedCall> traced = [];
    private int requests;
    private int retries;

    public IReadOnlyList<AwsCall> Calls
    {
        get
        {
            lock (gate)
            {
                return calls.ToArray();
            }
        }
    }

    public IReadOnlyList<AwsCall> MutatingCalls => Calls.Where(c => c.IsMutating).ToArray();

    /// <summary>The calls of clients that recorded their credentials and parameters (all of <see cref="AwsClientFactory"/>'s), in order.</summary>
    public IReadOnlyList<TracedCall> Traced
    {
        get
        {
            lock (gate)
            {
                return traced.ToArray();
            }
        }
    }

    /// <summary>What the log holds now; <see cref="AwsCallCounts.Since"/> gives what a target did.</summary>
    public AwsCallCounts Counts
    {
        get
        {
            lock (gate)
            {
                return new AwsCallCounts(calls.Count, calls.Count(c => c.IsMutating), requests, retries);
            }
        }
    }

    /// <summary>A request was sent for <paramref name="call"/>: its first attempt, or a retry.</summary>
    public void RecordAttempt(AwsCall call, bool retry)
    {
        ArgumentNullException.ThrowIfNull(call);
        lock (gate)
        {
            requests++;
            if (retry) retries++;
        }
    }

    public void Record(string service, string operation, string region)
    {
        var call = new AwsCall(service, operation, region);
        lock (gate)
        {
            calls.Add(call);
        }
    }

    public void Record(string service, string operation, string region, AWSCredentials credentials, IReadOnlyDictionary<string, string> parameters)
    {
        var call = new AwsCall(service, operation, region);
        lock (gate)
        {
            calls.Add(call);
            traced.Add(new TracedCall(call, credentials, parameters));
        }
    }

    public void Reset()
    {
        lock (gate)
        {
            calls.Clear();
            traced.Clear();
            requests = 0;
            retries = 0;
        }
    }

    public static bool IsMutating(string service, string operation)
    {
        if (ReadOnlyPrefixes.Any(p => operation.StartsWith(p, StringComparison.Ordinal)))
        {
            return false;
        }

        if (ReadOnlyOperations.Any(o => string.Equals(o.Service, service, StringComparison.OrdinalIgnoreCase) && o.Operation == operation))
        {
            return false;
        }

        return !(string.Equals(service, AwsServiceIds.Sts, StringComparison.OrdinalIgnoreCase)
                 && operation is "AssumeRole" or "GetCallerIdentity");
    }
}
