namespace PipelineKit.Testing;

using PipelineKit.Aws;
using PipelineKit.Deployment;

/// <summary>
/// The buckets, KMS keys and aliases, and IAM roles that exist outside any stack, across accounts and regions (bucket
/// names are global, as in S3), and which stack each was imported into. Read by the deployer as
/// <see cref="IExistingResources"/>; <see cref="FakeCloudFormation"/> imports from it (FakeCloudFormation.md, "Import").
/// </summary>
public sealed class FakeResources : IExistingResources
{
    private readonly object gate = new();
    private readonly Dictionary<string, (string Account, string? KeyArn)> buckets = new(StringComparer.Ordinal);
    private readonly Dictionary<string, (StackLocation At, ExistingKey Key)> keys = new(StringComparer.Ordinal);
    private readonly Dictionary<(StackLocation At, string Alias), string> aliases = [];
    private readonly Dictionary<(string Account, string Name), string> roles = [];
    private readonly Dictionary<string, string> owners = new(StringComparer.Ordinal);
    private readonly List<string> reads = [];

    /// <summary>Every read the deployer made, as "Operation name".</summary>
    public IReadOnlyList<string> Reads { get { lock (gate) return reads.ToArray(); } }

    public void AddBucket(string name, string account, string? keyArn = null) { lock (gate) buckets[name] = (account, keyArn); }

    /// <summary>Adds a key (state Enabled, PendingDeletion, Disabled, ...) and returns its ARN.</summary>
    public string AddKey(StackLocation at, string keyId, string state = "Enabled", string? alias = null, bool customerManaged = true)
    {
        ArgumentNullException.ThrowIfNull(at);
        var arn = $"arn:aws:kms:{at.Region}:{at.AccountId}:key/{keyId}";
        lock (gate)
        {
            keys[arn] = (at, new ExistingKey(keyId, arn, state, customerManaged));
            if (alias is not null) aliases[(at, alias)] = arn;
        }

        return arn;
    }

    public void AddRole(string account, string name, string trustPolicy = """{"Version":"2012-10-17","Statement":[]}""")
    {
        lock (gate) roles[(account, name)] = trustPolicy;
    }

    /// <summary>The stack id a resource was imported into ("AWS::S3::Bucket name", ...), or null.</summary>
    public string? OwnerOf(string resourceType, string identifier) { lock (gate) return owners.GetValueOrDefault($"{resourceType} {identifier}"); }

    public Task<ExistingBucket> BucketAsync(StackLocation at, string bucketName, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(at);
        lock (gate)
        {
            reads.Add($"GetBucketLocation {bucketName}");
            return Task.FromResult(!buckets.TryGetValue(bucketName, out var bucket) ? new ExistingBucket(BucketOwnership.Absent)
                : bucket.Account == at.AccountId ? new ExistingBucket(BucketOwnership.ThisAccount, bucket.KeyArn)
                : new ExistingBucket(BucketOwnership.OtherAccount));
        }
    }

    public Task<ExistingKey?> KeyAsync(StackLocation at, string keyIdOrAlias, CancellationToken ct)
    {
        lock (gate)
        {
            reads.Add($"DescribeKey {keyIdOrAlias}");
            return Task.FromResult(FindKey(at, keyIdOrAlias));
        }
    }

    public Task<string?> RoleTrustPolicyAsync(StackLocation at, string roleName, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(at);
        lock (gate)
        {
            reads.Add($"GetRole {roleName}");
            return Task.FromResult(roles.GetValueOrDefault((at.AccountId, roleName)));
        }
    }

    /// <summary>Why the resource cannot be imported into <paramref name="stackId"/> at <paramref name="at"/>, or null when it can.</summary>
    internal string? WhyNotImportable(StackLocation at, ResourceToImport resource, string stackId)
    {
        lock (gate)
        {
            var id = resource.ResourceIdentifier.Values.FirstOrDefault() ?? "";
            var exists = resource.ResourceType switch
            {
                "AWS::S3::Bucket" => buckets.TryGetValue(id, out var b) && b.Account == at.AccountId,
                "AWS::KMS::Key" => FindKey(at, id) is { CustomerManaged: true },
                "AWS::KMS::Alias" => aliases.ContainsKey((at, id)),
                "AWS::IAM::Role" => roles.ContainsKey((at.AccountId, id)),
                _ => false,
            };
            if (!exists) return $"Resource {resource.LogicalResourceId} ({resource.ResourceType} {id}) does not exist.";
            return owners.TryGetValue($"{resource.ResourceType} {id}", out var owner) && owner != stackId
                ? $"Resource {resource.LogicalResourceId} ({resource.ResourceType} {id}) already belongs to stack {owner}."
                : null;
        }
    }

    internal void Adopt(ResourceToImport resource, string stackId)
    {
        lock (gate) owners[$"{resource.ResourceType} {resource.ResourceIdentifier.Values.First()}"] = stackId;
    }

    private ExistingKey? FindKey(StackLocation at, string keyIdOrAlias)
    {
        if (keyIdOrAlias.StartsWith("alias/", StringComparison.Ordinal))
        {
            return aliases.TryGetValue((at, keyIdOrAlias), out var arn) ? keys[arn].Key : null;
        }

        return keys.Values.Where(k => k.At == at).Select(k => k.Key).FirstOrDefault(k => k.Arn == keyIdOrAlias || k.KeyId == keyIdOrAlias);
    }
}
