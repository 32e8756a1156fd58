namespace PipelineKit.SampleApp;

using System.Collections.Concurrent;
using Amazon.Runtime;
using PipelineKit.Accounts;
using PipelineKit.Aws;
using PipelineKit.Configuration;
using PipelineKit.Deployment;
using PipelineKit.Messages;
using PipelineKit.Orchestration;

/// <summary>
/// DeploySampleApp --direct, and the end of the sandbox's BootstrapAll: package the app (its tests must pass first), act
/// as the build account's deployer role, and deploy each environment's app stack through the target's pipeline action
/// role, as the pipeline itself would, and smoke-test each environment after its deployment (<see cref="SampleSmokeTest"/>).
/// Afterwards, each environment's ApiUrl.
/// </summary>
public static class DirectDeployment
{
    /// <summary>One node per environment (see <see cref="SampleAppPlan.Nodes"/>), after <paramref name="after"/>.</summary>
    /// <param name="appVersion">The version Package stamps (<see cref="AppVersionStamp"/>), which the smoke test expects.</param>
    /// <param name="emulated">On the emulator, which creates no HTTP API, the smoke test calls the handler in process.</param>
    public static async Task<IReadOnlyList<StackNode>> NodesAsync(
        string repositoryRoot,
        string artifactsDirectory,
        string appVersion,
        bool emulated,
        PipelineConfig config,
        IAccountSessions sessions,
        IAwsClientFactory clients,
        StackDeployer deployer,
        IKitMessages messages,
        IReadOnlyList<string> after,
        CancellationToken ct)
    {
        var package = await SamplePackager.PackageAsync(repositoryRoot, config, appVersion, messages, ct).ConfigureAwait(false);
        var build = await sessions.BuildAsync(ct).ConfigureAwait(false);
        var deployerCredentials = await DeployerCredentials.ResolveAsync(config, build.Credentials,
            new SecurityTokens(clients.SecurityTokenService(build.Credentials, config.Build.Region)), messages, ct).ConfigureAwait(false);
        var deployerTokens = new SecurityTokens(clients.SecurityTokenService(deployerCredentials, config.Build.Region));
        var roles = new ConcurrentDictionary<string, AWSCredentials>(StringComparer.Ordinal);
        var plan = new SampleAppPlan(config, package,
            (region, _) => Task.FromResult(clients.S3(deployerCredentials, region)),
            (location, roleArn, _) =>
            {
                // The pipeline's own chain: the deployer role assumes the target's pipeline action role.
                var credentials = roles.GetOrAdd(roleArn, arn => new AssumedRoleCredentials(deployerTokens, arn, $"pipelinekit-app-{location.AccountId}"));
                return Task.FromResult(clients.CloudFormation(credentials, location.Region));
            },
            deployer,
            messages,
            (environment, result, token) => SampleSmokeTest.RunAsync(repositoryRoot,
                SmokeTarget.FromOutputs(environment.Name, result.Outputs, package.AppVersion, $"stack {result.StackName}, just deployed"),
                emulated, Path.Combine(artifactsDirectory, "smoke-test"), messages, token));
        return plan.Nodes(after);
    }

    /// <summary>Each app stack of a run that succeeded, with its ApiUrl; nothing when the run deployed no app.</summary>
    public static void ReportUrls(IKitMessages messages, IReadOnlyList<(StackRef Ref, StackResult Result)> outcome)
    {
        ArgumentNullException.ThrowIfNull(messages);
        var apps = outcome.Where(o => o.Ref.Key.StartsWith(SampleAppPlan.KeyPrefix, StringComparison.Ordinal) && o.Result.Succeeded).ToList();
        if (apps.Count == 0) return;
        messages.Report(MessageCodes.SampleAppUrls, string.Join(Environment.NewLine, apps
            .Select(app => (app.Ref, Url: app.Result.Outputs.TryGetValue("ApiUrl", out var value) ? value
                : "no ApiUrl output (the emulator does not create HTTP APIs)"))
            .Select(app => $"  {app.Ref.Key[SampleAppPlan.KeyPrefix.Length..],-10} {app.Ref.StackName} in {app.Ref.Location}: {app.Url}")
            .Prepend("Sample app:")));
    }
}
