using System.Text.Json;

namespace PipelineKit.Permissions;

/// <summary>
/// One operator/key pair of a Condition block, e.g. StringEquals "aws:SourceAccount": ["111122223333"].
/// A statement's conditions all have to hold (AND); the values of one key are alternatives (OR), and for a
/// negated operator the condition holds when the request value matches none of them.
/// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-logic-multiple-context-keys-or-values.html
/// </summary>
public sealed class PolicyCondition
{
    public PolicyCondition(string @operator, string key, IReadOnlyList<string> values)
    {
        Operator = @operator;
        Key = key;
        Values = values;
        Parsed = ConditionOperator.Parse(@operator)
            ?? throw new FormatException($"unknown condition operator '{@operator}'.");
    }

    public string Operator { get; }

    public string Key { get; }

    public IReadOnlyList<string> Values { get; }

    internal ConditionOperator Parsed { get; }

    internal bool IsMet(RequestContext context)
    {
        var request = context.Get(Key);
        var present = request is { Count: > 0 };
        if (Parsed.Base == "Null")
        {
            // Null: "true" asks for the key to be absent, "false" for it to be present.
            return Values.Any(v => string.Equals(v, "true", StringComparison.OrdinalIgnoreCase) != present);
        }
        if (!present)
        {
            // https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html
            // (absent key: false, true for negated operators) and
            // https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-single-vs-multi-valued-context-keys.html
            // (ForAllValues holds on an absent key, ForAnyValue does not).
            if (Parsed.IfExists || Parsed.Qualifier == SetQualifier.ForAllValues)
            {
                return true;
            }
            return Parsed.Qualifier != SetQualifier.ForAnyValue && Parsed.Negated;
        }
        var policy = Values.Select(v => PolicyVariables.Substitute(v, context)).ToList();
        bool Positive(string value) => policy.Any(p => Parsed.Compare(p, value));
        bool Holds(string value) => Parsed.Negated ? !Positive(value) : Positive(value);
        return Parsed.Qualifier switch
        {
            SetQualifier.ForAllValues => request!.All(Holds),
            SetQualifier.ForAnyValue => request!.Any(Holds),
            _ => Parsed.Negated ? !request!.Any(Positive) : request!.Any(Positive),
        };
    }

    internal static IReadOnlyList<PolicyCondition> ReadBlock(JsonElement element, string where)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            throw new FormatException($"{where} Condition must be an object.");
        }
        var conditions = new List<PolicyCondition>();
        foreach (var op in element.EnumerateObject())
        {
            if (op.Value.ValueKind != JsonValueKind.Object)
            {
                throw new FormatException($"{where} Condition {op.Name} must map keys to values.");
            }
            foreach (var key in op.Value.EnumerateObject())
            {
                try
                {
                    conditions.Add(new PolicyCondition(op.Name, key.Name, PolicyJson.Scalars(key.Value, $"{op.Name} {key.Name}")));
                }
                catch (FormatException e)
                {
                    throw new FormatException($"{where} Condition: {e.Message}", e);
                }
            }
        }
        return conditions;
    }
}
