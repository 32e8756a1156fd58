namespace PipelineKit;

using Amazon.Runtime;
using PipelineKit.Accounts;
using PipelineKit.Aws;
using PipelineKit.Configuration;
using PipelineKit.Deployment;
using PipelineKit.Messages;
using PipelineKit.Naming;
using PipelineKit.Orchestration;
using PipelineKit.Pipeline;
using PipelineKit.Reporting;
using PipelineKit.Sandbox;
using Serilog.Core;

/// <summary>What a host starts its engine from: the validated configuration, the options, and the host's own services.</summary>
/// <param name="Nested">Set for a host inside a local pipeline's build: its credentials and CodePipeline API.</param>
internal sealed record EngineInputs(
    PipelineConfig Config,
    KitOptions Options,
    Func<string, string?> Environment,
    IKitMessages Messages,
    AwsCallLog CallLog,
    TimeProvider Time,
    NestedRun? Nested,
    Logger Log,
    bool Interactive);

/// <summary>
/// A host's engine, started once per process before its first target: where AWS is (the sandbox's emulator, an endpoint, or
/// AWS), the clients, every account's session (checked before anything is deployed), the deployer, the foundation's plan
/// and the run lock.
/// </summary>
internal sealed record Engine(
    PipelineConfig Config,
    FoundationPlan Plan,
    AccountSessions Sessions,
    StackDeployer Deployer,
    IDeploymentObserver Observer,
    AwsClientFactory Factory,
    AwsEndpoints Endpoints,
    MotoServer? Moto,
    bool Interactive,
    HostRunLock Lock)
{
    /// <summary>The organizational units of the configuration, resolved (null when it names none).</summary>
    public ResolvedUnits? Units { get; init; }

    /// <summary>The credentials moto accepts; they act in its default account, 123456789012.</summary>
    private static readonly AWSCredentials SandboxCredentials = new BasicAWSCredentials("testing", "testing");

    /// <summary>Where this engine acts, for the summary's heading: the sandbox's emulator, an endpoint, or the build account.</summary>
    public string Describe() =>
        Moto is not null ? $"sandbox, emulator at {Moto.Url}"
        : Endpoints.Resolve(AwsServiceIds.CloudFormation) is { } url ? $"endpoint {url}"
        : $"build account {Config.Build.Account}";

    /// <param name="buildAccountOnly">The target touches the build account only: target accounts are not checked.</param>
    /// <param name="resolveUnits">False: environments of organizational units stay unresolved (no Organizations call).</param>
    public static async Task<Engine> StartAsync(EngineInputs inputs, bool buildAccountOnly, CancellationToken ct, bool resolveUnits = true)
    {
        var (config, options, environment, messages, callLog, time, nested, log, interactive) = inputs;
        // 2. Where AWS is: the emulator for --sandbox (unless AWS_ENDPOINT_URL names one already), else the environment.
        var moto = options.Sandbox && nested is null && string.IsNullOrEmpty(environment("AWS_ENDPOINT_URL"))
            ? await SandboxEmulator.StartAsync(messages, ct).ConfigureAwait(false)
            : null;
        var endpoints = new AwsEndpoints(environment, moto?.Url ?? nested?.EndpointUrl);
        var factory = new AwsClientFactory(endpoints, callLog, new AwsRetryMessages(messages).Report)
        {
            CodePipelineOverride = nested is null ? null : (_, _) => nested.Pipeline,
            Gate = nested?.Gate,
        };
        try
        {
            var sessions = new AccountSessions(config, options.Profile,
                (credentials, region) => new SecurityTokens(factory.SecurityTokenService(credentials, region)),
                environment, nested?.Credentials ?? (options.Sandbox ? SandboxCredentials : null));
            ResolvedUnits? units = null;
            if (config.HasOrganizationalUnits && !config.IsResolved && resolveUnits)
            {
                // Environments of organizational units: their accounts, found with the build account's credentials.
                var build = await sessions.BuildAsync(ct).ConfigureAwait(false);
                units = await new OrganizationalUnits(factory.Organizations(build.Credentials), messages).ResolveAsync(config, ct).ConfigureAwait(false);
                config = units.Config;
                GrantLimits.Check(config);
                sessions = sessions.WithConfig(config);
            }

            // 3. Who we are, in every account, before anything is deployed.
            await CredentialCheck.RunAsync(config, sessions, options.Exclusive || buildAccountOnly, messages, ct).ConfigureAwait(false);

            var emulated = endpoints.Resolve("CloudFormation") is not null;
            // The run lock watches the deployer's events on a first bootstrap (FirstDeployGate).
            var runLock = new HostRunLock(config, sessions, factory, options, time, messages, emulated ? PollingPolicy.Emulator : PollingPolicy.Default);
            var observer = new CompositeObserver(new PlainLineView(log), runLock);
            // Bucket names as foundation.yaml makes them; the build session resolves on first upload.
            var templates = new S3TemplateStore(config.Build.Account,
                async (region, token) => factory.S3((await sessions.BuildAsync(token).ConfigureAwait(false)).Credentials, region),
                region => KitNames.ArtifactBucket(config, region),
                endpoints.Resolve(AwsServiceIds.S3));
            var deployer = new StackDeployer(time, emulated ? PollingPolicy.Emulator : PollingPolicy.Default, observer, templates, new(new AwsExistingResources(factory, sessions), messages));
            var plan = new FoundationPlan(config, async (location, token) =>
            {
                var session = await sessions.ForAccountAsync(location.AccountId, token).ConfigureAwait(false);
                return factory.CloudFormation(session.Credentials, location.Region);
            }, deployer,
            // Synthesized only when an input changed (Pipeline/SynthesisCache): a no-op run starts neither node nor the CDK.
            outputs => SynthesisCache.TemplateBody(config, outputs, Path.Combine(options.ArtifactsDirectory, "pipeline"), environment))
            {
                // The target roles of organizational units: stack sets of the build account, in the build region.
                UnitRoles = units is null ? null : new UnitRoleSets(
                    async token => factory.CloudFormationStackSets((await sessions.BuildAsync(token).ConfigureAwait(false)).Credentials, config.Build.Region),
                    units.CallAs, new StackSetDeployer(time, emulated ? PollingPolicy.Emulator : PollingPolicy.Default, messages)),
            };

            return new Engine(config, plan, sessions, deployer, observer, factory, endpoints, moto, interactive, runLock) { Units = units };
        }
        catch
        {
            factory.Dispose();
            if (moto is not null) await moto.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }
}
