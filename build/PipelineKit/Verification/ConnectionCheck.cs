namespace PipelineKit.Verification;

using Amazon.Runtime;
using PipelineKit.Configuration;

/// <summary>A CodeStar connection source must be AVAILABLE: one made by CloudFormation or the CLI stays PENDING until
/// someone completes the handshake in the console, and the pipeline's source action fails until then.</summary>
internal static class ConnectionCheck
{
    public static async Task<IReadOnlyList<CheckFinding>> RunAsync(VerifyContext context, IReadOnlySet<string> reachable, CancellationToken ct)
    {
        if (context.Config.Source is not CodeStarConnectionSource { ConnectionArn: var arn }) return [];
        var build = context.Build;
        if (!reachable.Contains(build)) return [AccountChecks.Unreachable(VerifyChecks.Connection, build)];

        var region = arn.Split(':') is { Length: > 3 } parts && parts[3].Length > 0 ? parts[3] : context.Config.Build.Region;
        var subject = $"connection {arn}";
        try
        {
            var connections = context.Clients.CodeStarConnections(await context.CredentialsAsync(build, ct).ConfigureAwait(false), region);
            var connection = await connections.GetConnectionAsync(arn, ct).ConfigureAwait(false);
            return connection switch
            {
                null => [CheckFinding.Fail(VerifyChecks.Connection, build, subject,
                    $"does not exist in account {build}, {region}; create it in the Developer Tools console (Settings, Connections)")],
                { IsAvailable: true } => [CheckFinding.Pass(VerifyChecks.Connection, build, $"{subject} AVAILABLE")],
                _ => [CheckFinding.Fail(VerifyChecks.Connection, build, subject,
                    $"is {connection.Status}; complete the handshake in the Developer Tools console (Settings, Connections) before the pipeline runs")],
            };
        }
        catch (AmazonServiceException e) when (DriftChecks.IsNotOffered(e, context.Emulated))
        {
            return [CheckFinding.Skip(VerifyChecks.Connection, build, subject, "CodeStar connections: not offered by this endpoint")];
        }
        catch (AmazonServiceException e)
        {
            return [CheckFinding.Fail(VerifyChecks.Connection, build, subject, $"could not be read: {e.ErrorCode}: {e.Message}")];
        }
    }
}
