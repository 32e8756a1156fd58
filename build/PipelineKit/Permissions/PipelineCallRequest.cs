namespace PipelineKit.Permissions;

/// <summary>Turns one entry, with its placeholders' values, into the <see cref="ExpectedCall"/> the evaluator takes.</summary>
internal static class PipelineCallRequest
{
    public static ExpectedCall Build(PipelineCallEntry entry, IReadOnlyDictionary<string, string?> values, string buildAccount)
    {
        string Fill(string text) => PipelineCallValues.Fill(text, values, entry);

        var principal = Principal(Fill(entry.By), values["partition"]!, entry);
        var resource = Fill(entry.Resource);
        var context = entry.Context.ToDictionary(
            c => Fill(c.Key), c => (IReadOnlyList<string>)c.Value.Select(Fill).ToArray(), StringComparer.OrdinalIgnoreCase);
        var request = new AccessRequest(principal, Fill(entry.Action), resource, ResourceAccount(resource, principal, buildAccount), context);
        return new ExpectedCall(request, entry.MustDeny, Fill(entry.Why), Fill(entry.Doc));
    }

    /// <summary>service:PRINCIPAL, or role:ACCOUNT:NAME where NAME may carry a path ("app/role").</summary>
    private static AccessPrincipal Principal(string by, string partition, PipelineCallEntry entry)
    {
        if (by.StartsWith("service:", StringComparison.Ordinal)) return AccessPrincipal.Service(by["service:".Length..]);
        var parts = by.Split(':', 3);
        try
        {
            return AccessPrincipal.Role($"arn:{partition}:iam::{parts[1]}:role/{parts[2]}");
        }
        catch (ArgumentException e)
        {
            throw new InvalidOperationException(entry.Problem($"\"by\" does not name a role: {e.Message}"), e);
        }
    }

    /// <summary>
    /// The account owning the resource: the one in its ARN. S3 ARNs carry none, and every bucket the pipeline uses is the
    /// build account's. Others without one (API Gateway's, "*") belong to the caller's account; a service principal has
    /// no account, and acts on the build account's resources there.
    /// </summary>
    private static string ResourceAccount(string resource, AccessPrincipal principal, string buildAccount)
    {
        var parts = resource.Split(':', 6);
        if (parts.Length == 6 && parts[0] == "arn")
        {
            if (parts[2] == "s3") return buildAccount;
            if (parts[4].Length > 0) return parts[4];
        }
        return principal.Account.Length > 0 ? principal.Account : buildAccount;
    }
}
