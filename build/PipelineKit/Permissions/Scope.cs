namespace PipelineKit.Permissions;

/// <summary>A statement that applies to the request, with the document it came from.</summary>
internal sealed record Hit(PolicyDocument Document, PolicyStatement Statement)
{
    public string Describe() => Document.Describe(Statement);

    public string Label() => Document.Label(Statement);
}

/// <summary>Finds the statements of a document that apply to one request.</summary>
internal sealed class Scope(AccessRequest request, RequestContext context, bool hasBoundary)
{
    public AccessRequest Request => request;

    /// <summary>"s3:PutObject on arn:aws:s3:::bucket/key" for explanations.</summary>
    public string What => $"{request.Action} on {request.Resource}";

    /// <summary>Statements of the effect whose action, resource and conditions match (principal not considered).</summary>
    public IEnumerable<Hit> Applicable(PolicyDocument document, PolicyEffect effect) =>
        document.Statements
            .Where(s => s.Effect == effect && s.MatchesAction(request.Action) &&
                        s.MatchesResource(request.Resource, context) && s.MatchesConditions(context))
            .Select(s => new Hit(document, s));

    /// <summary>Applicable statements of a resource policy that also name the caller, with how they name it.</summary>
    public IEnumerable<(PrincipalMatch Level, Hit Hit)> ResourceStatements(PolicyDocument document, PolicyEffect effect) =>
        Applicable(document, effect)
            .Select(hit => (Level: PrincipalLevel(hit.Statement), Hit: hit))
            .Where(match => match.Level != PrincipalMatch.None);

    /// <summary>The Allow statement that names the caller most directly (exact, then role, then account).</summary>
    public (PrincipalMatch Level, Hit? Grant) BestResourceAllow(PolicyDocument document)
    {
        var best = ResourceStatements(document, PolicyEffect.Allow).OrderByDescending(m => m.Level).FirstOrDefault();
        return best.Hit is null ? (PrincipalMatch.None, null) : (best.Level, best.Hit);
    }

    /// <summary>An Allow that would name the caller but for an aws:PrincipalOrgID or aws:PrincipalOrgPaths condition, when the
    /// caller's organization (or its path in it) is unknown: the evaluator cannot decide it, so the request is denied, and the
    /// explanation says why (the key it lacks).</summary>
    public (Hit Hit, string Key)? GrantByUnknownOrganization(PolicyDocument document)
    {
        var caller = request.Principal;
        if (caller.Kind == PrincipalKind.Service) return null;
        bool Unknown(PolicyCondition condition) =>
            (caller.OrganizationId is null && string.Equals(condition.Key, RequestContext.PrincipalOrgId, StringComparison.OrdinalIgnoreCase)) ||
            (caller.OrganizationPaths is null && string.Equals(condition.Key, RequestContext.PrincipalOrgPaths, StringComparison.OrdinalIgnoreCase));
        return document.Statements
            .Where(s => s.Effect == PolicyEffect.Allow && s.MatchesAction(request.Action) && s.MatchesResource(request.Resource, context) &&
                        s.Conditions.Any(Unknown) && s.Conditions.Where(c => !Unknown(c)).All(c => c.IsMet(context)) &&
                        PrincipalLevel(s) != PrincipalMatch.None)
            .Select(s => (new Hit(document, s), s.Conditions.First(Unknown).Key))
            .Cast<(Hit, string)?>()
            .FirstOrDefault();
    }

    private PrincipalMatch PrincipalLevel(PolicyStatement statement)
    {
        var caller = request.Principal;
        if (statement.Principal is not null)
        {
            return PrincipalMatcher.Match(statement.Principal, caller);
        }
        // "NotPrincipal with Deny always denies a principal that has a permissions boundary".
        // https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_notprincipal.html
        var excluded = !(hasBoundary && statement.Effect == PolicyEffect.Deny) &&
                       PrincipalMatcher.Excludes(statement.NotPrincipal!, caller);
        if (excluded)
        {
            return PrincipalMatch.None;
        }
        return caller.Kind is PrincipalKind.RoleSession or PrincipalKind.Role ? PrincipalMatch.Role : PrincipalMatch.Exact;
    }
}

/// <summary>Builds decisions and their one-sentence explanations.</summary>
internal static class Verdict
{
    public static AccessDecision Allowed(Scope scope, params Hit?[] hits)
    {
        var decisive = hits.OfType<Hit>().ToList();
        return new AccessDecision(true,
            $"allowed by {string.Join(" and ", decisive.Select(h => h.Describe()))} for {scope.What}",
            decisive.Select(h => h.Label()).ToList());
    }

    public static AccessDecision Denied(string reason, IReadOnlyList<Hit>? decisive = null) =>
        new(false, "denied: " + reason, (decisive ?? []).Select(h => h.Label()).ToList());
}
