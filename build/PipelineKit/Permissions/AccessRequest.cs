namespace PipelineKit.Permissions;

/// <summary>
/// One request: an action ("s3:PutObject"), a concrete resource ARN ("*" for actions without one), the
/// account owning the resource (S3 ARNs carry none, so the caller says), and request context keys.
/// </summary>
public sealed record AccessRequest(AccessPrincipal Principal, string Action, string Resource, string ResourceAccount,
    IReadOnlyDictionary<string, IReadOnlyList<string>> Context)
{
    public static IReadOnlyDictionary<string, IReadOnlyList<string>> NoContext { get; } =
        new Dictionary<string, IReadOnlyList<string>>();
}

/// <summary>
/// The request context as policies see it: key names case-insensitive, plus the principal keys AWS
/// always sets when the caller did not give them.
/// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html
/// </summary>
internal sealed class RequestContext
{
    private readonly Dictionary<string, IReadOnlyList<string>> _values = new(StringComparer.OrdinalIgnoreCase);

    public RequestContext(AccessRequest request)
    {
        foreach (var (key, values) in request.Context)
        {
            _values[key] = values;
        }
        // The account that owns the resource, in every request (S3 ARNs carry none: the caller of the evaluator says).
        if (request.ResourceAccount.Length > 0) AddDefault("aws:ResourceAccount", request.ResourceAccount);
        var principal = request.Principal;
        if (principal.Kind == PrincipalKind.Service)
        {
            AddDefault("aws:PrincipalServiceName", principal.Arn);
            return;
        }
        AddDefault("aws:PrincipalArn", principal.IdentityArn);
        AddDefault("aws:PrincipalAccount", principal.Account);
        if (principal.OrganizationId is { } organization) AddDefault(PrincipalOrgId, organization);
        // Multivalued: a policy compares it with ForAnyValue:/ForAllValues: (StringLike "o-.../r-.../ou-.../*").
        if (principal.OrganizationPaths is { Count: > 0 } paths) _values.TryAdd(PrincipalOrgPaths, paths);
        AddDefault("aws:PrincipalType", principal.Kind switch
        {
            PrincipalKind.User => "User",
            PrincipalKind.AwsAccount => "Account",
            _ => "AssumedRole",
        });
    }

    public const string PrincipalOrgId = "aws:PrincipalOrgID";

    public const string PrincipalOrgPaths = "aws:PrincipalOrgPaths";

    /// <summary>The key's values, or null when the request does not carry the key.</summary>
    public IReadOnlyList<string>? Get(string key) => _values.TryGetValue(key, out var values) ? values : null;

    private void AddDefault(string key, string value) => _values.TryAdd(key, [value]);
}
