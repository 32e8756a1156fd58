namespace PipelineKit.Aws;

using Amazon.Runtime;
using Amazon.Runtime.Internal;
using Amazon.Runtime.Internal.Transform;

/// <summary>One IAM Query-protocol call: the action and its form parameters. This is the request object the SDK
/// pipeline carries; <see cref="IdentityManagementQueryMarshaller"/> turns it into the HTTP request.</summary>
public sealed class IdentityManagementQueryRequest : AmazonWebServiceRequest
{
    public IdentityManagementQueryRequest(string action, IReadOnlyList<KeyValuePair<string, string>> parameters)
    {
        Action = action;
        Parameters = parameters;
    }

    public string Action { get; }

    public IReadOnlyList<KeyValuePair<string, string>> Parameters { get; }
}

/// <summary>
/// Builds the request of each operation the kit uses, with the parameter names of the API reference:
/// https://docs.aws.amazon.com/IAM/latest/APIReference/API_Operations.html
/// </summary>
public static class IdentityManagementQuery
{
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

/// <summary>Turns an <see cref="IdentityManagementQueryRequest"/> into the SDK's request: POST to "/",
/// form-encoded body with Action, Version and the parameters. Signing happens later in the pipeline.</summary>
public sealed class IdentityManagementQueryMarshaller : IMarshaller<IRequest, AmazonWebServiceRequest>
{
    public static IdentityManagementQueryMarshaller Instance { get; } = new();

    public IRequest Marshall(AmazonWebServiceRequest input)
    {
        var query = input as IdentityManagementQueryRequest
            ?? throw new ArgumentException($"Expected an {nameof(IdentityManagementQueryRequest)}.", nameof(input));
        var request = new DefaultRequest(query, IdentityManagementClientConfig.ServiceIdValue) { HttpMethod = "POST" };
        request.Parameters.Add("Action", query.Action);
        request.Parameters.Add("Version", IdentityManagementClientConfig.ApiVersion);
        foreach (var (name, value) in query.Parameters)
        {
            request.Parameters.Add(name, value);
        }

        return request;
    }
}
