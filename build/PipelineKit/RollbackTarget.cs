namespace PipelineKit;

using PipelineKit.Aws;
using PipelineKit.Configuration;
using PipelineKit.Deployment;
using PipelineKit.Messages;
using PipelineKit.Naming;
using PipelineKit.Orchestration;
using PipelineKit.Pipeline;
using PipelineKit.Reporting;
using PipelineKit.SampleApp;

/// <summary>
/// Rollback --environment NAME: puts one environment back on its previous successful deployment. By default through the
/// pipeline (CodePipeline's RollbackStage on the environment's deploy stage, followed to its end: <see cref="StageRollback"/>);
/// with --direct, by redeploying the app stack with the previous direct deployment (<see cref="DirectRollback"/>).
/// The environment is checked before any AWS call.
/// </summary>
internal static class RollbackTarget
{
    public static async Task<IReadOnlyList<(StackRef Ref, StackResult Result)>> RunAsync(Func<CancellationToken, Task<Engine>> start,
        KitOptions options, PipelineConfig config, TimeProvider time, IKitMessages messages, CancellationToken ct)
    {
        RollbackEnvironment.Find(config, options.Environment);
        if (!options.Direct && options.Sandbox)
        {
            throw new ConfigurationException([new ConfigurationError(null, "--direct",
                "is required in the sandbox: the emulator has no CodePipeline, and the local run of the pipeline rolls back no stage; " +
                "./build.sh Rollback --sandbox --environment NAME --direct redeploys the previous DeploySampleApp --direct")]);
        }

        var run = await start(ct).ConfigureAwait(false);
        if (options.Direct)
        {
            // It changes an app stack as DeploySampleApp --direct does, so it takes the same run lock.
            await run.Lock.HoldAsync("Rollback", ct).ConfigureAwait(false);
            var rolledBack = await DirectRollback.RunAsync(run.Config, options.Environment, run.Sessions, run.Factory, run.Deployer, messages, ct)
                .ConfigureAwait(false);
            DirectDeployment.ReportUrls(messages, [rolledBack]);
            return [rolledBack];
        }

        var build = await run.Sessions.BuildAsync(ct).ConfigureAwait(false);
        var pipeline = new RetryingCodePipeline(run.Factory.CodePipeline(build.Credentials, run.Config.Build.Region), time, messages);
        var emulated = run.Endpoints.Resolve(AwsServiceIds.CodePipeline) is not null;
        var follower = new PipelineFollower(pipeline, KitNames.Pipeline(run.Config.Name), run.Config.Build.Region, time,
            emulated ? PollingPolicy.Emulator : PollingPolicy.Default, new MessageLineWriter(messages, MessageCodes.PipelineProgress));
        await new StageRollback(run.Config, pipeline, KitNames.Pipeline(run.Config.Name), follower, messages).RunAsync(options.Environment, ct)
            .ConfigureAwait(false);
        return [];
    }
}
