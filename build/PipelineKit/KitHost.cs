namespace PipelineKit;

using Amazon.Runtime;
using PipelineKit.Naming;
using PipelineKit.Accounts;
using PipelineKit.Aws;
using PipelineKit.Configuration;
using PipelineKit.Deployment;
using PipelineKit.Errors;
using PipelineKit.Messages;
using PipelineKit.Orchestration;
using PipelineKit.Pipeline;
using PipelineKit.Planning;
using PipelineKit.Reporting;
using PipelineKit.SampleApp;
using PipelineKit.Sandbox;
using PipelineKit.Teardown;
using PipelineKit.Verification;
using PipelineKit.LocalPipeline;
using Serilog.Core;

/// <summary>
/// The kit's entry point for build.cake, the buildspecs and the tests. One host serves every target
/// Cake runs in a process: configuration is validated and every account verified once, before the
/// first stack is touched; results of earlier targets feed later ones.
/// </summary>
public sealed class KitHost : IDisposable
{

    private readonly Func<string, string?> environment;
    private readonly TextWriter console;
    private readonly KitMessages messages;
    private readonly PipelineConfigSource configuration;
    private readonly TimeProvider time;
    private readonly Dictionary<string, StackResult> results = new(StringComparer.Ordinal);
    private readonly Interruption interruption;
    private readonly TargetChain chain;
    private Engine? engine;
    private NestedRun? nested;
    private Logger? log;
    private LogFileMessages? logFile;
    private IDisposable? logFileAttached;

    private KitHost(KitOptions options, Func<string, string?> environment, TextWriter console, TimeProvider time)
    {
        Options = options;
        this.environment = environment;
        this.console = console;
        messages = new KitMessages(new ConsoleMessageView(console));
        configuration = new PipelineConfigSource(options.ConfigPath, options.Sandbox, options.Profile, environment, messages);
        this.time = time;
        interruption = new Interruption(messages, listen: ReferenceEquals(console, Console.Out));
        chain = new TargetChain(messages, CallLog);
    }

    public KitOptions Options { get; }

    /// <summary>Every AWS call made by this host's clients (empty before the first target runs).</summary>
    public AwsCallLog CallLog { get; } = new();

    /// <summary>The endpoint every client uses, when not real AWS (the sandbox's emulator or AWS_ENDPOINT_URL).</summary>
    public string? EndpointUrl => engine?.Endpoints.Resolve("CloudFormation");

    public static KitHost Create(string repositoryRoot, Func<string, string?> argument, Func<string, string?> environment) =>
        Create(repositoryRoot, argument, environment, Console.Out, TimeProvider.System);

    /// <summary>The host for build.cake: options from the process's command line (see <see cref="KitOptions.FromCommandLine"/>).</summary>
    public static KitHost Create(string repositoryRoot, IReadOnlyList<string> commandLine, Func<string, string?> environment) =>
        Create(KitOptions.OrConfigurationError(() => KitOptions.FromCommandLine(repositoryRoot, commandLine, environment(KitOptions.CallerDirectoryVariable))), environment, Console.Out, TimeProvider.System);

    public static KitHost Create(string repositoryRoot, Func<string, string?> argument, Func<string, string?> environment,
        TextWriter console, TimeProvider time) =>
        Create(KitOptions.OrConfigurationError(() => KitOptions.Parse(repositoryRoot, argument, environment(KitOptions.CallerDirectoryVariable))), environment, console, time);

    private static KitHost Create(KitOptions options, Func<string, string?> environment, TextWriter console, TimeProvider time) =>
        new(options, environment, console, time);

    /// <summary>A host inside a local pipeline's build (InProcessKitCommands): the build role's credentials, the run's CodePipeline.</summary>
    internal static KitHost CreateNested(KitOptions options, Func<string, string?> environment, TextWriter console, TimeProvider time, NestedRun run) =>
        new(options, environment, console, time) { nested = run };

    /// <summary>Runs a target: its stacks in one graph, as parallel as dependencies allow. Throws when a stack failed.</summary>
    public void Run(KitTarget target) => RunAsync(target).GetAwaiter().GetResult();

    public Task<IReadOnlyList<(StackRef Ref, StackResult Result)>> RunAsync(KitTarget target, CancellationToken ct = default) =>
        Guarded(() => RunTargetAsync(target, ct));

