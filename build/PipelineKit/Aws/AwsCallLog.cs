namespace PipelineKit.Aws;

/// <summary>One AWS API call: service id ("CloudFormation", "STS", "S3"), operation ("CreateChangeSet") and region.</summary>
public sealed record AwsCall(string Service, string Operation, string Region)
{
    /// <summary>True unless the operation only reads: Describe*, Get*, List*, Head*, and sts:AssumeRole /
    /// sts:GetCallerIdentity, which change nothing in the account.</summary>
    public bool IsMutating => AwsCallLog.IsMutating(Service, Operation);

    public override string ToString() => $"{Service}:{Operation} ({Region})";
}

/// <summary>
/// Every AWS API call made through clients of <see cref="AwsClientFactory"/>, in order. One entry per
/// logical call: the SDK raises the request event the log listens to once per call, before its retry loop,
/// so retries of a throttled call are not counted again. Thread-safe.
/// </summary>
public sealed class AwsCallLog
{
    private static readonly string[] ReadOnlyPrefixes = ["Describe", "Get", "List", "Head"];

    private readonly object gate = new();
    private readonly List<AwsCall> calls = [];

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

    public void Record(string service, string operation, string region)
    {
        var call = new AwsCall(service, operation, region);
        lock (gate)
        {
            calls.Add(call);
        }
    }

    public void Reset()
    {
        lock (gate)
        {
            calls.Clear();
        }
    }

    public static bool IsMutating(string service, string operation)
    {
        if (ReadOnlyPrefixes.Any(p => operation.StartsWith(p, StringComparison.Ordinal)))
        {
            return false;
        }

        return !(string.Equals(service, AwsServiceIds.Sts, StringComparison.OrdinalIgnoreCase)
                 && operation is "AssumeRole" or "GetCallerIdentity");
    }
}
