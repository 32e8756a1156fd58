namespace PipelineKit.Aws;

using System.Net;
using System.Xml.Linq;
using Amazon.Runtime;
using Amazon.Runtime.Internal;

/// <summary>Reads any IAM XML response (namespace https://iam.amazonaws.com/doc/2010-05-08/) and maps the
/// ErrorResponse of a failed call to <see cref="AmazonIdentityManagementServiceException"/>.</summary>
public sealed class IdentityManagementResponseUnmarshaller() : QueryResponseUnmarshaller("IAM")
{
    public static IdentityManagementResponseUnmarshaller Instance { get; } = new();

    protected override AmazonServiceException ServiceException(string message, Exception innerException, ErrorResponse error, HttpStatusCode statusCode)
        => new AmazonIdentityManagementServiceException(message, innerException, error.Type, error.Code, error.RequestId, statusCode);
}

/// <summary>Maps the documented result shapes to the kit's records:
/// https://docs.aws.amazon.com/IAM/latest/APIReference/API_Types.html</summary>
public static class IdentityManagementResponses
{
    /// <summary>GetRoleResult/Role.</summary>
    public static RoleDescription Role(XElement result)
        => ToRole(result.Child("Role") ?? throw new FormatException("IAM GetRole response has no Role."));

    /// <summary>One page of ListRolesResult/Roles.</summary>
    public static IamPage<RoleDescription> Roles(XElement result)
        => new(result.Child("Roles")?.Members().Select(ToRole).ToList() ?? [], NextMarker(result));

    /// <summary>One page of ListRolePoliciesResult/PolicyNames.</summary>
    public static IamPage<string> PolicyNames(XElement result)
        => new(result.Child("PolicyNames")?.Members().Select(m => m.Value).ToList() ?? [], NextMarker(result));

    /// <summary>One page of ListAttachedRolePoliciesResult/AttachedPolicies: their ARNs.</summary>
    public static IamPage<string> AttachedPolicyArns(XElement result)
        => new(result.Child("AttachedPolicies")?.Members().Select(m => m.Required("PolicyArn")).ToList() ?? [], NextMarker(result));

    /// <summary>GetRolePolicyResult/PolicyDocument, decoded.</summary>
    public static string RolePolicyDocument(XElement result) => PolicyDocumentText.Decode(result.Required("PolicyDocument"));

    /// <summary>GetPolicyResult/Policy/DefaultVersionId.</summary>
    public static string DefaultVersionId(XElement result)
        => (result.Child("Policy") ?? throw new FormatException("IAM GetPolicy response has no Policy.")).Required("DefaultVersionId");

    /// <summary>GetPolicyVersionResult/PolicyVersion/Document, decoded.</summary>
    public static string PolicyVersionDocument(XElement result)
        => PolicyDocumentText.Decode(
            (result.Child("PolicyVersion") ?? throw new FormatException("IAM GetPolicyVersion response has no PolicyVersion.")).Required("Document"));

    /// <summary>One page of SimulatePrincipalPolicyResult/EvaluationResults.</summary>
    public static IamPage<SimulatedDecision> EvaluationResults(XElement result)
        => new(result.Child("EvaluationResults")?.Members().Select(r => new SimulatedDecision(
                r.Required("EvalActionName"), r.Text("EvalResourceName") ?? "*", r.Required("EvalDecision"))).ToList() ?? [],
            NextMarker(result));

    private static RoleDescription ToRole(XElement role)
        => new(
            RoleName: role.Required("RoleName"),
            Arn: role.Required("Arn"),
            AssumeRolePolicyDocument: PolicyDocumentText.Decode(role.Text("AssumeRolePolicyDocument") ?? string.Empty),
            PermissionsBoundaryArn: role.Child("PermissionsBoundary")?.Text("PermissionsBoundaryArn") is { Length: > 0 } boundary ? boundary : null);

    /// <summary>IAM's pagination: Marker is meaningful only while IsTruncated is true.</summary>
    private static string? NextMarker(XElement result)
        => string.Equals(result.Text("IsTruncated"), "true", StringComparison.OrdinalIgnoreCase) && result.Text("Marker") is { Length: > 0 } marker
            ? marker
            : null;

    private static string Required(this XElement element, string name)
        => element.Text(name) ?? throw new FormatException($"IAM response element {element.Name.LocalName} has no {name}.");

    private static IEnumerable<XElement> Members(this XElement list)
        => list.Elements().Where(e => e.Name.LocalName == "member");
}

/// <summary>One page of an IAM list operation; <see cref="NextMarker"/> is null on the last page.</summary>
public sealed record IamPage<T>(IReadOnlyList<T> Items, string? NextMarker);

/// <summary>IAM returns policy documents URL-encoded (RFC 3986) inside its XML.
/// https://docs.aws.amazon.com/IAM/latest/APIReference/API_GetRolePolicy.html</summary>
public static class PolicyDocumentText
{
    /// <summary>The JSON text of a policy document as IAM returns it. A document that already starts with "{" is
    /// returned as is: an encoded one cannot (RFC 3986 encodes "{"), and moto 5.2.1's ListRoles sends the trust
    /// policy unencoded, where decoding would corrupt a literal "%" in it.</summary>
    public static string Decode(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return text.TrimStart().StartsWith('{') ? text : Uri.UnescapeDataString(text);
    }
}