    /// <summary>Runs the unit, integration and template tests and prints one closing line of counts.</summary>
    public void Test() => TestRunner.Run(Options.RepositoryRoot, messages, TestCoverage.IsRequested(Options.Coverage));

    /// <summary>Builds, tests and zips the sample app; writes its template and per-environment parameter files to artifacts/sample-app.</summary>
    public void Package() => Guarded(() => SamplePackager.PackageAsync(Options.RepositoryRoot, configuration.Load(needsCredentials: false),
        AppVersionStamp.Resolve(Options.RepositoryRoot, environment), messages, interruption.Token)).GetAwaiter().GetResult();

    /// <summary>Package, then put the function's zip where every environment's parameter file points (the artifact bucket of
    /// its region, content-addressed), with the build account's credentials. The pipeline's build stage runs this: the deploy
    /// stages read the parameter files, and Lambda reads the code from there.</summary>
    public void PublishSampleApp() => Guarded(async () =>
    {
        var run = engine ??= await StartAsync(interruption.Token, buildAccountOnly: true, resolveUnits: false).ConfigureAwait(false);
        await run.Lock.HoldAsync(nameof(PublishSampleApp), interruption.Token).ConfigureAwait(false);
        await SamplePublisher.PackageAndPublishAsync(Options.RepositoryRoot, run.Config, AppVersionStamp.Resolve(Options.RepositoryRoot, environment),
            run.Sessions, run.Factory, messages, interruption.Token).ConfigureAwait(false);
        return true;
    }).GetAwaiter().GetResult();

    /// <summary>SmokeTest --environment NAME: the sample app's smoke test against that environment's deployment (SampleApp/SmokeTestTarget).
    /// The pipeline's smoke-test action passes what to test in variables; otherwise outputs.json or the stack say it.</summary>
    public void SmokeTest() => Guarded(async () =>
    {
        var config = configuration.Load(needsCredentials: false);
        var emulated = Options.Sandbox || !string.IsNullOrEmpty(environment("AWS_ENDPOINT_URL"));
        await SmokeTestTarget.RunAsync(Options.RepositoryRoot, Options.ArtifactsDirectory, config, Options.Environment, environment, emulated,
            async (env, ct) =>
            {
                var run = engine ??= await StartAsync(ct, buildAccountOnly: true, resolveUnits: false).ConfigureAwait(false);
                return await SmokeTestTarget.FromAccounts(run.Config, run.Sessions, run.Factory)(env, ct).ConfigureAwait(false);
            }, messages, interruption.Token).ConfigureAwait(false);
        return true;
    }).GetAwaiter().GetResult();

    /// <summary>Rollback --environment NAME [--direct]: that environment back on its previous successful deployment (RollbackTarget).</summary>
    public void Rollback() => Guarded(() => RollbackTarget.RunAsync(async ct => engine ??= await StartAsync(ct, buildAccountOnly: true).ConfigureAwait(false),
        Options, configuration.Load(needsCredentials: false), time, messages, interruption.Token)).GetAwaiter().GetResult();

    /// <summary>SecurityCheck --environment NAME: the security gate's check of that environment's change set (run by the
    /// pipeline's SecurityCheck action; see Planning/SecurityCheck). Approves the security approval of the run named by
    /// PIPELINE_EXECUTION_ID when nothing widens, else sends the diff to the pipeline's topic.</summary>
    public void SecurityCheck() => Guarded(async () =>
    {
        SecurityCheckRun.Find(configuration.Load(needsCredentials: false), Options.Environment);
        var run = engine ??= await StartAsync(interruption.Token, buildAccountOnly: true, resolveUnits: false).ConfigureAwait(false);
        var result = await SecurityCheckRun.RunAsync(run.Config, Options.Environment, environment("PIPELINE_EXECUTION_ID"), run.Sessions, run.Factory,
            Options.ArtifactsDirectory, time, interruption.Token).ConfigureAwait(false);
        messages.Report(MessageCodes.SecurityCheckReport, result.Diff +
            (result.Approved ? "Security approval given: nothing widens." : result.Notified ? "Security approval left waiting; the diff was sent to the pipeline's topic." : "Security approval not given (no pipeline run named)."));
        return true;
    }).GetAwaiter().GetResult();

