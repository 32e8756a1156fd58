namespace PipelineKit;

using Amazon.Runtime;
using PipelineKit.Accounts;
using PipelineKit.Aws;
using PipelineKit.Configuration;
using PipelineKit.LocalPipeline;
using PipelineKit.Messages;
using PipelineKit.Naming;
using PipelineKit.Orchestration;
using PipelineKit.Pipeline;
using PipelineKit.Reporting;
using PipelineKit.Deployment;

/// <summary>What a local pipeline run needs from its host.</summary>
/// <param name="Endpoints">Where each service is: the local run refuses to start unless all are the emulator (EmulatorGuard).</param>
internal sealed record LocalRunInputs(
    KitOptions Options,
    PipelineConfig Config,
    AccountSessions Sessions,
    AwsClientFactory Factory,
    AwsEndpoints Endpoints,
    IKitMessages Messages,
    TimeProvider Time,
    bool Interactive);

/// <summary>
/// The pipeline, run locally against the emulator: DeploySampleApp --sandbox and the end of BootstrapAll --sandbox (upload
/// the source, run, read the app stacks), and RunPipeline (run on the latest source). The pipeline is the one deployed: its
/// template is read back from the pipeline stack, so what runs is what CloudFormation was given.
/// </summary>
internal static class LocalPipelineTarget
{
    public static async Task<IReadOnlyList<(StackRef Ref, StackResult Result)>> DeliverAsync(LocalRunInputs inputs, bool autoApprove, CancellationToken ct)
    {
        var local = await StartAsync(inputs, autoApprove, ct).ConfigureAwait(false);
        try
        {
            return await PipelineDeliveryTarget.RunAsync(inputs.Options.RepositoryRoot, inputs.Config, inputs.Sessions, inputs.Factory, emulated: true,
                inputs.Time, inputs.Messages, ct, new LocalDelivery(local, Follow(inputs, autoApprove), Polling)).ConfigureAwait(false);
        }
        finally
        {
            await local.IdleAsync().ConfigureAwait(false);
            Finish(inputs);
        }
    }

    public static async Task RunAsync(LocalRunInputs inputs, bool autoApprove, CancellationToken ct)
    {
        await EmulatorGuard.EnsureAsync(inputs.Endpoints, ct).ConfigureAwait(false);
        if (await SourceMissingAsync(inputs, ct).ConfigureAwait(false) is { } missing)
        {
            inputs.Messages.Report(MessageCodes.LocalPipelineNotice, $"Local run: {missing} holds no source yet; uploading this checkout first, as DeploySampleApp does.");
            await DeliverAsync(inputs, autoApprove, ct).ConfigureAwait(false);
            return;
        }

        var local = await StartAsync(inputs, autoApprove, ct).ConfigureAwait(false);
        try
        {
            var name = KitNames.Pipeline(inputs.Config.Name);
            var follower = new PipelineFollower(local, name, inputs.Config.Build.Region, inputs.Time, Polling,
                new MessageLineWriter(inputs.Messages, MessageCodes.PipelineProgress), Follow(inputs, autoApprove));
            var execution = await local.StartPipelineExecutionAsync(name, Guid.NewGuid().ToString(), ct).ConfigureAwait(false);
            try
            {
                await follower.FollowAsync(execution, startedByKit: true, ct).ConfigureAwait(false);
            }
            catch (PipelineRunFailedException e)
            {
                throw new KitRunFailedException(e);
            }
        }
        finally
        {
            await local.IdleAsync().ConfigureAwait(false);
            Finish(inputs);
        }
    }

    /// <summary>The run's permission summary; the factory's calls are no longer checked once the run is over.</summary>
    private static void Finish(LocalRunInputs inputs)
    {
        if (inputs.Factory.Gate is LocalPermissionGate gate)
        {
            inputs.Messages.Report(MessageCodes.LocalPipelinePermissions, gate.Summary);
            inputs.Factory.Gate = null;
        }
    }

    /// <summary>The S3 source's object, as s3://bucket/key, when it has no version yet; null when it has one or the source is a repository.</summary>
    private static async Task<string?> SourceMissingAsync(LocalRunInputs inputs, CancellationToken ct)
    {
        if (inputs.Config.Source.UploadObjectKey is not { } key) return null;
        var bucket = KitNames.SourceBucket(inputs.Config);
        var build = await inputs.Sessions.BuildAsync(ct).ConfigureAwait(false);
        try
        {
            await S3SourceAction.LatestVersionAsync(inputs.Factory.S3(build.Credentials, inputs.Config.Build.Region), bucket, key, ct).ConfigureAwait(false);
            return null;
        }
        catch (ActionFailedException e) when (e.ErrorCode == S3SourceAction.MissingObject)
        {
            return $"s3://{bucket}/{key}";
        }
    }

