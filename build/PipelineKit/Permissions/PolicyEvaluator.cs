namespace PipelineKit.Permissions;

/// <summary>
/// Decides one request the way AWS's enforcement code does for the policy types the kit writes: identity
/// policies, a permissions boundary and one resource policy (bucket, key, trust or other). SCPs, RCPs and
/// session policies are out of scope.
/// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic_policy-eval-denyallow.html
/// </summary>
public static class PolicyEvaluator
{
    public static AccessDecision Evaluate(AccessRequest request, PrincipalPolicies principal, ResourcePolicy? resource)
    {
        var context = new RequestContext(request);
        var caller = request.Principal;
        var scope = new Scope(request, context, principal.Boundary is not null);
        if (resource is not null)
        {
            RequirePrincipals(resource.Policy);
        }

        if (ExplicitDeny(scope, principal, resource) is { } denied)
        {
            return denied;
        }

        var (level, grant) = resource is null ? (PrincipalMatch.None, null) : scope.BestResourceAllow(resource.Policy);
        if (caller.Kind == PrincipalKind.Service)
        {
            // A service principal has no identity policies here: only the resource policy can let it in.
            return grant is not null
                ? Verdict.Allowed(scope, grant)
                : Verdict.Denied(resource is null
                    ? $"no resource policy allows {caller.DisplayName} to call {scope.What}"
                    : $"{resource.Policy.Name} does not allow {caller.DisplayName} to call {scope.What}");
        }

        var identity = principal.Identity.SelectMany(doc => scope.Applicable(doc, PolicyEffect.Allow)).FirstOrDefault();
        var boundary = principal.Boundary is null ? null : scope.Applicable(principal.Boundary, PolicyEffect.Allow).FirstOrDefault();
        var boundaryOk = principal.Boundary is null || boundary is not null;
        var identityOk = identity is not null && boundaryOk;

        return caller.Account != request.ResourceAccount
            ? CrossAccount(scope, caller, principal, resource, grant, identity, boundary, identityOk)
            : SameAccount(scope, caller, principal, resource, (level, grant), identity, boundary, boundaryOk);
    }

    /// <summary>An explicit Deny in any applicable policy wins over every Allow.</summary>
    private static AccessDecision? ExplicitDeny(Scope scope, PrincipalPolicies principal, ResourcePolicy? resource)
    {
        var denies = principal.Identity.Append(principal.Boundary).OfType<PolicyDocument>()
            .SelectMany(doc => scope.Applicable(doc, PolicyEffect.Deny))
            .Concat(resource is null ? [] : scope.ResourceStatements(resource.Policy, PolicyEffect.Deny).Select(m => m.Hit))
            .ToList();
        return denies.Count > 0
            ? Verdict.Denied($"explicit Deny in {string.Join(" and ", denies.Select(d => d.Describe()))} for {scope.What}", denies)
            : null;
    }

    /// <summary>
    /// Same account: a grant to the exact session/user stands alone; one to the role ARN is still capped by
    /// the boundary; one to the account is delegation and needs the identity side.
    /// https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies_boundaries.html#access_policies_boundaries-eval-logic
    /// </summary>
    private static AccessDecision SameAccount(Scope scope, AccessPrincipal caller, PrincipalPolicies principal, ResourcePolicy? resource,
        (PrincipalMatch Level, Hit? Hit) grant, Hit? identity, Hit? boundary, bool boundaryOk)
    {
        var level = grant.Level;
        if (level == PrincipalMatch.Exact || (level == PrincipalMatch.Role && boundaryOk))
        {
            return Verdict.Allowed(scope, grant.Hit, level == PrincipalMatch.Role ? boundary : null);
        }
        // Key and trust policies are the only way in: IAM policies count only where they delegate to the account.
        // https://docs.aws.amazon.com/kms/latest/developerguide/key-policy-default.html#key-policy-default-allow-root-enable-iam
        var resourceMustAllow = resource?.Kind is ResourcePolicyKind.KmsKey or ResourcePolicyKind.RoleTrust;
        if (resourceMustAllow && level == PrincipalMatch.None)
        {
            return Verdict.Denied($"{resource!.Policy.Name} does not allow {caller.Arn} to call {scope.What}");
        }
        if (identity is not null && boundaryOk)
        {
            return Verdict.Allowed(scope, identity, boundary, resourceMustAllow ? grant.Hit : null);
        }
        if (identity is null)
        {
            var note = level switch
            {
                PrincipalMatch.Account => $"; {grant.Hit!.Describe()} only delegates to account {caller.Account}",
                PrincipalMatch.Role => $"; {grant.Hit!.Describe()} names the role, but the role's permissions boundary {principal.Boundary!.Name} does not allow it",
                _ => resource is null ? "" : $", nor does {resource.Policy.Name}",
            };
            return Verdict.Denied($"no statement in the identity policies of {caller.DisplayName} allows {scope.What}{note}");
        }
        var roleGrant = level == PrincipalMatch.Role ? $" and {grant.Hit!.Describe()}, which names the role," : "";
        return Verdict.Denied(
            $"the permissions boundary {principal.Boundary!.Name} of {caller.DisplayName} does not allow {scope.What} " +
            $"(granted by {identity.Describe()}{roleGrant} but a boundary caps both)");
    }

    /// <summary>
    /// Across accounts both sides must allow: the caller's own account (identity policies within the boundary)
    /// and the resource's account (its resource policy, naming the caller or the caller's account).
    /// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic-cross-account.html
    /// </summary>
    private static AccessDecision CrossAccount(Scope scope, AccessPrincipal caller, PrincipalPolicies principal,
        ResourcePolicy? resource, Hit? grant, Hit? identity, Hit? boundary, bool identityOk)
    {
        const string prefix = "cross-account request: ";
        if (resource is null)
        {
            return Verdict.Denied($"{prefix}{scope.Request.Resource} in account {scope.Request.ResourceAccount} has no resource policy to allow {caller.Arn} {scope.Request.Action}");
        }
        if (grant is null)
        {
            var unknown = scope.GrantByUnknownOrganization(resource.Policy) is { } byOrganization
                ? $" ({byOrganization.Hit.Describe()} grants by {byOrganization.Key}, and the {(string.Equals(byOrganization.Key, RequestContext.PrincipalOrgId, StringComparison.OrdinalIgnoreCase) ? "organization" : "organizational unit")} of account {caller.Account} is unknown to the evaluator)"
                : "";
            return Verdict.Denied($"{prefix}the {resource.Policy.Name} does not allow {caller.Arn} to call {scope.What}{unknown}");
        }
        if (identity is null)
        {
            return Verdict.Denied($"{prefix}no statement in the identity policies of {caller.DisplayName} allows {scope.What} (the {resource.Policy.Name} does)", [grant]);
        }
        if (!identityOk)
        {
            return Verdict.Denied($"{prefix}the permissions boundary {principal.Boundary!.Name} of {caller.DisplayName} does not allow {scope.What}", [identity]);
        }
        return Verdict.Allowed(scope, identity, boundary, grant);
    }

    /// <summary>AWS rejects a resource policy statement that names no principal; so does the evaluator.</summary>
    private static void RequirePrincipals(PolicyDocument policy)
    {
        var missing = policy.Statements.FirstOrDefault(s => s.Principal is null && s.NotPrincipal is null);
        if (missing is not null)
        {
            throw new ArgumentException($"Resource policy '{policy.Label(missing)}' has no Principal or NotPrincipal.");
        }
    }
}