    /// <summary>The process exit code build.cake ends with when no exception ended the run: 0, or
    /// <see cref="ExitCodes.ChangesPending"/> after a Plan that found changes pending.</summary>
    public int ExitCode { get; private set; }

    /// <summary>Plan: what BootstrapAll would change in every account and region, mutating nothing but change sets it
    /// creates, describes and deletes. Writes artifacts/plan.json and artifacts/plan.md.</summary>
    public void Plan() => PlanAsync().GetAwaiter().GetResult();

    public Task<PlanReport> PlanAsync(CancellationToken ct = default) => Guarded(async () =>
    {
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(ct, interruption.Token);
        var run = engine ??= await StartAsync(linked.Token).ConfigureAwait(false);
        var context = new PlanContext(run.Config, run.Plan, run.Sessions, run.Factory, run.Deployer, run.Observer, Options.Parallelism, time, run.Describe());
        var (report, exitCode) = await PlanTarget.RunAsync(context, Options.RepositoryRoot, Options.ArtifactsDirectory, CallLog, messages, linked.Token)
            .ConfigureAwait(false);
        ExitCode = exitCode;
        return report;
    });

    /// <summary>Verify: reads what is deployed and proves it works (Verification/VerifyTarget); fails when a check fails.</summary>
    public void Verify() => Guarded(async () =>
    {
        var run = engine ??= await StartAsync(interruption.Token, buildAccountOnly: true).ConfigureAwait(false);
        var context = new VerifyContext(run.Config, run.Plan, run.Sessions, run.Factory, EndpointUrl is not null, time, run.Describe());
        return await VerifyTarget.RunAsync(context, Options.RepositoryRoot, Options.ArtifactsDirectory, CallLog, messages, interruption.Token).ConfigureAwait(false);
    }).GetAwaiter().GetResult();

    /// <summary>Deletes every stack, bucket and key the kit created for the pipeline (see Teardown/Destroyer); without --yes
    /// it only lists them. Throws when it refused or something failed.</summary>
    public void Destroy() => DestroyAsync().GetAwaiter().GetResult();

    public Task<DestroyOutcome> DestroyAsync(CancellationToken ct = default) => Guarded(async () =>
    {
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(ct, interruption.Token);
        var run = engine ??= await StartAsync(linked.Token).ConfigureAwait(false);
        if (Options.Yes) await run.Lock.HoldAsync(nameof(Destroy), linked.Token).ConfigureAwait(false);
        return await DestroyTarget.RunAsync(run.Config, run.Plan, run.Sessions, run.Factory, EndpointUrl is not null, run.Observer, Options.Parallelism,
            time, new DestroySettings(Options.Yes, Options.KeepData, Options.KeyDeletionDays, run.Lock.ReleaseAsync), CallLog, messages, linked.Token,
            () => (run.Lock.Calls, run.Lock.Writes)).ConfigureAwait(false);
    });

    public void Dispose()
    {
        if (engine is not null)
        {
            engine.Lock.DisposeAsync().AsTask().GetAwaiter().GetResult();
            engine.Factory.Dispose();
            if (engine.Moto is not null) SandboxEmulator.StopAsync(engine.Moto, messages).GetAwaiter().GetResult();
        }

        logFileAttached?.Dispose();
        log?.Dispose();
        interruption.Dispose();
    }

    /// <summary>What ends a target (classed by <see cref="Interruption.Classify"/>) goes into the log file with its code.</summary>
    private async Task<T> Guarded<T>(Func<Task<T>> run)
    {
        try
        {
            return await run().ConfigureAwait(false);
        }
        catch (Exception e)
        {
            var failure = interruption.Classify(e);
            logFile?.Failed(failure);
            if (engine is not null) await engine.Lock.ReleaseAsync().ConfigureAwait(false);
            if (ReferenceEquals(failure, e)) throw;
            throw failure;
        }
    }

