namespace PipelineKit.LocalPipeline;

using System.Net;
using PipelineKit.Aws;
using PipelineKit.Errors;

/// <summary>
/// The local pipeline run acts on the emulator and nowhere else: it assumes roles, writes artifacts and deploys stacks
/// with every action's credentials, and runs what the emulator holds. So before anything, every service it calls must
/// resolve to one endpoint, on this machine (a loopback address), that answers as the kit's emulator does. A per-service
/// variable (AWS_ENDPOINT_URL_STS, ...) pointing elsewhere, a proxy, or a VPC endpoint is refused.
/// </summary>
public static class EmulatorGuard
{
    /// <summary>The services a local run calls.</summary>
    public static readonly IReadOnlyList<string> Services =
        [AwsServiceIds.CloudFormation, AwsServiceIds.S3, AwsServiceIds.Sts, AwsServiceIds.Kms, AwsServiceIds.Iam, AwsServiceIds.Sns];

    /// <summary>Why a local run may not act on these endpoints, or null when every service is the one loopback endpoint.</summary>
    public static string? Refusal(AwsEndpoints endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        var resolved = Services.Select(s => (Service: s, Url: endpoints.Resolve(s))).ToArray();
        if (resolved.FirstOrDefault(r => r.Url is null) is { Service: { } } real && real.Url is null)
        {
            return $"{real.Service} would be AWS itself (no AWS_ENDPOINT_URL names an emulator for it)";
        }

        var urls = resolved.Select(r => r.Url!).Distinct(StringComparer.OrdinalIgnoreCase).ToArray();
        if (urls.Length > 1)
        {
            return "the services resolve to different endpoints (" + string.Join(", ", resolved.Select(r => $"{r.Service} {r.Url}")) +
                   "); a per-service AWS_ENDPOINT_URL_<SERVICE> must not point elsewhere";
        }

        return Uri.TryCreate(urls[0], UriKind.Absolute, out var uri) && (uri.IsLoopback || uri.Host == "localhost")
            ? null
            : $"{urls[0]} is not on this machine (a loopback address)";
    }

    /// <summary>Throws unless <see cref="Refusal"/> is null and the endpoint answers as moto does (GET /moto-api/).</summary>
    public static async Task EnsureAsync(AwsEndpoints endpoints, CancellationToken ct)
    {
        if (Refusal(endpoints) is { } reason) throw Refused(reason);
        var url = endpoints.Resolve(AwsServiceIds.CloudFormation)!.TrimEnd('/');
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        try
        {
            using var answer = await http.GetAsync(new Uri(url + "/moto-api/"), ct).ConfigureAwait(false);
            if (answer.StatusCode == HttpStatusCode.OK) return;
            throw Refused($"{url} answered {(int)answer.StatusCode} to GET /moto-api/, so it is not the kit's emulator");
        }
        catch (HttpRequestException e)
        {
            throw Refused($"{url} does not answer ({e.Message})");
        }
    }

    /// <summary>Before the first task: RunPipeline runs only against the emulator, so without --sandbox and without an emulator
    /// endpoint it stops before its prerequisites (CreatePipeline and the foundation) could deploy anything to AWS.</summary>
    public static void CheckTarget(string target, bool sandbox, AwsEndpoints endpoints)
    {
        if (target != "RunPipeline" || sandbox) return;
        if (Refusal(endpoints) is { } reason) throw Refused($"{reason}; nothing was deployed");
    }

    private static LocalPipelineException Refused(string reason) => new(ErrorCodes.LocalPipelineRefused.Code,
        $"The local pipeline run acts on the emulator only, and {reason}.",
        "run it with --sandbox (the kit starts its emulator), or with AWS_ENDPOINT_URL naming the kit's emulator on this machine " +
        "(python3 build/PipelineKit/Sandbox/moto_sandbox.py -H 127.0.0.1 -p 5000). On AWS, ./build.sh DeploySampleApp hands the source to the real pipeline.");
}
