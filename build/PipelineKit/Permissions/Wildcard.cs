namespace PipelineKit.Permissions;

/// <summary>
/// The glob matching IAM uses for Action, Resource and the *Like / Arn* condition operators:
/// <c>*</c> matches any run of characters (including <c>:</c> and <c>/</c>), <c>?</c> exactly one.
/// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_resource.html#reference_policies_elements_resource_wildcards
/// </summary>
internal static class Wildcard
{
    public static bool IsMatch(string pattern, string value, bool ignoreCase = false)
    {
        // Iterative matcher with a single backtrack point: linear in practice, no regex compilation per call.
        int p = 0, v = 0, star = -1, resume = 0;
        while (v < value.Length)
        {
            if (p < pattern.Length && pattern[p] == '*')
            {
                star = p++;
                resume = v;
            }
            else if (p < pattern.Length && (pattern[p] == '?' || Same(pattern[p], value[v], ignoreCase)))
            {
                p++;
                v++;
            }
            else if (star >= 0)
            {
                p = star + 1;
                v = ++resume;
            }
            else
            {
                return false;
            }
        }
        while (p < pattern.Length && pattern[p] == '*')
        {
            p++;
        }
        return p == pattern.Length;
    }

    /// <summary>
    /// ArnEquals/ArnLike: each of the six colon-separated parts is matched on its own, so a wildcard in the
    /// account part cannot swallow the region. The sixth part (resource) keeps any further colons.
    /// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html#Conditions_ARN
    /// </summary>
    public static bool IsArnMatch(string pattern, string arn)
    {
        var patternParts = pattern.Split(':', 6);
        var arnParts = arn.Split(':', 6);
        if (patternParts.Length != 6 || arnParts.Length != 6)
        {
            return false;
        }
        for (var i = 0; i < 6; i++)
        {
            if (!IsMatch(patternParts[i], arnParts[i]))
            {
                return false;
            }
        }
        return true;
    }

    private static bool Same(char a, char b, bool ignoreCase) =>
        a == b || (ignoreCase && char.ToUpperInvariant(a) == char.ToUpperInvariant(b));
}