    private async Task<IReadOnlyList<(StackRef Ref, StackResult Result)>> RunTargetAsync(KitTarget target, CancellationToken ct)
    {
        using var started = CancellationTokenSource.CreateLinkedTokenSource(ct, interruption.Token);
        var run = engine ??= await StartAsync(started.Token).ConfigureAwait(false);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(started.Token, run.Lock.Lost);
        if (target == KitTarget.DeploySampleApp && !Options.Direct) ReportChain(run);
        if (target == KitTarget.DeploySampleApp && !Options.Direct && Options.Sandbox)
        {
            // The sandbox has no CodePipeline: the pipeline runs locally, from its deployed template (LocalPipeline).
            await run.Lock.ReleaseAsync().ConfigureAwait(false);
            var delivered = await LocalPipelineTarget.DeliverAsync(Local(run), Options.AutoApprove, linked.Token).ConfigureAwait(false);
            WriteOutputs(run.Config.Name, delivered);
            return delivered;
        }

        if (target == KitTarget.DeploySampleApp && !Options.Direct)
        {
            // Not a stack graph: the pipeline deploys; the kit hands it the source, follows the run and reads the app stacks.
            // The lock is let go first: the pipeline's own stages run locking targets (CreatePipeline, PublishSampleApp).
            await run.Lock.ReleaseAsync().ConfigureAwait(false);
            var delivered = await PipelineDeliveryTarget.RunAsync(Options.RepositoryRoot, run.Config, run.Sessions, run.Factory,
                run.Endpoints.Resolve(AwsServiceIds.CodePipeline) is not null, time, messages, linked.Token).ConfigureAwait(false);
            WriteOutputs(run.Config.Name, delivered);
            return delivered;
        }

        var nodes = await NodesAsync(run, target, linked.Token).ConfigureAwait(false);
        // A first deploy of the pipeline: it is synthesized while the foundation deploys, not after it.
        if (nodes.Any(n => n.Key == FoundationPlan.PipelineKey)) SynthesisCache.Start(run.Config, Path.Combine(Options.ArtifactsDirectory, "pipeline"), environment);
        await run.Sessions.VerifyAsync(nodes.Select(n => n.Ref.Location.AccountId).Where(a => a != run.Config.Build.Account), linked.Token)
            .ConfigureAwait(false);
        IReadOnlyList<(StackRef Ref, StackResult Result)> outcome;
        chain.Starting(run.Lock);
        // Counted in the summary: on the emulator it may create the repository.
        if (nodes.Any(n => n.Ref.Key == FoundationPlan.SourceKey))
            await SourceRepositoryCheck.RunAsync(run.Config, run.Sessions, run.Factory, Options.Sandbox, messages, linked.Token).ConfigureAwait(false);
        nodes = await run.Lock.GuardAsync(target, nodes, linked.Token).ConfigureAwait(false);
        using (var live = run.Interactive ? new LiveConsoleView(console, time, ConsoleCapabilities.WindowWidth()) : null)
        {
            var observer = live is null ? run.Observer : new CompositeObserver(run.Observer, live);
            outcome = await new DagRunner(Options.Parallelism, time, observer).RunAsync(nodes, results, linked.Token).ConfigureAwait(false);
        }

        foreach (var (stackRef, result) in outcome) results[stackRef.Key] = result;

        // One summary per invocation: a prerequisite Cake runs before the named target adds its stacks to the chain.
        var summary = chain.Add(target.ToString(), outcome);
        OutputsFile.Write(OutputsPath, run.Config.Name, outcome);
        var named = Options.Target is null || string.Equals(Options.Target, target.ToString(), StringComparison.OrdinalIgnoreCase);
        if (named || !summary.Succeeded) ReportChain(run);
        DirectDeployment.ReportUrls(messages, outcome);
        if (!summary.Succeeded) throw run.Lock.Failure() ?? summary.Failure(target.ToString(), interruption.Requested);
        if (target != KitTarget.BootstrapAll || !Options.Sandbox || nested is not null) return outcome;

        // The sandbox's BootstrapAll ends with a release through the pipeline, run locally, approvals given automatically.
        ReportChain(run);
        await run.Lock.ReleaseAsync().ConfigureAwait(false);
        var apps = await LocalPipelineTarget.DeliverAsync(Local(run), autoApprove: true, linked.Token).ConfigureAwait(false);
        WriteOutputs(run.Config.Name, [.. outcome, .. apps]);
        return [.. outcome, .. apps];
    }

