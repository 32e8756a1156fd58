namespace PipelineKit.SampleApp;

using PipelineKit.Accounts;
using PipelineKit.Aws;
using PipelineKit.Configuration;
using PipelineKit.Deployment;
using PipelineKit.Errors;
using PipelineKit.Messages;
using PipelineKit.Naming;
using PipelineKit.Orchestration;
using PipelineKit.Reporting;

/// <summary>
/// Rollback --environment NAME --direct: redeploys the environment's app stack with the release before its current one
/// in <see cref="ReleaseHistory"/> (its parameters, the code object's key and version among them, its tags and template),
/// through DeploySampleApp --direct's role chain: the build account's deployer role, then the target's pipeline action
/// role, with the target's CloudFormation execution role as service role. The rolled-back release leaves the history,
/// so a second Rollback goes one further back, or says there is nothing left.
/// </summary>
public static class DirectRollback
{
    public static async Task<(StackRef Ref, StackResult Result)> RunAsync(PipelineConfig config, string? environmentName, IAccountSessions sessions,
        IAwsClientFactory clients, StackDeployer deployer, IKitMessages messages, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(sessions);
        ArgumentNullException.ThrowIfNull(clients);
        ArgumentNullException.ThrowIfNull(deployer);
        var environment = RollbackEnvironment.Find(config, environmentName);
        var build = await sessions.BuildAsync(ct).ConfigureAwait(false);
        var deployerCredentials = await DeployerCredentials.ResolveAsync(config, build.Credentials,
            new SecurityTokens(clients.SecurityTokenService(build.Credentials, config.Build.Region)), messages, ct).ConfigureAwait(false);
        var s3 = clients.S3(deployerCredentials, environment.Region);
        var bucket = KitNames.ArtifactBucket(config, environment.Region);
        IReadOnlyList<Release> releases;
        try
        {
            releases = await ReleaseHistory.ReadAsync(s3, bucket, environment.Name, ct).ConfigureAwait(false);
        }
        catch (System.Text.Json.JsonException e)
        {
            throw new KitRunFailedException(ErrorCodes.NothingToRollBack,
                $"Rollback of {environment.Name} --direct: s3://{bucket}/{ReleaseHistory.Key(environment.Name)} is not a record the kit wrote ({e.Message}).",
                "deploy a known version with ./build.sh DeploySampleApp --direct: it starts the record again", e);
        }

        if (releases.Count < 2)
        {
            throw new KitRunFailedException(ErrorCodes.NothingToRollBack,
                $"Rollback of {environment.Name} --direct: nothing to roll back to: s3://{bucket}/{ReleaseHistory.Key(environment.Name)} records " +
                (releases.Count == 0 ? "no direct deployment" : $"one direct deployment only (version {releases[0].AppVersion}, the current one)") + ".",
                "deploy a fixed version instead (./build.sh DeploySampleApp --direct); deployments through the pipeline roll back with ./build.sh Rollback without --direct");
        }

        var (current, target) = (releases[^1], releases[^2]);
        messages.Report(MessageCodes.RollbackStarting,
            $"Rollback of {environment.Name} --direct: version {current.AppVersion} -> {target.AppVersion} (code s3://{target.Parameters["CodeBucket"]}/" +
            $"{target.Parameters["CodeKey"]}{(target.Parameters.TryGetValue("CodeObjectVersion", out var version) ? $", version {version}" : "")}).");

        var location = new StackLocation(environment.Account, environment.Region);
        var stackRef = new StackRef(SampleAppPlan.KeyPrefix + environment.Name, SampleAppPlan.StackName(config, environment), location);
        var tokens = new SecurityTokens(clients.SecurityTokenService(deployerCredentials, config.Build.Region));
        var actionRole = new AssumedRoleCredentials(tokens, KitNames.PipelineActionRoleArn(config.Partition, config.Name, environment.Account), $"pipelinekit-app-{environment.Account}");
        var result = await deployer.DeployAsync(clients.CloudFormation(actionRole, environment.Region), stackRef, new StackDeployment(
            stackRef.StackName, location, target.Template, target.Parameters.ToDictionary(), target.Tags.ToDictionary(),
            TerminationProtection: false, StackDeployment.NamedIam, RoleArn: KitNames.ExecutionRoleArn(config.Partition, config.Name, environment.Account)), ct).ConfigureAwait(false);
        if (!result.Succeeded)
        {
            throw new KitRunFailedException(ErrorCodes.StackFailed,
                $"Rollback of {environment.Name} --direct: the app stack {stackRef.StackName} did not deploy version {target.AppVersion}: {result.Error}",
                result.NextStep);
        }

        await ReleaseHistory.WriteAsync(s3, bucket, environment.Name, releases.Take(releases.Count - 1).ToArray(), ct).ConfigureAwait(false);
        return (stackRef, result);
    }
}
