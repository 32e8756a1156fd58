namespace PipelineKit.SampleApp;

using Amazon.Runtime;
using PipelineKit.Accounts;
using PipelineKit.Aws;
using PipelineKit.Configuration;
using PipelineKit.Errors;
using PipelineKit.Messages;
using PipelineKit.Naming;
using PipelineKit.Reporting;

/// <summary>
/// The credentials DeploySampleApp --direct acts with: the build account's NAME-deployer role, the one principal besides
/// the pipeline's own role that the target accounts' action roles trust. The build credentials as they are when they are
/// a session of it already, else that role assumed from them (a role or user pipeline.json lists under "deployers").
/// </summary>
public static class DeployerCredentials
{
    public static async Task<AWSCredentials> ResolveAsync(
        PipelineConfig config, AWSCredentials build, ISecurityTokens buildTokens, IKitMessages messages, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(buildTokens);
        ArgumentNullException.ThrowIfNull(messages);
        var caller = await buildTokens.GetCallerIdentityAsync(ct).ConfigureAwait(false);
        if (SampleAppPlan.IsDeployerSession(config, caller.Arn)) return build;

        var roleArn = KitNames.RoleArn(config.Partition, config.Build.Account, KitNames.DeployerRole(config.Name));
        if (config.Deployers.Count == 0)
        {
            throw new KitRunFailedException(ErrorCodes.DeployerRoleMissing,
                $"DeploySampleApp --direct acts as {roleArn}, which {Path.GetFileName(config.SourceFile)} does not create: list the " +
                $"roles or users that may use it under \"deployers\" (these credentials are {caller.Arn}: name the role or user behind " +
                "them), run ./build.sh BootstrapPrimary, and " +
                "try again; or deliver through the pipeline: ./build.sh DeploySampleApp without --direct.");
        }

        var assumed = new AssumedRoleCredentials(buildTokens, roleArn, "pipelinekit-direct");
        try
        {
            // At once, so that credentials the role refuses stop the run before anything is uploaded.
            _ = await assumed.GetCredentialsAsync().ConfigureAwait(false);
        }
        catch (AmazonServiceException e)
        {
            throw new KitRunFailedException(ErrorCodes.DeployerRoleRefused,
                $"DeploySampleApp --direct acts as {roleArn} (created by BootstrapPrimary), the one build-account role besides the " +
                $"pipeline's own that the target accounts' {KitNames.PipelineActionRole(config.Name)} roles trust; {caller.Arn} " +
                $"may not assume it ({e.ErrorCode}: {e.Message}). Run it with credentials allowed sts:AssumeRole on that role, or " +
                "deliver through the pipeline: ./build.sh DeploySampleApp without --direct.", inner: e);
        }

        messages.Report(MessageCodes.SampleAppActingAsDeployer, $"DeploySampleApp --direct: acting as {roleArn}, assumed from {caller.Arn}.");
        return assumed;
    }
}
