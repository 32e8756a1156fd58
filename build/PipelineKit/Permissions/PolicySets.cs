namespace PipelineKit.Permissions;

public enum ResourcePolicyKind { Bucket, KmsKey, RoleTrust, Other }

/// <summary>The policy attached to the resource; its kind decides whether it must allow even in-account.</summary>
public sealed record ResourcePolicy(ResourcePolicyKind Kind, PolicyDocument Policy);

/// <summary>
/// The principal's own policies: identity policies (inline and managed) and an optional permissions boundary.
/// </summary>
public sealed record PrincipalPolicies(IReadOnlyList<PolicyDocument> Identity, PolicyDocument? Boundary)
{
    /// <summary>For service principals, which carry no identity policies of the kit's.</summary>
    public static PrincipalPolicies None { get; } = new([], null);

    /// <summary>Stands in for credentials whose policies the kit does not own (a user's admin credentials).</summary>
    public static PrincipalPolicies Unrestricted { get; } = new(
        [PolicyDocument.Parse("unrestricted credentials",
            """{"Version":"2012-10-17","Statement":[{"Sid":"Everything","Effect":"Allow","Action":"*","Resource":"*"}]}""")],
        null);
}

/// <summary>
/// The outcome, with one readable sentence for test failures and the "policy/Sid" (or "policy/#index")
/// of the statements that decided.
/// </summary>
public sealed record AccessDecision(bool Allowed, string Explanation, IReadOnlyList<string> DecisiveStatements)
{
    public override string ToString() => Explanation;
}
