namespace PipelineKit;

using Amazon.Runtime;
using PipelineKit.Naming;
using PipelineKit.Accounts;
using PipelineKit.Aws;
using PipelineKit.Configuration;
using PipelineKit.Deployment;
using PipelineKit.Orchestration;
using PipelineKit.Pipeline;
using PipelineKit.Planning;
using PipelineKit.Reporting;
using PipelineKit.SampleApp;
using PipelineKit.Sandbox;
using Serilog;

/// <summary>
/// The kit's entry point for build.cake, the buildspecs and the tests. One host serves every target
/// Cake runs in a process: configuration is validated and every account verified once, before the
/// first stack is touched; results of earlier targets feed later ones.
/// </summary>
public sealed class KitHost : IDisposable
{
    /// <summary>The credentials moto accepts; they act in its default account, 123456789012.</summary>
    private static readonly AWSCredentials SandboxCredentials = new BasicAWSCredentials("testing", "testing");

    private readonly Func<string, string?> environment;
    private readonly TextWriter console;
    private readonly TimeProvider time;
    private readonly Dictionary<string, StackResult> results = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource cancel = new();
    private Engine? engine;

    private KitHost(KitOptions options, Func<string, string?> environment, TextWriter console, TimeProvider time)
    {
        Options = options;
        this.environment = environment;
        this.console = console;
        this.time = time;
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
        Create(KitOptions.FromCommandLine(repositoryRoot, commandLine), environment, Console.Out, TimeProvider.System);

    public static KitHost Create(string repositoryRoot, Func<string, string?> argument, Func<string, string?> environment,
        TextWriter console, TimeProvider time) =>
        Create(KitOptions.Parse(repositoryRoot, argument), environment, console, time);

    private static KitHost Create(KitOptions options, Func<string, string?> environment, TextWriter console, TimeProvider time)
    {
        var host = new KitHost(options, environment, console, time);
        if (ReferenceEquals(console, Console.Out))
        {
            Console.CancelKeyPress += host.OnCancelKeyPress;
        }

        return host;
    }

    /// <summary>Runs a target: its stacks in one graph, as parallel as dependencies allow. Throws when a stack failed.</summary>
    public void Run(KitTarget target) => RunAsync(target).GetAwaiter().GetResult();

    public async Task<IReadOnlyList<(StackRef Ref, StackResult Result)>> RunAsync(KitTarget target, CancellationToken ct = default)
    {
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(ct, cancel.Token);
        var run = engine ??= await StartAsync(linked.Token).ConfigureAwait(false);
        if (target == KitTarget.DeploySampleApp && !Options.Direct && !Options.Sandbox)
        {
            // Not a stack graph: the pipeline deploys; the kit hands it the source, follows the run and reads the app stacks.
            var delivered = await DeliverThroughPipelineAsync(run, linked.Token).ConfigureAwait(false);
            WriteOutputs(run.Config.Name, delivered);
            return delivered;
        }

        var nodes = await NodesAsync(run, target, linked.Token).ConfigureAwait(false);
        await run.Sessions.VerifyAsync(nodes.Select(n => n.Ref.Location.AccountId).Where(a => a != run.Config.Build.Account), linked.Token)
            .ConfigureAwait(false);

        IReadOnlyList<(StackRef Ref, StackResult Result)> outcome;
        var callsBefore = CallLog.Calls.Count;
        var mutatingBefore = CallLog.MutatingCalls.Count;
        using (var live = run.Interactive ? new LiveConsoleView(console, time, ConsoleCapabilities.WindowWidth()) : null)
        {
            var observer = live is null ? run.Observer : new CompositeObserver(run.Observer, live);
            outcome = await new DagRunner(Options.Parallelism, time, observer).RunAsync(nodes, results, linked.Token).ConfigureAwait(false);
        }

        foreach (var (stackRef, result) in outcome) results[stackRef.Key] = result;

        var summary = new RunSummary(outcome);
        console.WriteLine();
        console.WriteLine($"{target}: {run.Config.Name} ({Describe(run)})");
        summary.Render(console, CallLog.Calls.Count - callsBefore, CallLog.MutatingCalls.Count - mutatingBefore);
        PrintApplicationUrls(outcome);
        WriteOutputs(run.Config.Name, outcome);
        if (!summary.Succeeded)
        {
            throw new KitRunFailedException(
                $"{target} failed: {outcome.Count(o => o.Result.Outcome == StackOutcome.Failed)} stack(s) failed, " +
                $"{outcome.Count(o => o.Result.Outcome == StackOutcome.NotStarted)} not started. See the summary above.");
        }

        return outcome;
    }

    /// <summary>The process exit code build.cake ends with: 0, or <see cref="PlanRun.ChangesPendingExitCode"/> after a Plan
    /// that found changes pending. Errors end the run with an exception (Cake: exit code 1).</summary>
    public int ExitCode { get; private set; }

    /// <summary>Plan: what BootstrapAll would change in every account and region, mutating nothing but change sets it
    /// creates, describes and deletes. Writes artifacts/plan.json and artifacts/plan.md.</summary>
    public void Plan() => PlanAsync().GetAwaiter().GetResult();

    public async Task<PlanReport> PlanAsync(CancellationToken ct = default)
    {
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(ct, cancel.Token);
        var run = engine ??= await StartAsync(linked.Token).ConfigureAwait(false);
        var callsBefore = CallLog.Calls.Count;
        var mutatingBefore = CallLog.MutatingCalls.Count;
        // The app stacks are planned where the repository has the sample app's template (a checkout of this kit).
        var appTemplate = Path.Combine(Options.RepositoryRoot, SamplePackager.TemplateSourcePath);
        var apps = File.Exists(appTemplate)
            ? new AppStackPlan(run.Config, await File.ReadAllTextAsync(appTemplate, linked.Token).ConfigureAwait(false), async (location, token) =>
            {
                var session = location.AccountId == run.Config.Build.Account
                    ? await run.Sessions.BuildAsync(token).ConfigureAwait(false)
                    : await run.Sessions.ForAccountAsync(location.AccountId, token).ConfigureAwait(false);
                return run.Factory.CloudFormation(session.Credentials, location.Region);
            })
            : null;
        var report = await new PlanRun(run.Plan, apps, run.Deployer, Options.Parallelism, time, run.Observer).RunAsync(run.Config.Name, linked.Token)
            .ConfigureAwait(false);
        var files = PlanRun.Write(report, Options.ArtifactsDirectory);

        console.WriteLine();
        console.WriteLine($"Plan: {run.Config.Name} ({Describe(run)})");
        console.Write(report.ToText());
        console.WriteLine($"AWS calls: {CallLog.Calls.Count - callsBefore} ({CallLog.MutatingCalls.Count - mutatingBefore} mutating: change sets created and deleted)");
        console.WriteLine($"Plan: {string.Join(", ", files.Select(f => Path.GetRelativePath(Options.RepositoryRoot, f)))}");
        if (report.Failed) throw new KitRunFailedException("Plan failed: some stacks could not be planned. See the plan above.");
        ExitCode = report.ChangesPending ? PlanRun.ChangesPendingExitCode : 0;
        return report;
    }

    /// <summary>Runs the unit, integration and template tests and prints one closing line of counts.</summary>
    public void Test() => TestRunner.Run(Options.RepositoryRoot, console);

    /// <summary>Builds, tests and zips the sample app; writes its template and per-environment parameter files to artifacts/sample-app.</summary>
    public void Package() =>
        SamplePackager.PackageAsync(Options.RepositoryRoot, LoadConfig(needsCredentials: false), console, cancel.Token).GetAwaiter().GetResult();

    /// <summary>Package, then put the function's zip where every environment's parameter file points (the artifact bucket of
    /// its region, content-addressed), with the build account's credentials. The pipeline's build stage runs this: the deploy
    /// stages read the parameter files, and Lambda reads the code from there.</summary>
    public void PublishSampleApp() => PublishSampleAppAsync(cancel.Token).GetAwaiter().GetResult();

    private async Task PublishSampleAppAsync(CancellationToken ct)
    {
        var run = engine ??= await StartAsync(ct, buildAccountOnly: true).ConfigureAwait(false);
        var package = await SamplePackager.PackageAsync(Options.RepositoryRoot, run.Config, console, ct).ConfigureAwait(false);
        var build = await run.Sessions.BuildAsync(ct).ConfigureAwait(false);
        await SamplePublisher.PublishAsync(run.Config, package, region => run.Factory.S3(build.Credentials, region), console, ct).ConfigureAwait(false);
    }

    public void Dispose()
    {
        Console.CancelKeyPress -= OnCancelKeyPress;
        if (engine is not null)
        {
            engine.Factory.Dispose();
            if (engine.Moto is not null)
            {
                engine.Moto.DisposeAsync().AsTask().GetAwaiter().GetResult();
                console.WriteLine($"Sandbox: stopped the AWS emulator at {engine.Moto.Url}.");
            }

            (engine.Log as IDisposable)?.Dispose();
        }

        cancel.Dispose();
    }

    private void OnCancelKeyPress(object? sender, ConsoleCancelEventArgs e)
    {
        // First Ctrl+C: start no new stack and stop waiting; CloudFormation finishes what it started. A second one ends
        // the process at once.
        if (cancel.IsCancellationRequested) return;
        e.Cancel = true;
        console.WriteLine("Cancelling: no new stack starts; stacks already in progress keep going in CloudFormation. Re-run to resume.");
        cancel.Cancel();
    }

    /// <summary>The graph for a target. The sandbox's BootstrapAll ends with the sample app deployed directly,
    /// after the foundation, in the same graph.</summary>
    private async Task<IReadOnlyList<StackNode>> NodesAsync(Engine run, KitTarget target, CancellationToken ct)
    {
        if (target == KitTarget.DeploySampleApp)
        {
            return await SampleAppNodesAsync(run, [], ct).ConfigureAwait(false);
        }

        var foundation = run.Plan.For(target, results);
        if (target != KitTarget.BootstrapAll || !Options.Sandbox) return foundation;
        return [.. foundation, .. await SampleAppNodesAsync(run, foundation.Select(n => n.Key).ToArray(), ct).ConfigureAwait(false)];
    }

    private async Task<IReadOnlyList<StackNode>> SampleAppNodesAsync(Engine run, IReadOnlyList<string> after, CancellationToken ct)
    {
        var package = await SamplePackager.PackageAsync(Options.RepositoryRoot, run.Config, console, ct).ConfigureAwait(false);
        var build = await run.Sessions.BuildAsync(ct).ConfigureAwait(false);
        var deployer = await DeployerCredentials.ResolveAsync(run.Config, build.Credentials,
            new SecurityTokens(run.Factory.SecurityTokenService(build.Credentials, run.Config.Build.Region)), console, ct).ConfigureAwait(false);
        var deployerTokens = new SecurityTokens(run.Factory.SecurityTokenService(deployer, run.Config.Build.Region));
        var roles = new System.Collections.Concurrent.ConcurrentDictionary<string, AWSCredentials>(StringComparer.Ordinal);
        var plan = new SampleAppPlan(run.Config, package,
            (region, _) => Task.FromResult(run.Factory.S3(deployer, region)),
            (location, roleArn, _) =>
            {
                // The pipeline's own chain: the deployer role assumes the target's pipeline action role.
                var credentials = roles.GetOrAdd(roleArn, arn => new AssumedRoleCredentials(deployerTokens, arn, $"pipelinekit-app-{location.AccountId}"));
                return Task.FromResult(run.Factory.CloudFormation(credentials, location.Region));
            },
            run.Deployer,
            console.WriteLine);
        return plan.Nodes(after);
    }

    private string OutputsPath => Path.Combine(Options.ArtifactsDirectory, "outputs.json");

    private void WriteOutputs(string pipeline, IReadOnlyList<(StackRef Ref, StackResult Result)> stacks)
    {
        OutputsFile.Write(OutputsPath, pipeline, stacks);
        console.WriteLine($"Outputs: {Path.GetRelativePath(Options.RepositoryRoot, OutputsPath)}");
    }

    /// <summary>DeploySampleApp without --direct: package (the app's tests must pass before anything is shipped), hand the
    /// repository to the pipeline's source, follow the run, print each environment's ApiUrl. Returns the app stacks that
    /// exist, as read after the run.</summary>
    private async Task<IReadOnlyList<(StackRef Ref, StackResult Result)>> DeliverThroughPipelineAsync(Engine run, CancellationToken ct)
    {
        await SamplePackager.PackageAsync(Options.RepositoryRoot, run.Config, console, ct).ConfigureAwait(false);
        var build = await run.Sessions.BuildAsync(ct).ConfigureAwait(false);
        var emulated = run.Endpoints.Resolve(AwsServiceIds.CodePipeline) is not null;
        var follower = new PipelineFollower(
            run.Factory.CodePipeline(build.Credentials, run.Config.Build.Region), PipelineSynthesizer.PipelineName(run.Config),
            run.Config.Build.Region, time, emulated ? PollingPolicy.Emulator : PollingPolicy.Default, console);
        var delivery = new PipelineDelivery(run.Config, Options.RepositoryRoot,
            _ => Task.FromResult(run.Factory.S3(build.Credentials, run.Config.Build.Region)),
            follower,
            async (environment, token) =>
            {
                var session = await run.Sessions.ForAccountAsync(environment.Account, token).ConfigureAwait(false);
                return run.Factory.CloudFormation(session.Credentials, environment.Region);
            },
            console);
        try
        {
            var apps = await delivery.RunAsync(ct).ConfigureAwait(false);
            return [.. apps.Select(app => app.AsOutputsEntry()).OfType<(StackRef, StackResult)>()];
        }
        catch (PipelineRunFailedException e)
        {
            throw new KitRunFailedException(e.Message);
        }
    }

    private void PrintApplicationUrls(IReadOnlyList<(StackRef Ref, StackResult Result)> outcome)
    {
        var apps = outcome.Where(o => o.Ref.Key.StartsWith(SampleAppPlan.KeyPrefix, StringComparison.Ordinal) && o.Result.Succeeded).ToList();
        if (apps.Count == 0) return;
        console.WriteLine("Sample app:");
        foreach (var (stackRef, result) in apps)
        {
            var url = result.Outputs.TryGetValue("ApiUrl", out var value) ? value : "no ApiUrl output (the emulator does not create HTTP APIs)";
            console.WriteLine($"  {stackRef.Key[SampleAppPlan.KeyPrefix.Length..],-10} {stackRef.StackName} in {stackRef.Location}: {url}");
        }
    }

    private string Describe(Engine run) =>
        run.Moto is not null ? $"sandbox, emulator at {run.Moto.Url}"
        : EndpointUrl is { } url ? $"endpoint {url}"
        : $"build account {run.Config.Build.Account}";

    /// <param name="needsCredentials">False for targets that make no AWS call (Package): profiles named in the file are then
    /// not required to exist, so packaging works in CodeBuild and on machines without the deploy profiles.</param>
    private PipelineConfig LoadConfig(bool needsCredentials = true)
    {
        if (Options.Sandbox) return PipelineConfigLoader.LoadSandbox();
        if (!InCodeBuild || Options.Profile is not null)
        {
            return PipelineConfigLoader.Load(Options.ConfigPath, needsCredentials
                ? ConfigContext.FromSharedProfiles(Options.Profile, environment)
                : new ConfigContext(_ => true, Options.Profile));
        }

        // In the pipeline's CodeBuild projects the build account is the project's role (container credentials); the
        // profiles in pipeline.json name a workstation's profiles, which do not exist there.
        var config = PipelineConfigLoader.Load(Options.ConfigPath, new ConfigContext(_ => true));
        if (config.Build.Profile is null) return config;
        if (needsCredentials)
        {
            console.WriteLine($"CodeBuild: the build account is reached with the project's role; build.profile \"{config.Build.Profile}\" is left aside.");
        }

        return config with { Build = config.Build with { Profile = null } };
    }

    /// <summary>CodeBuild sets CODEBUILD_BUILD_ID in every build (https://docs.aws.amazon.com/codebuild/latest/userguide/build-env-ref-env-vars.html).</summary>
    private bool InCodeBuild => !string.IsNullOrEmpty(environment("CODEBUILD_BUILD_ID"));

    /// <param name="buildAccountOnly">The target touches the build account only (PublishSampleApp): target accounts are not checked.</param>
    private async Task<Engine> StartAsync(CancellationToken ct, bool buildAccountOnly = false)
    {
        // 1. Input, before any AWS call.
        var config = LoadConfig();

        var interactive = ReferenceEquals(console, Console.Out) && ConsoleCapabilities.IsInteractive();
        var log = KitLogging.Create(Path.Combine(Options.ArtifactsDirectory, "logs"), interactive);

        // 2. Where AWS is: the emulator for --sandbox (unless AWS_ENDPOINT_URL names one already), else the environment.
        MotoServer? moto = null;
        string? overrideUrl = null;
        if (Options.Sandbox && string.IsNullOrEmpty(environment("AWS_ENDPOINT_URL")))
        {
            console.WriteLine("Sandbox: starting the AWS emulator (moto_server) on a free loopback port...");
            moto = await MotoServer.StartAsync(ct).ConfigureAwait(false);
            overrideUrl = moto.Url;
            if (moto.Warning is { } warning) console.WriteLine($"Sandbox: warning: {warning}");
            console.WriteLine($"Sandbox: emulator at {moto.Url}. Re-use it for another run with AWS_ENDPOINT_URL={moto.Url}");
        }

        var endpoints = new AwsEndpoints(environment, overrideUrl);
        var factory = new AwsClientFactory(endpoints, CallLog);
        try
        {
            var sessions = new AccountSessions(config, Options.Profile,
                (credentials, region) => new SecurityTokens(factory.SecurityTokenService(credentials, region)),
                environment, Options.Sandbox ? SandboxCredentials : null);

            // 3. Who we are, in every account, before anything is deployed.
            // Cake runs a target's prerequisites first, so every account is checked before the first of them deploys.
            // Under --exclusive only this target runs, and only the accounts it touches are checked (in RunAsync):
            // the pipeline's self-update role reaches the build account only.
            if (Options.Exclusive || buildAccountOnly)
            {
                console.WriteLine("Checking credentials for the build account...");
                await sessions.VerifyAsync([], ct).ConfigureAwait(false);
            }
            else
            {
                console.WriteLine($"Checking credentials for the build account and {config.TargetAccounts.Count} target account(s)...");
                await sessions.VerifyAllAsync(ct).ConfigureAwait(false);
            }

            var emulated = endpoints.Resolve("CloudFormation") is not null;
            var observer = new PlainLineView(log);
            // Bucket names as foundation.yaml makes them; the build session resolves on first upload.
            var templates = new S3TemplateStore(config.Build.Account,
                async (region, token) => factory.S3((await sessions.BuildAsync(token).ConfigureAwait(false)).Credentials, region),
                region => KitNames.ArtifactBucket(config, region),
                endpoints.Resolve(AwsServiceIds.S3));
            var deployer = new StackDeployer(time, emulated ? PollingPolicy.Emulator : PollingPolicy.Default, observer, templates);
            var plan = new FoundationPlan(config, async (location, token) =>
            {
                var session = location.AccountId == config.Build.Account
                    ? await sessions.BuildAsync(token).ConfigureAwait(false)
                    : await sessions.ForAccountAsync(location.AccountId, token).ConfigureAwait(false);
                return factory.CloudFormation(session.Credentials, location.Region);
            }, deployer,
            outputs => PipelineSynthesizer.Synthesize(config, outputs, Path.Combine(Options.ArtifactsDirectory, "pipeline")).TemplateBody);

            return new Engine(config, plan, sessions, deployer, observer, log, factory, endpoints, moto, interactive);
        }
        catch
        {
            factory.Dispose();
            if (moto is not null) await moto.DisposeAsync().ConfigureAwait(false);
            log.Dispose();
            throw;
        }
    }

    private sealed record Engine(
        PipelineConfig Config,
        FoundationPlan Plan,
        AccountSessions Sessions,
        StackDeployer Deployer,
        IDeploymentObserver Observer,
        ILogger Log,
        AwsClientFactory Factory,
        AwsEndpoints Endpoints,
        MotoServer? Moto,
        bool Interactive);
}
