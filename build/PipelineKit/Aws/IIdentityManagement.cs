namespace PipelineKit.Aws;

/// <summary>
/// The read-only IAM operations the kit uses to read back the roles and policies it deployed, and nothing else.
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
}

/// <summary>A role as IAM describes it. <paramref name="AssumeRolePolicyDocument"/> is the trust policy as JSON text.</summary>
public sealed record RoleDescription(string RoleName, string Arn, string AssumeRolePolicyDocument, string? PermissionsBoundaryArn);
