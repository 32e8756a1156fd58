namespace PipelineKit.Verification;

using Amazon.Runtime;
using PipelineKit.Aws;
using PipelineKit.Permissions;

/// <summary>
/// A second opinion on the identity side: IAM's policy simulator (iam:SimulatePrincipalPolicy) decides, for every call AWS
/// makes for the pipeline as one of the kit's roles, what the role's own policies and boundary allow, and any answer other
/// than the kit's evaluator's is a failure naming both. An emulator evaluates no IAM, so there it is skipped, saying so.
/// </summary>
internal sealed class SimulationChecks(VerifyContext context)
{
    public const string NotOnEmulator =
        "not simulated: the endpoint is an emulator (--sandbox or AWS_ENDPOINT_URL), which evaluates no IAM; the kit's evaluator decided the rows above";

    public async Task<IReadOnlyList<CheckFinding>> RunAsync(
        DeployedPipelinePermissions? deployed, IReadOnlyList<VerifyColumn> columns, IReadOnlySet<string> reachable, CancellationToken ct)
    {
        if (context.Emulated)
        {
            return columns.Where(c => reachable.Contains(c.Account))
                .Select(c => CheckFinding.Skip(VerifyChecks.Simulation, c.Account, "iam:SimulatePrincipalPolicy", NotOnEmulator)).ToList();
        }

        if (deployed is null) return [];
        var permissions = deployed.Permissions;
        var groups = deployed.Calls.Select(c => c.Call)
            .Where(c => !c.MustDeny && c.Request.Principal.RoleArn is { } arn && permissions.IsKitRole(arn) && reachable.Contains(c.Request.Principal.Account))
            .GroupBy(c => (Role: c.Request.Principal.RoleArn!, c.Request.Resource, Context: ContextKey(c.Request)))
            .ToList();
        var results = new List<CheckFinding>();
        foreach (var group in groups)
        {
            results.AddRange(await SimulateAsync(permissions, group.Key.Role, group.Select(c => c.Request).ToList(), ct).ConfigureAwait(false));
        }

        return results;
    }

    private async Task<IReadOnlyList<CheckFinding>> SimulateAsync(
        DeployedPermissions permissions, string roleArn, IReadOnlyList<AccessRequest> requests, CancellationToken ct)
    {
        var account = requests[0].Principal.Account;
        var first = requests[0];
        try
        {
            var iam = context.Clients.Iam(await context.CredentialsAsync(account, ct).ConfigureAwait(false), context.Config.Partition);
            var decisions = await iam.SimulatePrincipalPolicyAsync(new PolicySimulationRequest(
                roleArn, requests.Select(r => r.Action).Distinct(StringComparer.Ordinal).ToArray(), [first.Resource], Context(first)), ct).ConfigureAwait(false);
            return requests.Select(request =>
            {
                var subject = $"{request.Principal.DisplayName}: {request.Action} on {request.Resource}";
                var kit = IdentitySide(permissions, request);
                var iamDecision = decisions.FirstOrDefault(d => d.Action == request.Action)?.Decision ?? "no answer";
                return (iamDecision == "allowed") == kit.Allowed
                    ? CheckFinding.Pass(VerifyChecks.Simulation, account, subject)
                    : CheckFinding.Fail(VerifyChecks.Simulation, account, subject,
                        $"IAM's policy simulator says {iamDecision}, the kit's evaluator {(kit.Allowed ? "allows" : "denies")} ({kit.Explanation})");
            }).ToList();
        }
        catch (AmazonServiceException e)
        {
            return [CheckFinding.Skip(VerifyChecks.Simulation, account, $"role {roleArn}", $"iam:SimulatePrincipalPolicy failed: {e.ErrorCode}: {e.Message}")];
        }
    }

    /// <summary>The role's own policies and boundary alone, as the simulator decides without a resource policy.</summary>
    public static AccessDecision IdentitySide(DeployedPermissions permissions, AccessRequest request)
    {
        var role = permissions.Snapshot.Roles[request.Principal.RoleArn!];
        return PolicyEvaluator.Evaluate(request with { ResourceAccount = request.Principal.Account }, permissions.PoliciesOf(role), null);
    }

    /// <summary>IAM's context entries: one value of "true"/"false" is a boolean, several values a list, else a string.</summary>
    public static IReadOnlyList<SimulationContextEntry> Context(AccessRequest request) =>
        request.Context.OrderBy(c => c.Key, StringComparer.OrdinalIgnoreCase).Select(c => new SimulationContextEntry(c.Key, c.Value,
            c.Value.Count > 1 ? "stringList" : c.Value is ["true" or "false"] ? "boolean" : "string")).ToArray();

    private static string ContextKey(AccessRequest request) =>
        string.Join(";", Context(request).Select(c => $"{c.Key}={string.Join(",", c.Values)}"));
}
