namespace PipelineKit.LocalPipeline;

using System.Collections.Concurrent;
using Amazon.Runtime;
using Amazon.SecurityToken.Model;
using PipelineKit.Accounts;
using PipelineKit.Aws;
using PipelineKit.Permissions;

/// <summary>
/// The permission check of a local run: the emulator evaluates no IAM, so every call made with a credential of the run's
/// role chain is decided by the kit's evaluator over the policies deployed (read once, at the start of the run) before it is
/// sent, and a call AWS would refuse fails with the service's own access-denied error. The chain starts at the service
/// principals (<see cref="ServicePrincipalCredentials"/>: CodePipeline assuming the pipeline's role, CodeBuild a project's)
/// and follows every sts:AssumeRole the chain makes: the keys each answer hands out are that role's session, whichever
/// client signs with them later (the action roles assumed by the pipeline's role, the build role's keys a local build hands
/// to the kit commands it runs in process, the roles those assume in the target accounts). Credentials outside the chain
/// (the user's own, with which the kit deploys) are not checked.
/// A request whose principal and resource are both outside the kit's policies (<see cref="Ownership.Outside"/>: a role the kit
/// did not deploy, on a resource without a policy of the kit's) is let through, as the integration tests' permission trace
/// counts it: there is nothing of the kit's to decide it by. Such requests are counted apart in the summary.
/// A role session of an account in an organization carries the account's place in it (<paramref name="places"/>, read from
/// Organizations), as AWS sets aws:PrincipalOrgID and aws:PrincipalOrgPaths, so the grants to organizational units are decided.
/// </summary>
public sealed class LocalPermissionGate(
    DeployedPermissions permissions, Func<string, BucketFacts> buckets, IReadOnlyDictionary<string, OrganizationPlace>? places = null) : IAwsCallGate
{
    private readonly ConcurrentDictionary<string, AccessPrincipal> sessions = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<string> denials = new();
    private int checkedCalls;
    private int outside;
    private int unmapped;

    /// <summary>Calls of the chain decided so far (those that need a permission: sts:GetCallerIdentity needs none).</summary>
    public int Checked => Volatile.Read(ref checkedCalls);

    /// <summary>What was refused, each as the error the call failed with.</summary>
    public IReadOnlyList<string> Denials => denials.ToArray();

    /// <summary>"Permissions: 212 calls checked against the deployed policies, 0 denied", and what was let through unchecked.</summary>
    public string Summary =>
        $"Permissions: {Checked} calls checked against the deployed policies, {denials.Count} denied" +
        (Volatile.Read(ref outside) > 0 ? $"; {outside} requests outside the kit's policies (a role and resource it did not deploy) let through" : "") +
        (Volatile.Read(ref unmapped) > 0 ? $"; {unmapped} calls the checker cannot map to IAM requests let through" : "") + ".";

    public void Admit(TracedCall call)
    {
        ArgumentNullException.ThrowIfNull(call);
        if (PrincipalOf(call.Credentials) is not { } caller) return;
        var (principal, context) = caller;
        IReadOnlyList<AccessRequest> requests;
        try
        {
            requests = CallAccess.For(call, principal, buckets);
        }
        catch (KeyNotFoundException)
        {
            // A call without the names CallAccess reads (an operation the kit's policies do not cover).
            Interlocked.Increment(ref unmapped);
            return;
        }

        if (requests.Count == 0) return;
        Interlocked.Increment(ref checkedCalls);
        foreach (var request in requests)
        {
            var result = permissions.Check(context.Count == 0 ? request : request with { Context = Merged(request.Context, context) });
            if (result.Decision.Allowed) continue;
            if (result.Ownership != Ownership.Kit)
            {
                Interlocked.Increment(ref outside);
                continue;
            }

            // The wording of AWS's own refusal, with the evaluator's reason in place of AWS's summary of it.
            // https://docs.aws.amazon.com/IAM/latest/UserGuide/troubleshoot_access-denied.html
            var message = $"User: {principal.Arn} is not authorized to perform: {request.Action} on resource: {request.Resource} " +
                          $"because {result.Decision.Explanation.Replace("denied: ", "", StringComparison.Ordinal)} " +
                          "(decided by the kit's policy evaluator over the deployed policies: the emulator evaluates no IAM)";
            denials.Enqueue($"{call.Call}: {message}");
            throw AccessDeniedErrors.For(call.Call.Service, message);
        }
    }

    /// <summary>An sts:AssumeRole of the chain: the keys it handed out are the assumed role's session from now on.</summary>
    public void Answered(TracedCall call, AmazonWebServiceRequest request, AmazonWebServiceResponse response)
    {
        ArgumentNullException.ThrowIfNull(call);
        if (request is AssumeRoleRequest assume && response is AssumeRoleResponse { Credentials.AccessKeyId: { } key } &&
            PrincipalOf(call.Credentials) is not null)
        {
            var role = AccessPrincipal.Role(assume.RoleArn, assume.RoleSessionName ?? "session");
            sessions[key] = places?.GetValueOrDefault(role.Account) is { } place
                ? role with { OrganizationId = place.OrganizationId, OrganizationPaths = [place.Path] }
                : role;
        }
    }

    private (AccessPrincipal Principal, IReadOnlyDictionary<string, IReadOnlyList<string>> Context)? PrincipalOf(AWSCredentials credentials)
    {
        if (credentials is ServicePrincipalCredentials service)
        {
            var context = new Dictionary<string, IReadOnlyList<string>>(StringComparer.OrdinalIgnoreCase) { ["aws:SourceAccount"] = [service.SourceAccount] };
            if (service.SourceArn is { } arn) context["aws:SourceArn"] = [arn];
            return (AccessPrincipal.Service(service.ServicePrincipal), context);
        }

        // Resolved here, not left to the signer: the chain's credentials are assumed on first use, so the first call an action
        // makes (a source action's write, before any other session of the run) would otherwise pass before its session is known.
        string key;
        try
        {
            key = credentials.GetCredentials().AccessKey;
        }
        catch (AmazonClientException)
        {
            return null;
        }

        return sessions.TryGetValue(key, out var principal) ? (principal, AccessRequest.NoContext) : null;
    }

    private static Dictionary<string, IReadOnlyList<string>> Merged(IReadOnlyDictionary<string, IReadOnlyList<string>> a, IReadOnlyDictionary<string, IReadOnlyList<string>> b)
    {
        var merged = new Dictionary<string, IReadOnlyList<string>>(a, StringComparer.OrdinalIgnoreCase);
        foreach (var (k, v) in b) merged.TryAdd(k, v);
        return merged;
    }
}
