namespace PipelineKit.Aws;

using Amazon.Runtime;
using Amazon.Runtime.Internal;
using Amazon.Runtime.Internal.Transform;

/// <summary>One IAM call (Query protocol, API version 2010-05-08).</summary>
public sealed class IdentityManagementQueryRequest(string action, IReadOnlyList<KeyValuePair<string, string>> parameters)
    : QueryRequest(action, parameters);

/// <summary>
/// Builds the request of each operation the kit uses, with the parameter names of the API reference:
/// https://docs.aws.amazon.com/IAM/latest/APIReference/API_Operations.html
/// </summary>
public static class IdentityManagementQuery
{
    public static QueryMarshaller Marshaller { get; } = new(IdentityManagementClientConfig.ServiceIdValue, IdentityManagementClientConfig.ApiVersion);

    public static IdentityManagementQueryRequest GetRole(string roleName) => new("GetRole", [P("RoleName", roleName)]);

    public static IdentityManagementQueryRequest ListRolePolicies(string roleName, string? marker = null)
        => new("ListRolePolicies", WithMarker([P("RoleName", roleName)], marker));

    public static IdentityManagementQueryRequest GetRolePolicy(string roleName, string policyName)
        => new("GetRolePolicy", [P("RoleName", roleName), P("PolicyName", policyName)]);

    public static IdentityManagementQueryRequest ListAttachedRolePolicies(string roleName, string? marker = null)
        => new("ListAttachedRolePolicies", WithMarker([P("RoleName", roleName)], marker));

    public static IdentityManagementQueryRequest GetPolicy(string policyArn) => new("GetPolicy", [P("PolicyArn", policyArn)]);

    public static IdentityManagementQueryRequest GetPolicyVersion(string policyArn, string versionId)
        => new("GetPolicyVersion", [P("PolicyArn", policyArn), P("VersionId", versionId)]);

    public static IdentityManagementQueryRequest ListRoles(string? marker = null) => new("ListRoles", WithMarker([], marker));

    private static List<KeyValuePair<string, string>> WithMarker(List<KeyValuePair<string, string>> p, string? marker)
    {
        if (!string.IsNullOrEmpty(marker))
        {
            p.Add(P("Marker", marker));
        }

        return p;
    }

    private static KeyValuePair<string, string> P(string name, string value) => new(name, value);
}
