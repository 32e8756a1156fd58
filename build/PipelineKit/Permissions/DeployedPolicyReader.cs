namespace PipelineKit.Permissions;

using System.Collections.Concurrent;
using Amazon.KeyManagementService;
using Amazon.KeyManagementService.Model;
using Amazon.S3;
using PipelineKit.Accounts;
using PipelineKit.Aws;
using PipelineKit.Configuration;

/// <summary>What to read back. Roles: every role of each of <paramref name="Accounts"/> whose name starts with
/// <paramref name="RoleNamePrefix"/> (ordinal), plus <paramref name="RoleArns"/> whatever their name or account
/// (one that does not exist is left out). Buckets: each bucket's policy, read in its account and region.
/// Keys: the <c>default</c> policy of each key, by key ARN (not alias).</summary>
public sealed record PolicySnapshotRequest(
    IReadOnlyList<string> Accounts,
    string RoleNamePrefix,
    IReadOnlyList<string> RoleArns,
    IReadOnlyList<PolicyBucket> Buckets,
    IReadOnlyList<string> KeyArns);

/// <summary>A bucket, the account that owns it and its region.</summary>
public sealed record PolicyBucket(string Account, string Region, string Name);

/// <summary>Where <see cref="DeployedPolicyReader"/> gets its clients: IAM by account id; S3 and KMS by account id and
/// region. Each must act in the account it is asked for.</summary>
public sealed record PolicySources(
    Func<string, CancellationToken, Task<IIdentityManagement>> Iam,
    Func<string, string, CancellationToken, Task<IAmazonS3>> S3,
    Func<string, string, CancellationToken, Task<IAmazonKeyManagementService>> Kms)
{
    /// <summary>The kit's verified account sessions, with clients from the kit's factory (so every call is logged).</summary>
    /// <param name="partition">The partition of the accounts (IAM has one endpoint per partition).</param>
    public static PolicySources From(IAccountSessions sessions, IAwsClientFactory clients, string partition = KnownRegions.Commercial)
    {
        ArgumentNullException.ThrowIfNull(sessions);
        ArgumentNullException.ThrowIfNull(clients);
        return new(
            async (account, ct) => clients.Iam((await sessions.ForAccountAsync(account, ct).ConfigureAwait(false)).Credentials, partition),
            async (account, region, ct) => clients.S3((await sessions.ForAccountAsync(account, ct).ConfigureAwait(false)).Credentials, region),
            async (account, region, ct) => clients.Kms((await sessions.ForAccountAsync(account, ct).ConfigureAwait(false)).Credentials, region));
    }
}

/// <summary>
/// Reads the policies actually deployed, through the AWS APIs, into a <see cref="PolicySnapshot"/> the kit's own
/// policy evaluator checks (the emulator does not evaluate IAM). Roles, buckets and keys are read in parallel, at most
/// <c>maxParallelRoles</c> roles at a time so IAM's request rate is not exceeded; a managed policy attached to several
/// roles of an account is read once. Service errors propagate, except the documented "absent" answers.
/// </summary>
public sealed class DeployedPolicyReader(PolicySources sources, int maxParallelRoles = 4)
{
    public async Task<PolicySnapshot> ReadAsync(PolicySnapshotRequest request, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var roles = new RoleReading(sources, maxParallelRoles).ReadAsync(request, ct);
        var buckets = ReadBucketPoliciesAsync(request.Buckets, ct);
        var keys = ReadKeyPoliciesAsync(request.KeyArns, ct);
        await Task.WhenAll(roles, buckets, keys).ConfigureAwait(false);
        return new PolicySnapshot(await roles.ConfigureAwait(false), await buckets.ConfigureAwait(false), await keys.ConfigureAwait(false));
    }

    private async Task<IReadOnlyDictionary<string, NamedPolicyDocument>> ReadBucketPoliciesAsync(
        IReadOnlyList<PolicyBucket> buckets, CancellationToken ct)
    {
        var distinct = buckets.Distinct().ToList();
        var read = await Task.WhenAll(distinct.Select(async bucket =>
        {
            var s3 = await sources.S3(bucket.Account, bucket.Region, ct).ConfigureAwait(false);
            return await s3.GetBucketPolicyOrNullAsync(bucket.Name, ct).ConfigureAwait(false) is { } policy
                ? new NamedPolicyDocument($"bucket policy of {bucket.Name}", policy)
                : null;
        })).ConfigureAwait(false);
        return Sorted(distinct.Zip(read).Where(p => p.Second is not null).Select(p => (p.First.Name, p.Second!)));
    }

    private async Task<IReadOnlyDictionary<string, NamedPolicyDocument>> ReadKeyPoliciesAsync(IReadOnlyList<string> keyArns, CancellationToken ct)
    {
        var read = await Task.WhenAll(keyArns.Distinct(StringComparer.Ordinal).Select(async arn =>
        {
            var (account, region) = KeyArnParts(arn);
            var kms = await sources.Kms(account, region, ct).ConfigureAwait(false);
            var response = await kms.GetKeyPolicyAsync(new GetKeyPolicyRequest { KeyId = arn, PolicyName = "default" }, ct).ConfigureAwait(false);
            return (arn, new NamedPolicyDocument($"key policy of {arn}", response.Policy));
        })).ConfigureAwait(false);
        return Sorted(read);
    }

