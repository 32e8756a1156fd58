namespace PipelineKit.Aws;

using System.Xml.Linq;
using Amazon.Runtime;

/// <summary>
/// <see cref="IIdentityManagement"/> over the IAM Query API (POST, Action=..., Version=2010-05-08, XML responses),
/// sent through AWSSDK.Core's own pipeline: its credential resolution, SigV4 signing ("iam", us-east-1),
/// retries (the factory's, see AwsRetryPipeline), and error handling. Only the wire format lives here.
/// Until AWSSDK.IdentityManagement is available this stands in for AmazonIdentityManagementServiceClient.
/// </summary>
public sealed class IdentityManagementClient : NarrowServiceClient, IIdentityManagement
{
    public IdentityManagementClient(AWSCredentials credentials, IdentityManagementClientConfig config)
        : base(credentials, config)
    {
    }

    public Task<RoleDescription?> GetRoleAsync(string roleName, CancellationToken ct = default)
        => NullWhenMissingAsync(
            async () => IdentityManagementResponses.Role(await CallAsync(IdentityManagementQuery.GetRole(roleName), ct).ConfigureAwait(false)),
            e => e.ErrorCode == "NoSuchEntity");

    public Task<IReadOnlyList<string>> ListRolePolicyNamesAsync(string roleName, CancellationToken ct = default)
        => AllPagesAsync(marker => IdentityManagementQuery.ListRolePolicies(roleName, marker), IdentityManagementResponses.PolicyNames, ct);

    public async Task<string> GetRolePolicyDocumentAsync(string roleName, string policyName, CancellationToken ct = default)
        => IdentityManagementResponses.RolePolicyDocument(
            await CallAsync(IdentityManagementQuery.GetRolePolicy(roleName, policyName), ct).ConfigureAwait(false));

    public Task<IReadOnlyList<string>> ListAttachedRolePolicyArnsAsync(string roleName, CancellationToken ct = default)
        => AllPagesAsync(
            marker => IdentityManagementQuery.ListAttachedRolePolicies(roleName, marker), IdentityManagementResponses.AttachedPolicyArns, ct);

    public async Task<string> GetManagedPolicyDocumentAsync(string policyArn, CancellationToken ct = default)
    {
        var version = IdentityManagementResponses.DefaultVersionId(
            await CallAsync(IdentityManagementQuery.GetPolicy(policyArn), ct).ConfigureAwait(false));
        return IdentityManagementResponses.PolicyVersionDocument(
            await CallAsync(IdentityManagementQuery.GetPolicyVersion(policyArn, version), ct).ConfigureAwait(false));
    }

    public Task<IReadOnlyList<RoleDescription>> ListRolesAsync(CancellationToken ct = default)
        => AllPagesAsync(IdentityManagementQuery.ListRoles, IdentityManagementResponses.Roles, ct);

    public Task<IReadOnlyList<SimulatedDecision>> SimulatePrincipalPolicyAsync(PolicySimulationRequest request, CancellationToken ct = default)
        => AllPagesAsync(marker => IdentityManagementQuery.SimulatePrincipalPolicy(request, marker), IdentityManagementResponses.EvaluationResults, ct);

    private async Task<IReadOnlyList<T>> AllPagesAsync<T>(
        Func<string?, IdentityManagementQueryRequest> request, Func<XElement, IamPage<T>> parse, CancellationToken ct)
    {
        var all = new List<T>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        string? marker = null;
        do
        {
            var page = parse(await CallAsync(request(marker), ct).ConfigureAwait(false));
            all.AddRange(page.Items);
            marker = page.NextMarker;
        }
        while (marker is not null && seen.Add(marker));

        return all;
    }

    private async Task<XElement> CallAsync(IdentityManagementQueryRequest request, CancellationToken ct)
        => (await SendAsync<QueryResponse>(request, IdentityManagementQuery.Marshaller, IdentityManagementResponseUnmarshaller.Instance, ct).ConfigureAwait(false)).Result;
}
