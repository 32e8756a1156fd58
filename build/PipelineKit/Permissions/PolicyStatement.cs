using System.Text.Json;

namespace PipelineKit.Permissions;

public enum PolicyEffect { Allow, Deny }

/// <summary>
/// One statement. Exactly one of Action/NotAction is set; Resource and NotResource may both be absent
/// (trust policies), which matches any resource. Principal/NotPrincipal are null in identity policies.
/// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_statement.html
/// </summary>
public sealed class PolicyStatement
{
    private static readonly HashSet<string> KnownFields =
        ["Sid", "Effect", "Action", "NotAction", "Resource", "NotResource", "Principal", "NotPrincipal", "Condition"];

    private PolicyStatement(int index)
    {
        Index = index;
    }

    /// <summary>Position in the document, used to name statements without a Sid.</summary>
    public int Index { get; }

    public string? Sid { get; private init; }

    public PolicyEffect Effect { get; private init; }

    public IReadOnlyList<string>? Action { get; private init; }

    public IReadOnlyList<string>? NotAction { get; private init; }

    public IReadOnlyList<string>? Resource { get; private init; }

    public IReadOnlyList<string>? NotResource { get; private init; }

    public PolicyPrincipal? Principal { get; private init; }

    public PolicyPrincipal? NotPrincipal { get; private init; }

    public IReadOnlyList<PolicyCondition> Conditions { get; private init; } = [];

    internal bool MatchesAction(string action) =>
        Action is not null
            ? Action.Any(pattern => Wildcard.IsMatch(pattern, action, ignoreCase: true))
            : !NotAction!.Any(pattern => Wildcard.IsMatch(pattern, action, ignoreCase: true));

    internal bool MatchesResource(string resource, RequestContext context)
    {
        bool Hit(string pattern) => Wildcard.IsMatch(PolicyVariables.Substitute(pattern, context), resource);
        return Resource is not null ? Resource.Any(Hit) : NotResource is null || !NotResource.Any(Hit);
    }

    internal bool MatchesConditions(RequestContext context) => Conditions.All(condition => condition.IsMet(context));

    internal static PolicyStatement Read(JsonElement element, int index)
    {
        var where = $"statement #{index}";
        if (element.ValueKind != JsonValueKind.Object)
        {
            throw new FormatException($"{where} is not an object.");
        }
        var unknown = element.EnumerateObject().Select(p => p.Name).FirstOrDefault(n => !KnownFields.Contains(n));
        if (unknown is not null)
        {
            throw new FormatException($"{where} has an unknown element '{unknown}'.");
        }
        var effect = Text(element, "Effect") switch
        {
            "Allow" => PolicyEffect.Allow,
            "Deny" => PolicyEffect.Deny,
            var other => throw new FormatException($"{where} has Effect '{other}'; it must be Allow or Deny."),
        };
        var statement = new PolicyStatement(index)
        {
            Sid = Text(element, "Sid"),
            Effect = effect,
            Action = Strings(element, "Action", where),
            NotAction = Strings(element, "NotAction", where),
            Resource = Strings(element, "Resource", where),
            NotResource = Strings(element, "NotResource", where),
            Principal = Optional(element, "Principal") is { } p ? PolicyPrincipal.Read(p, $"{where} Principal") : null,
            NotPrincipal = Optional(element, "NotPrincipal") is { } n ? PolicyPrincipal.Read(n, $"{where} NotPrincipal") : null,
            Conditions = Optional(element, "Condition") is { } c ? PolicyCondition.ReadBlock(c, where) : [],
        };
        if ((statement.Action is null) == (statement.NotAction is null))
        {
            throw new FormatException($"{where} needs exactly one of Action and NotAction.");
        }
        if (statement.Resource is not null && statement.NotResource is not null)
        {
            throw new FormatException($"{where} has both Resource and NotResource.");
        }
        if (statement.Principal is not null && statement.NotPrincipal is not null)
        {
            throw new FormatException($"{where} has both Principal and NotPrincipal.");
        }
        return statement;
    }

    private static JsonElement? Optional(JsonElement element, string field) =>
        element.TryGetProperty(field, out var value) ? value : null;

    private static string? Text(JsonElement element, string field) =>
        Optional(element, field) is { ValueKind: JsonValueKind.String } value ? value.GetString() : null;

    private static IReadOnlyList<string>? Strings(JsonElement element, string field, string where) =>
        Optional(element, field) is { } value ? PolicyJson.Strings(value, $"{where} {field}") : null;
}
