using System.Globalization;
using System.Net;

namespace PipelineKit.Permissions;

internal enum SetQualifier { None, ForAnyValue, ForAllValues }

/// <summary>
/// A parsed operator name: optional ForAnyValue:/ForAllValues: qualifier, the base comparison, optional IfExists.
/// Compare(policyValue, requestValue) is always the positive comparison; Negated flips the outcome.
/// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html
/// </summary>
internal sealed record ConditionOperator(SetQualifier Qualifier, string Base, bool IfExists, bool Negated,
    Func<string, string, bool> Compare)
{
    private static readonly Dictionary<string, (bool Negated, Func<string, string, bool> Compare)> Bases =
        new(StringComparer.Ordinal)
        {
            ["StringEquals"] = (false, (p, r) => p == r),
            ["StringNotEquals"] = (true, (p, r) => p == r),
            ["StringEqualsIgnoreCase"] = (false, (p, r) => string.Equals(p, r, StringComparison.OrdinalIgnoreCase)),
            ["StringNotEqualsIgnoreCase"] = (true, (p, r) => string.Equals(p, r, StringComparison.OrdinalIgnoreCase)),
            ["StringLike"] = (false, (p, r) => Wildcard.IsMatch(p, r)),
            ["StringNotLike"] = (true, (p, r) => Wildcard.IsMatch(p, r)),
            ["NumericEquals"] = (false, (p, r) => Numeric(p, r, c => c == 0)),
            ["NumericNotEquals"] = (true, (p, r) => Numeric(p, r, c => c == 0)),
            ["NumericLessThan"] = (false, (p, r) => Numeric(p, r, c => c < 0)),
            ["NumericLessThanEquals"] = (false, (p, r) => Numeric(p, r, c => c <= 0)),
            ["NumericGreaterThan"] = (false, (p, r) => Numeric(p, r, c => c > 0)),
            ["NumericGreaterThanEquals"] = (false, (p, r) => Numeric(p, r, c => c >= 0)),
            ["DateEquals"] = (false, (p, r) => Date(p, r, c => c == 0)),
            ["DateNotEquals"] = (true, (p, r) => Date(p, r, c => c == 0)),
            ["DateLessThan"] = (false, (p, r) => Date(p, r, c => c < 0)),
            ["DateLessThanEquals"] = (false, (p, r) => Date(p, r, c => c <= 0)),
            ["DateGreaterThan"] = (false, (p, r) => Date(p, r, c => c > 0)),
            ["DateGreaterThanEquals"] = (false, (p, r) => Date(p, r, c => c >= 0)),
            ["Bool"] = (false, (p, r) => string.Equals(p, r, StringComparison.OrdinalIgnoreCase)),
            ["BinaryEquals"] = (false, (p, r) => p == r),
            ["IpAddress"] = (false, InRange),
            ["NotIpAddress"] = (true, InRange),
            // ArnEquals and ArnLike are documented as the same comparison.
            ["ArnEquals"] = (false, Wildcard.IsArnMatch),
            ["ArnLike"] = (false, Wildcard.IsArnMatch),
            ["ArnNotEquals"] = (true, Wildcard.IsArnMatch),
            ["ArnNotLike"] = (true, Wildcard.IsArnMatch),
            ["Null"] = (false, (_, _) => false),
        };

    /// <summary>The operator for a name as written in a policy, or null when IAM would not know it.</summary>
    public static ConditionOperator? Parse(string name)
    {
        var qualifier = SetQualifier.None;
        var rest = name;
        if (rest.StartsWith("ForAnyValue:", StringComparison.Ordinal))
        {
            (qualifier, rest) = (SetQualifier.ForAnyValue, rest["ForAnyValue:".Length..]);
        }
        else if (rest.StartsWith("ForAllValues:", StringComparison.Ordinal))
        {
            (qualifier, rest) = (SetQualifier.ForAllValues, rest["ForAllValues:".Length..]);
        }
        var ifExists = rest.EndsWith("IfExists", StringComparison.Ordinal);
        if (ifExists)
        {
            rest = rest[..^"IfExists".Length];
        }
        if (!Bases.TryGetValue(rest, out var found) || (rest == "Null" && (ifExists || qualifier != SetQualifier.None)))
        {
            return null;
        }
        return new ConditionOperator(qualifier, rest, ifExists, found.Negated, found.Compare);
    }

    // Comparisons read "request <op> policy": NumericLessThan holds when the request value is below the policy's.
    private static bool Numeric(string policy, string request, Func<int, bool> test) =>
        decimal.TryParse(policy, NumberStyles.Float, CultureInfo.InvariantCulture, out var p) &&
        decimal.TryParse(request, NumberStyles.Float, CultureInfo.InvariantCulture, out var r) &&
        test(r.CompareTo(p));

    private static bool Date(string policy, string request, Func<int, bool> test) =>
        ParseDate(policy) is { } p && ParseDate(request) is { } r && test(r.CompareTo(p));

    /// <summary>ISO 8601 or epoch seconds, as the date operators accept.</summary>
    private static DateTimeOffset? ParseDate(string text)
    {
        if (long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var epoch))
        {
            return DateTimeOffset.FromUnixTimeSeconds(epoch);
        }
        return DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture,
            DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var date) ? date : null;
    }

    /// <summary>Simple CIDR containment (IPv4 or IPv6); a bare address means the single host.</summary>
    private static bool InRange(string cidr, string address)
    {
        var slash = cidr.IndexOf('/');
        if (!IPAddress.TryParse(slash < 0 ? cidr : cidr[..slash], out var network) ||
            !IPAddress.TryParse(address, out var candidate) || network.AddressFamily != candidate.AddressFamily)
        {
            return false;
        }
        var netBytes = network.GetAddressBytes();
        var bits = slash < 0 ? netBytes.Length * 8 : int.TryParse(cidr[(slash + 1)..], out var n) ? n : -1;
        if (bits < 0 || bits > netBytes.Length * 8)
        {
            return false;
        }
        var candBytes = candidate.GetAddressBytes();
        for (var i = 0; i < bits; i++)
        {
            var mask = 0x80 >> (i % 8);
            if ((netBytes[i / 8] & mask) != (candBytes[i / 8] & mask))
            {
                return false;
            }
        }
        return true;
    }
}
