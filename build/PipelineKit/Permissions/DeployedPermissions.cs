namespace PipelineKit.Permissions;

using System.Collections.Concurrent;
using PipelineKit.Naming;

/// <summary>Where a decision came from: the kit's own policies decided it, or neither the caller's nor the resource's
/// policies are the kit's (a user's administrator credentials on a stack without resource policy), so there is
/// nothing of the kit's to check.</summary>
public enum Ownership { Kit, Outside }

public sealed record CheckedRequest(AccessRequest Request, Ownership Ownership, AccessDecision Decision);

/// <summary>
/// Decides requests against the policies deployed (a <see cref="PolicySnapshot"/> read back through IAM, S3 and KMS):
/// the calling role's identity policies and boundary, and the resource's policy (bucket, key, or the trust of the role
/// assumed). Credentials whose policies are not in the snapshot (a user's own) stand for themselves as unrestricted, so
/// the resource policies still decide what the kit's buckets, keys and roles let them do.
/// </summary>
public sealed class DeployedPermissions(PolicySnapshot snapshot)
{
    /// <summary>The trust of a role the kit does not own (a CodeCommit source account's role): what it must allow is the
    /// user's to set up (README, "Sources"); only the caller's side is the kit's to check.</summary>
    private static readonly PolicyDocument ForeignTrust = PolicyDocument.Parse(
        "the trust of a role outside the kit (its owner grants it)",
        """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"*"},"Action":"sts:*"}]}""");

    private readonly ConcurrentDictionary<NamedPolicyDocument, PolicyDocument> parsed = new();

    public PolicySnapshot Snapshot => snapshot;

    public CheckedRequest Check(AccessRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var (principal, ownsPrincipal) = PrincipalPoliciesOf(request.Principal);
        var (resource, ownsResource) = ResourcePolicyOf(request);
        var decision = PolicyEvaluator.Evaluate(request, principal, resource);
        return new CheckedRequest(request, ownsPrincipal || ownsResource ? Ownership.Kit : Ownership.Outside, decision);
    }

    public bool IsKitRole(string roleArn) => snapshot.Roles.ContainsKey(roleArn);

    /// <summary>The policies of a role in the snapshot; identity policies first inline, then managed.</summary>
    public PrincipalPolicies PoliciesOf(RoleSnapshot role) => new(
        [.. role.InlinePolicies.Select(Parse), .. role.ManagedPolicies.Select(Parse)],
        role.PermissionsBoundary is { } boundary ? Parse(boundary) : null);

    private (PrincipalPolicies Policies, bool Owned) PrincipalPoliciesOf(AccessPrincipal principal)
    {
        if (principal.Kind == PrincipalKind.Service) return (PrincipalPolicies.None, false);
        return principal.RoleArn is { } roleArn && snapshot.Roles.TryGetValue(roleArn, out var role)
            ? (PoliciesOf(role), true)
            : (PrincipalPolicies.Unrestricted, false);
    }

    private (ResourcePolicy? Policy, bool Owned) ResourcePolicyOf(AccessRequest request)
    {
        var service = request.Action.Split(':', 2)[0].ToLowerInvariant();
        switch (service)
        {
            case "s3":
                var bucket = Partitions.BucketOf(request.Resource);
                return bucket is not null && snapshot.BucketPolicies.TryGetValue(bucket, out var bucketPolicy)
                    ? (new ResourcePolicy(ResourcePolicyKind.Bucket, Parse(bucketPolicy)), true)
                    : (null, false);
            case "kms":
                return snapshot.KeyPolicies.TryGetValue(request.Resource, out var keyPolicy)
                    ? (new ResourcePolicy(ResourcePolicyKind.KmsKey, Parse(keyPolicy)), true)
                    : (null, false);
            case "sns":
                return snapshot.TopicPolicies.TryGetValue(request.Resource, out var topicPolicy)
                    ? (new ResourcePolicy(ResourcePolicyKind.Other, Parse(topicPolicy)), true)
                    : (null, false);
            case "sts":
                return snapshot.Roles.TryGetValue(request.Resource, out var role)
                    ? (new ResourcePolicy(ResourcePolicyKind.RoleTrust, Parse(role.Trust)), true)
                    : (new ResourcePolicy(ResourcePolicyKind.RoleTrust, ForeignTrust), false);
            default:
                return (null, false);
        }
    }

    private PolicyDocument Parse(NamedPolicyDocument document) =>
        parsed.GetOrAdd(document, d => PolicyDocument.Parse(d.Name, d.Document));
}
