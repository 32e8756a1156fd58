namespace PipelineKit.SampleApp;

using Amazon.S3;
using PipelineKit.Accounts;
using PipelineKit.Aws;
using PipelineKit.Configuration;
using PipelineKit.Messages;

/// <summary>
/// PublishSampleApp: puts the function's zip where every environment's parameter file points (the artifact bucket of
/// its region, content-addressed, checked by S3's SHA-256), then writes the object version it checked into each
/// parameter file, so the deploy stages deploy exactly that version. The pipeline's build stage runs this.
/// </summary>
public static class SamplePublisher
{
    /// <summary>Package, then publish with the build account's credentials (the pipeline's build project's role there).</summary>
    public static async Task PackageAndPublishAsync(
        string repositoryRoot, PipelineConfig config, string appVersion, IAccountSessions sessions, IAwsClientFactory clients, IKitMessages messages,
        CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(sessions);
        ArgumentNullException.ThrowIfNull(clients);
        var package = await SamplePackager.PackageAsync(repositoryRoot, config, appVersion, messages, ct).ConfigureAwait(false);
        var build = await sessions.BuildAsync(ct).ConfigureAwait(false);
        await PublishAsync(config, package, region => clients.S3(build.Credentials, region), messages, ct).ConfigureAwait(false);
    }

    public static async Task PublishAsync(
        PipelineConfig config, SamplePackage package, Func<string, IAmazonS3> s3InRegion, IKitMessages messages, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(package);
        var places = config.Environments
            .Select(e => (e.Region, Parameters: SampleAppPlan.ReadParameterFile(package.ParameterFiles[e.Name]).Parameters))
            .DistinctBy(p => (p.Region, p.Parameters["CodeBucket"], p.Parameters["CodeKey"]));
        var versions = new Dictionary<(string Bucket, string Key), string?>();
        foreach (var (region, parameters) in places)
        {
            var stored = await SampleAppPlan.PutCodeAsync(s3InRegion(region), parameters, package.ZipPath, ct).ConfigureAwait(false);
            if (stored.Replaced)
            {
                messages.Report(MessageCodes.SampleAppCodeReplaced, SampleAppPlan.ReplacedNotice(parameters));
            }
            else
            {
                messages.Report(MessageCodes.SampleAppCodeStored,
                    $"Sample app: s3://{parameters["CodeBucket"]}/{parameters["CodeKey"]} {(stored.Uploaded ? "uploaded" : "already there")}.");
            }

            versions[(parameters["CodeBucket"], parameters["CodeKey"])] = stored.VersionId;
        }

        foreach (var environment in config.Environments)
        {
            var path = package.ParameterFiles[environment.Name];
            var parameters = SampleAppPlan.ReadParameterFile(path).Parameters;
            var version = versions[(parameters["CodeBucket"], parameters["CodeKey"])];
            await File.WriteAllTextAsync(path, SampleParameterFiles.Render(config, environment,
                new SampleCodeLocation(parameters["CodeBucket"], parameters["CodeKey"], version), package.AppVersion), ct).ConfigureAwait(false);
        }
    }
}