    /// <summary>The run is in process: the follower looks every 100 ms at most, so its lines keep pace with the actions'.</summary>
    private static readonly PollingPolicy Polling = PollingPolicy.Emulator with { Max = TimeSpan.FromMilliseconds(100) };

    private static FollowSettings Follow(LocalRunInputs inputs, bool autoApprove) => new(TimeSpan.Zero, FollowSettings.Default.Deadline,
        autoApprove ? "approved by --auto-approve once the actions beside it have finished"
        : Answerable(inputs) ? "answer it on the terminal"
        : "no terminal to answer it: it fails once the actions beside it have finished (--auto-approve approves)");

    private static bool Answerable(LocalRunInputs inputs) => inputs.Interactive && !System.Console.IsInputRedirected;

    private static async Task<LocalCodePipeline> StartAsync(LocalRunInputs inputs, bool autoApprove, CancellationToken ct)
    {
        var config = inputs.Config;
        await EmulatorGuard.EnsureAsync(inputs.Endpoints, ct).ConfigureAwait(false);
        var endpointUrl = inputs.Endpoints.Resolve(AwsServiceIds.CloudFormation)!;

        var build = await inputs.Sessions.BuildAsync(ct).ConfigureAwait(false);
        var template = await DeployedTemplateAsync(inputs.Factory.CloudFormation(build.Credentials, config.Build.Region), config, ct).ConfigureAwait(false);
        var definition = PipelineDefinitionReader.Read(template, config.Build.Account, config.Build.Region);
        IApprovalDecider approver = autoApprove ? new AutoApprove(line => inputs.Messages.Report(MessageCodes.LocalPipelineNotice, line))
            : Answerable(inputs) ? new TerminalApprover(System.Console.In, line => inputs.Messages.Report(MessageCodes.LocalPipelineApproval, line))
            : new NoApprover();
        // Every call of the run's role chain is decided by the deployed policies before it is sent (the emulator evaluates no IAM).
        var gate = await LocalRunPermissions.ReadAsync(inputs, definition, ct).ConfigureAwait(false);
        inputs.Factory.Gate = gate;
        LocalCodePipeline? local = null;
        var commands = new DeferredKitCommands(() => new InProcessKitCommands(inputs.Options, local!, endpointUrl, inputs.Time, gate));
        local = LocalExecutors.Compose(new LocalComposition(definition, build.Credentials, inputs.Factory, endpointUrl,
            inputs.Options.RepositoryRoot, Path.Combine(inputs.Options.ArtifactsDirectory, "local-pipeline"), commands, approver,
            inputs.Options.FullBuild, inputs.Messages, inputs.Time), ct);
        inputs.Messages.Report(MessageCodes.LocalPipelineNotice, $"Local run of pipeline {definition.Name}: {definition.Stages.Count} stages " +
            $"({string.Join(", ", definition.Stages.Select(s => s.Name))}), from the deployed template of {KitNames.PipelineStack(config.Name)}; " +
            $"action logs in {Path.GetRelativePath(inputs.Options.RepositoryRoot, Path.Combine(inputs.Options.ArtifactsDirectory, "local-pipeline"))}.");
        if (StageRollbackNotice.For(definition) is { } notice) inputs.Messages.Report(MessageCodes.LocalPipelineNotice, notice);
        return local;
    }

    private static async Task<string> DeployedTemplateAsync(ICloudFormation cfn, PipelineConfig config, CancellationToken ct)
    {
        var stack = KitNames.PipelineStack(config.Name);
        if (await cfn.DescribeStackAsync(stack, ct).ConfigureAwait(false) is null)
        {
            throw new PipelineRunFailedException("PipelineNotFound",
                $"The pipeline stack {stack} does not exist in {config.Build.Account}/{config.Build.Region}. Next: run ./build.sh CreatePipeline --sandbox (or BootstrapAll --sandbox) first.");
        }

        return await cfn.GetTemplateBodyAsync(stack, ct).ConfigureAwait(false);
    }

    /// <summary>The kit commands need the local pipeline they run in, which needs them: made on first use.</summary>
    private sealed class DeferredKitCommands(Func<IKitCommands> create) : IKitCommands
    {
        private readonly Lazy<IKitCommands> commands = new(create);

        public Task<int> RunAsync(IReadOnlyList<string> arguments, string workingDirectory, IReadOnlyDictionary<string, string> environment,
            Action<string> output, CancellationToken ct) => commands.Value.RunAsync(arguments, workingDirectory, environment, output, ct);
    }
}