    /// <summary>RunPipeline: runs the deployed pipeline locally, against the emulator, on the source bucket's latest version (or the
    /// local checkout for a repository source), and follows it to its end.</summary>
    public void RunPipeline() => Guarded(async () =>
    {
        Finish();
        var run = engine ??= await StartAsync(interruption.Token, buildAccountOnly: true).ConfigureAwait(false);
        // The run's builds take the run lock themselves (PublishSampleApp, CreatePipeline): a target run before this one
        // in the same process (./build.sh RunPipeline runs CreatePipeline first) lets it go, as BootstrapAll's release does.
        await run.Lock.ReleaseAsync().ConfigureAwait(false);
        await LocalPipelineTarget.RunAsync(Local(run), Options.AutoApprove, interruption.Token).ConfigureAwait(false);
        return true;
    }).GetAwaiter().GetResult();

    private LocalRunInputs Local(Engine run) => new(Options, run.Config, run.Sessions, run.Factory, run.Endpoints, messages, time, run.Interactive);

    /// <summary>Before the first task (build.cake's Setup): RunPipeline without an emulator stops here (<see cref="EmulatorGuard.CheckTarget"/>).</summary>
    public void CheckTarget(string target) => EmulatorGuard.CheckTarget(target, Options.Sandbox, new AwsEndpoints(environment));

    /// <summary>The graph for a target; DeploySampleApp --direct deploys the app stacks as a graph of their own.</summary>
    private async Task<IReadOnlyList<StackNode>> NodesAsync(Engine run, KitTarget target, CancellationToken ct)
    {
        Task<IReadOnlyList<StackNode>> AppNodes(IReadOnlyList<string> after) => DirectDeployment.NodesAsync(
            Options.RepositoryRoot, Options.ArtifactsDirectory, AppVersionStamp.Resolve(Options.RepositoryRoot, environment), EndpointUrl is not null, run.Config, run.Sessions, run.Factory, run.Deployer, messages, after, ct);

        if (target == KitTarget.DeploySampleApp) return await AppNodes([]).ConfigureAwait(false);
        return run.Plan.For(target, results);
    }

    private string OutputsPath => Path.Combine(Options.ArtifactsDirectory, "outputs.json");

    private void WriteOutputs(string pipeline, IReadOnlyList<(StackRef Ref, StackResult Result)> stacks)
    {
        OutputsFile.Write(OutputsPath, pipeline, stacks);
        messages.Report(MessageCodes.OutputsWritten, $"Outputs: {Path.GetRelativePath(Options.RepositoryRoot, OutputsPath)}");
    }

    /// <summary>build.cake's teardown: the summary of stack targets that ran but were not reported (a chain cut short).</summary>
    public void Finish()
    {
        if (engine is not null) ReportChain(engine);
    }

    /// <summary>The one summary of the stack targets run since the last one (<see cref="TargetChain"/>), and where the outputs are.</summary>
    private void ReportChain(Engine run)
    {
        if (!chain.Pending) return;
        chain.Report($"{run.Config.Name} ({run.Describe()})", run.Lock);
        messages.Report(MessageCodes.OutputsWritten, $"Outputs: {Path.GetRelativePath(Options.RepositoryRoot, OutputsPath)}");
    }

    /// <param name="buildAccountOnly">The target touches the build account only (PublishSampleApp): target accounts are not checked.</param>
    /// <param name="resolveUnits">False for the hosts the pipeline's build, smoke-test and security-check projects run (PublishSampleApp,
    /// SmokeTest, SecurityCheck: an account's environment only): they need no unit's accounts, and their roles may not list the organization.</param>
    private async Task<Engine> StartAsync(CancellationToken ct, bool buildAccountOnly = false, bool resolveUnits = true)
    {
        // 1. Input, before any AWS call.
        var config = configuration.Load();
        GrantLimits.Check(config);
        var interactive = ReferenceEquals(console, Console.Out) && ConsoleCapabilities.IsInteractive();
        var log = StartLog(interactive);

        return await Engine.StartAsync(new EngineInputs(config, Options, environment, messages, CallLog, time, nested, log, interactive),
            buildAccountOnly, ct, resolveUnits).ConfigureAwait(false);
    }

    /// <summary>One log file per host, kept until the host is disposed, so a failure to start is recorded in it too; from
    /// here on every message goes to it as well.</summary>
    private Logger StartLog(bool interactive)
    {
        if (log is not null) return log;
        log = KitLogging.Create(Path.Combine(Options.ArtifactsDirectory, "logs"), interactive);
        logFile = new LogFileMessages(log);
        logFileAttached = messages.Attach(logFile);
        return log;
    }
}
