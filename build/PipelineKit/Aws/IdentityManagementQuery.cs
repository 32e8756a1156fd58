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

    public static IdentityManagementQueryRequest SimulatePrincipalPolicy(PolicySimulationRequest request, string? marker = null)
    {
        ArgumentNullException.ThrowIfNull(request);
        var p = new List<KeyValuePair<string, string>> { P("PolicySourceArn", request.PolicySourceArn) };
        p.AddRange(request.ActionNames.Select((action, i) => P(Member("ActionNames", i), action)));
        p.AddRange(request.ResourceArns.Select((resource, i) => P(Member("ResourceArns", i), resource)));
        for (var i = 0; i < request.Context.Count; i++)
        {
            var entry = request.Context[i];
            var prefix = Member("ContextEntries", i);
            p.Add(P(prefix + ".ContextKeyName", entry.Key));
            p.Add(P(prefix + ".ContextKeyType", entry.Type));
            p.AddRange(entry.Values.Select((value, j) => P(Member(prefix + ".ContextKeyValues", j), value)));
        }

        return new("SimulatePrincipalPolicy", WithMarker(p, marker));
    }

    /// <summary>Query lists: NAME.member.N, numbered from 1.</summary>
    private static string Member(string list, int index)
        => string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{list}.member.{index + 1}");

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
