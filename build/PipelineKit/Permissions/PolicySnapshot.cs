namespace PipelineKit.Permissions;

/// <summary>One policy document as deployed. <paramref name="Name"/> says where it comes from, for messages
/// ("role hello-pipeline-action inline policy pipeline-action", "managed policy arn:aws:iam::aws:policy/PowerUserAccess",
/// "bucket policy of B", "key policy of ARN"); <paramref name="Document"/> is its JSON text.</summary>
public sealed record NamedPolicyDocument(string Name, string Document);

/// <summary>A role as deployed: its trust policy, identity policies (inline and attached managed) and permissions boundary.</summary>
public sealed record RoleSnapshot(
    string Arn,
    string AccountId,
    NamedPolicyDocument Trust,
    IReadOnlyList<NamedPolicyDocument> InlinePolicies,
    IReadOnlyList<NamedPolicyDocument> ManagedPolicies,
    NamedPolicyDocument? PermissionsBoundary);

/// <summary>The policies read back from the accounts: roles by role ARN, bucket policies by bucket name (a bucket
/// without a policy is absent) and key policies by key ARN. Made by <see cref="DeployedPolicyReader"/>.</summary>
public sealed record PolicySnapshot(
    IReadOnlyDictionary<string, RoleSnapshot> Roles,
    IReadOnlyDictionary<string, NamedPolicyDocument> BucketPolicies,
    IReadOnlyDictionary<string, NamedPolicyDocument> KeyPolicies)
{
    /// <summary>SNS topic policies by topic ARN. The reader does not fill them (the kit has no SNS client yet); the
    /// integration tests add the notification topic's, read through the AWS CLI.</summary>
    public IReadOnlyDictionary<string, NamedPolicyDocument> TopicPolicies { get; init; } = new Dictionary<string, NamedPolicyDocument>();
}