    /// <summary>arn:PARTITION:kms:REGION:ACCOUNT:key/ID.</summary>
    private static (string Account, string Region) KeyArnParts(string arn)
    {
        var parts = arn.Split(':', 6);
        return parts.Length == 6 && parts[0] == "arn" && parts[2] == "kms" && parts[5].StartsWith("key/", StringComparison.Ordinal)
            ? (parts[4], parts[3])
            : throw new ArgumentException($"{arn} is not a KMS key ARN (arn:PARTITION:kms:REGION:ACCOUNT:key/ID).", nameof(arn));
    }

    internal static IReadOnlyDictionary<string, T> Sorted<T>(IEnumerable<(string Key, T Value)> pairs)
    {
        var sorted = new SortedDictionary<string, T>(StringComparer.Ordinal);
        foreach (var (key, value) in pairs)
        {
            sorted[key] = value;
        }

        return sorted;
    }

    /// <summary>One read of the roles: the IAM clients and the managed policy documents it has fetched, per account.</summary>
    private sealed class RoleReading(PolicySources sources, int maxParallelRoles)
    {
        private readonly ConcurrentDictionary<string, Lazy<Task<IIdentityManagement>>> clients = new(StringComparer.Ordinal);
        private readonly ConcurrentDictionary<(string Account, string Arn), Lazy<Task<string>>> managed = new();
        private readonly SemaphoreSlim gate = new(Math.Max(1, maxParallelRoles));

        public async Task<IReadOnlyDictionary<string, RoleSnapshot>> ReadAsync(PolicySnapshotRequest request, CancellationToken ct)
        {
            var listed = await Task.WhenAll(request.Accounts.Distinct(StringComparer.Ordinal).Select(async account =>
                (await (await IamAsync(account, ct).ConfigureAwait(false)).ListRolesAsync(ct).ConfigureAwait(false))
                    .Where(r => r.RoleName.StartsWith(request.RoleNamePrefix, StringComparison.Ordinal))
                    .Select(r => (Account: account, Name: r.RoleName)))).ConfigureAwait(false);
            var roles = listed.SelectMany(r => r).Concat(request.RoleArns.Select(RoleArnParts)).Distinct().ToList();
            var read = await Task.WhenAll(roles.Select(r => ReadRoleAsync(r.Account, r.Name, ct))).ConfigureAwait(false);
            return Sorted(read.OfType<RoleSnapshot>().Select(r => (r.Arn, r)));
        }

        private async Task<RoleSnapshot?> ReadRoleAsync(string account, string name, CancellationToken ct)
        {
            await gate.WaitAsync(ct).ConfigureAwait(false);
            try
            {
                var iam = await IamAsync(account, ct).ConfigureAwait(false);
                var role = await iam.GetRoleAsync(name, ct).ConfigureAwait(false);
                if (role is null)
                {
                    return null;
                }

                var inlineNames = await iam.ListRolePolicyNamesAsync(name, ct).ConfigureAwait(false);
                var inline = await Task.WhenAll(inlineNames.Select(async policy => new NamedPolicyDocument(
                    $"role {name} inline policy {policy}",
                    await iam.GetRolePolicyDocumentAsync(name, policy, ct).ConfigureAwait(false)))).ConfigureAwait(false);
                var attached = await iam.ListAttachedRolePolicyArnsAsync(name, ct).ConfigureAwait(false);
                var managedPolicies = await Task.WhenAll(attached.Select(async arn => new NamedPolicyDocument(
                    $"managed policy {arn}", await ManagedDocumentAsync(iam, account, arn, ct).ConfigureAwait(false)))).ConfigureAwait(false);
                var boundary = role.PermissionsBoundaryArn is { } boundaryArn
                    ? new NamedPolicyDocument(
                        $"permissions boundary {boundaryArn} of role {name}", await ManagedDocumentAsync(iam, account, boundaryArn, ct).ConfigureAwait(false))
                    : null;
                return new RoleSnapshot(
                    role.Arn, AccountOf(role.Arn, account), new NamedPolicyDocument($"trust policy of role {name}", role.AssumeRolePolicyDocument),
                    inline, managedPolicies, boundary);
            }
            finally
            {
                gate.Release();
            }
        }

        private Task<IIdentityManagement> IamAsync(string account, CancellationToken ct)
            => Cached(clients, account, () => sources.Iam(account, ct));

        private Task<string> ManagedDocumentAsync(IIdentityManagement iam, string account, string arn, CancellationToken ct)
            => Cached(managed, (account, arn), () => iam.GetManagedPolicyDocumentAsync(arn, ct));

        /// <summary>Started once per key, however many roles ask at the same time.</summary>
        private static Task<T> Cached<TKey, T>(ConcurrentDictionary<TKey, Lazy<Task<T>>> cache, TKey key, Func<Task<T>> read)
            where TKey : notnull
            => cache.GetOrAdd(key, _ => new Lazy<Task<T>>(read)).Value;

        /// <summary>arn:PARTITION:iam::ACCOUNT:role/[PATH/]NAME: the account and the role name (GetRole takes no path).</summary>
        private static (string Account, string Name) RoleArnParts(string arn)
        {
            var parts = arn.Split(':', 6);
            return parts.Length == 6 && parts[0] == "arn" && parts[2] == "iam" && parts[5].StartsWith("role/", StringComparison.Ordinal)
                ? (parts[4], parts[5][(parts[5].LastIndexOf('/') + 1)..])
                : throw new ArgumentException($"{arn} is not an IAM role ARN (arn:PARTITION:iam::ACCOUNT:role/NAME).", nameof(arn));
        }

        private static string AccountOf(string arn, string fallback)
            => arn.Split(':', 6) is { Length: 6 } parts && parts[4].Length > 0 ? parts[4] : fallback;
    }
}
