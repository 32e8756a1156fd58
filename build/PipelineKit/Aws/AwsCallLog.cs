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

/// <summary>
/// Every AWS API call made through clients of <see cref="AwsClientFactory"/>, in order. One entry per
/// logical call: the SDK raises the request event the log listens to once per call, before its retry loop,
/// so retries of a throttled call are not counted again. Thread-safe.
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
