namespace PipelineKit.Pipeline;

using PipelineKit.Accounts;
using PipelineKit.Aws;
using PipelineKit.Configuration;
using PipelineKit.Deployment;
using PipelineKit.Messages;
using PipelineKit.Naming;
using PipelineKit.Reporting;
using PipelineKit.SampleApp;

/// <summary>
/// DeploySampleApp without --direct, as a target: package the sample app (its tests must pass before anything is
/// shipped), hand the repository to the pipeline's source with the build account's credentials, follow the run, and
/// read each environment's app stack in its own account (<see cref="PipelineDelivery"/>).
/// </summary>
/// <summary>A delivery to a pipeline run locally: its CodePipeline API, and how to follow it.</summary>
public sealed record LocalDelivery(ICodePipeline Pipeline, FollowSettings Follow, PollingPolicy Polling);

public static class PipelineDeliveryTarget
{
    /// <param name="emulated">CodePipeline is an emulator's: the follower polls at the emulator's pace.</param>
    /// <param name="local">A pipeline run locally (LocalPipeline): the follower follows it instead of AWS's, starts its run at once,
    /// and the sample app is not packaged first (the local build stage runs its tests and packages it).</param>
    /// <returns>The app stacks that exist after the run, as outputs.json entries.</returns>
    /// <exception cref="KitRunFailedException">The run failed, was stopped or superseded; the run's failure is inside.</exception>
    public static async Task<IReadOnlyList<(StackRef Ref, StackResult Result)>> RunAsync(
        string repositoryRoot,
        PipelineConfig config,
        IAccountSessions sessions,
        IAwsClientFactory clients,
        bool emulated,
        TimeProvider time,
        IKitMessages messages,
        CancellationToken ct,
        LocalDelivery? local = null)
    {
        if (local is null)
        {
            await SamplePackager.PackageAsync(repositoryRoot, config, AppVersionStamp.Resolve(repositoryRoot, Environment.GetEnvironmentVariable), messages, ct)
                .ConfigureAwait(false);
        }
        var build = await sessions.BuildAsync(ct).ConfigureAwait(false);
        var pipeline = local?.Pipeline ?? new RetryingCodePipeline(clients.CodePipeline(build.Credentials, config.Build.Region), time, messages);
        var follower = new PipelineFollower(pipeline, KitNames.Pipeline(config.Name),
            config.Build.Region, time, local?.Polling ?? (emulated ? PollingPolicy.Emulator : PollingPolicy.Default),
            new MessageLineWriter(messages, MessageCodes.PipelineProgress), local?.Follow);
        var delivery = new PipelineDelivery(config, repositoryRoot,
            _ => Task.FromResult(clients.S3(build.Credentials, config.Build.Region)),
            follower,
            async (environment, token) =>
            {
                var session = await sessions.ForAccountAsync(environment.Account, token).ConfigureAwait(false);
                return clients.CloudFormation(session.Credentials, environment.Region);
            },
            messages,
            local is null ? null : token => local.Pipeline.StartPipelineExecutionAsync(KitNames.Pipeline(config.Name), Guid.NewGuid().ToString(), token),
            emulated);
        try
        {
            var apps = await delivery.RunAsync(ct).ConfigureAwait(false);
            return [.. apps.Select(app => app.AsOutputsEntry()).OfType<(StackRef, StackResult)>()];
        }
        catch (PipelineRunFailedException e)
        {
            throw new KitRunFailedException(e);
        }
    }
}
