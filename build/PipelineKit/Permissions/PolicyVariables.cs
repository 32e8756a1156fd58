using System.Text;

namespace PipelineKit.Permissions;

/// <summary>
/// Replaces <c>${key}</c> in Resource and condition values with the request context's value.
/// Kept simple: the first value of the key; <c>${key, 'default'}</c> when absent; <c>${*}</c>, <c>${?}</c>,
/// <c>${$}</c> as the literal characters. An unknown key without a default is left as written, so the
/// pattern matches nothing real.
/// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_variables.html
/// </summary>
internal static class PolicyVariables
{
    public static string Substitute(string text, RequestContext context)
    {
        if (!text.Contains("${", StringComparison.Ordinal))
        {
            return text;
        }
        var result = new StringBuilder(text.Length);
        var i = 0;
        while (i < text.Length)
        {
            var start = text.IndexOf("${", i, StringComparison.Ordinal);
            var end = start < 0 ? -1 : text.IndexOf('}', start);
            if (end < 0)
            {
                result.Append(text, i, text.Length - i);
                break;
            }
            result.Append(text, i, start - i);
            result.Append(Resolve(text[(start + 2)..end], context) ?? text[start..(end + 1)]);
            i = end + 1;
        }
        return result.ToString();
    }

    private static string? Resolve(string body, RequestContext context)
    {
        if (body is "*" or "?" or "$")
        {
            return body;
        }
        var comma = body.IndexOf(',');
        var key = (comma < 0 ? body : body[..comma]).Trim();
        var values = context.Get(key);
        if (values is { Count: > 0 })
        {
            return values[0];
        }
        if (comma < 0)
        {
            return null;
        }
        var fallback = body[(comma + 1)..].Trim();
        return fallback.Length >= 2 && fallback[0] == '\'' && fallback[^1] == '\'' ? fallback[1..^1] : null;
    }
}
