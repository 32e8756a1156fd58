namespace PipelineKit.Aws;

/// <summary>
/// The read-only IAM operations the kit uses to read back the roles and policies it deployed, and to ask IAM's policy
/// simulator about them (Verify), and nothing else.
/// One instance acts in one account. Implemented over AWSSDK.Core's runtime (<see cref="IdentityManagementClient"/>);
/// shaped like the official AWSSDK.IdentityManagement operations so that swapping that package in later is
/// mechanical. Policy documents come back as JSON text, already URL-decoded.
/// Errors are <see cref="Amazon.Runtime.AmazonServiceException"/> with the AWS error code.
/// </summary>
public interface IIdentityManagement
{
    /// <summary>GetRole; null when the role does not exist (NoSuchEntity).</summary>
    Task<RoleDescription?> GetRoleAsync(string roleName, CancellationToken ct = default);

    /// <summary>ListRolePolicies, every page: the names of the role's inline policies.</summary>
    Task<IReadOnlyList<string>> ListRolePolicyNamesAsync(string roleName, CancellationToken ct = default);

    /// <summary>GetRolePolicy: the document of one inline policy.</summary>
    Task<string> GetRolePolicyDocumentAsync(string roleName, string policyName, CancellationToken ct = default);

    /// <summary>ListAttachedRolePolicies, every page: the ARNs of the managed policies attached to the role.</summary>
    Task<IReadOnlyList<string>> ListAttachedRolePolicyArnsAsync(string roleName, CancellationToken ct = default);

    /// <summary>GetPolicy, then GetPolicyVersion of its default version: the document in force.</summary>
    Task<string> GetManagedPolicyDocumentAsync(string policyArn, CancellationToken ct = default);

    /// <summary>ListRoles, every page. AWS leaves the permissions boundary out of ListRoles (so
    /// <see cref="RoleDescription.PermissionsBoundaryArn"/> is null here); <see cref="GetRoleAsync"/> has it.</summary>
    Task<IReadOnlyList<RoleDescription>> ListRolesAsync(CancellationToken ct = default);

    /// <summary>SimulatePrincipalPolicy, every page: IAM's decision for each action on each resource under the principal's
    /// identity-based policies and permissions boundary (no resource policy is given, so this is the identity side alone).
    /// https://docs.aws.amazon.com/IAM/latest/APIReference/API_SimulatePrincipalPolicy.html</summary>
    Task<IReadOnlyList<SimulatedDecision>> SimulatePrincipalPolicyAsync(PolicySimulationRequest request, CancellationToken ct = default);
}

/// <summary>A role as IAM describes it. <paramref name="AssumeRolePolicyDocument"/> is the trust policy as JSON text.</summary>
public sealed record RoleDescription(string RoleName, string Arn, string AssumeRolePolicyDocument, string? PermissionsBoundaryArn);

/// <summary>What to simulate: the role or user (<paramref name="PolicySourceArn"/>), the actions, the resources and the
/// request context (condition keys with their values).</summary>
public sealed record PolicySimulationRequest(
    string PolicySourceArn,
    IReadOnlyList<string> ActionNames,
    IReadOnlyList<string> ResourceArns,
    IReadOnlyList<SimulationContextEntry> Context);

/// <param name="Type">IAM's ContextKeyType: string, stringList, boolean, ...</param>
public sealed record SimulationContextEntry(string Key, IReadOnlyList<string> Values, string Type);

/// <param name="Decision">allowed, explicitDeny or implicitDeny.</param>
public sealed record SimulatedDecision(string Action, string Resource, string Decision)
{
    public bool Allowed => Decision == "allowed";
}
