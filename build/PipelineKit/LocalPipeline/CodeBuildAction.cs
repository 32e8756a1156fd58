namespace PipelineKit.LocalPipeline;

using System.Globalization;
using Amazon.Runtime;
using PipelineKit.Errors;
using PipelineKit.Messages;
using PipelineKit.Naming;

/// <summary>
/// Runs a CodeBuild build action (<see cref="ActionType.CodeBuild"/>) on this machine the way CodeBuild would run the
/// project the action names: the input artifacts read with the project's service role, the buildspec's phases run in
/// bash in one shell state (<see cref="BuildPhaseRunner"/>), ./build.sh run in process through <see cref="IKitCommands"/>,
/// the output artifact zipped and put into the action's store with the service role, the reports kept under
/// <c>&lt;root&gt;/reports/&lt;execution&gt;/&lt;group&gt;</c>, env/exported-variables returned as the action's variables.
/// What it cannot do as CodeBuild does (a key of the buildspec, a variable type, a configuration field) is refused by name.
/// </summary>
/// <param name="roleCredentials">Assumes a project's service role on the emulator.</param>
/// <param name="endpointUrl">The emulator, as the build's AWS_ENDPOINT_URL.</param>
/// <param name="workRoot">Where builds keep their sources and reports (artifacts/local-pipeline).</param>
/// <param name="fullBuild">Whether <c>./build.sh Test</c> runs; without it the command is skipped with a notice.</param>
public sealed class CodeBuildAction(
    IArtifactStore store,
    IKitCommands kit,
    Func<string, CancellationToken, Task<ImmutableCredentials>> roleCredentials,
    string endpointUrl,
    string workRoot,
    IKitMessages messages,
    bool fullBuild) : IActionExecutor
{
    private static readonly string[] ConfigurationKeys = ["ProjectName", "PrimarySource", "EnvironmentVariables"];

    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, bool> noticed = new(StringComparer.Ordinal);

    /// <summary>What a build's image is called locally: it runs on this machine, not on a CodeBuild image.</summary>
    public const string LocalImage = "local";

    /// <summary>How long one of the project's TimeoutInMinutes lasts: a minute, shorter in tests.</summary>
    internal TimeSpan MinuteLength { get; set; } = TimeSpan.FromMinutes(1);

    public bool Handles(ActionType type) => type == ActionType.CodeBuild;

    public async Task<ActionOutcome> RunAsync(ActionRun run, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(run);
        var project = Project(run.Pipeline, run.Action, run.Configuration);
        var actionVariables = CheckConfiguration(run.Action, run.Configuration, project);
        var label = $"{run.Action} (project {project.Name})";
        var buildsRoot = Path.Combine(workRoot, "builds");
        // One directory per project and action: actions of one project run side by side in a wave (the security checks,
        // the smoke tests), and each keeps its own source between runs, like CodeBuild's local source cache.
        var projectDirectory = WorkPath.Under(buildsRoot, Path.Combine(project.Name, run.Action.Name));
        var sourceDirectory = Path.Combine(projectDirectory, "src");

        var role = await roleCredentials(project.ServiceRoleArn, ct).ConfigureAwait(false);
        AWSCredentials roleAws = string.IsNullOrEmpty(role.Token)
            ? new BasicAWSCredentials(role.AccessKey, role.SecretKey)
            : new SessionAWSCredentials(role.AccessKey, role.SecretKey, role.Token);
        var primary = PrimaryInput(run);
        var sources = await DownloadSourcesAsync(run, primary, roleAws, projectDirectory, sourceDirectory, ct).ConfigureAwait(false);

        var spec = ReadBuildspec(project, sourceDirectory);
        var start = DateTimeOffset.UtcNow;
        var buildId = $"{project.Name}:{Guid.NewGuid()}";
        var codeBuild = CodeBuildVariables(run, project, primary, buildId, BuildNumber(projectDirectory), sourceDirectory, sources, start);
        var environment = BuildEnvironment.Compose(Environment.GetEnvironmentVariables(), codeBuild, spec.Variables,
            project.EnvironmentVariables, actionVariables, role, endpointUrl, BuildIsolation.Prepare(projectDirectory, buildsRoot));

        using var state = new BuildState(sourceDirectory, Path.Combine(projectDirectory, "shell"), environment);
        var log = new BuildLog(run.Log);
        log.Line($"[local CodeBuild] Build {buildId} of {label}");
        var minutes = project.TimeoutInMinutes > 0 ? project.TimeoutInMinutes : 60;
        using var timeout = new CancellationTokenSource(MinuteLength * minutes);
        // Notices are given once per project and run, not once per action: the four security checks share one project.
        var runner = new BuildPhaseRunner(kit, messages, fullBuild, key => noticed.TryAdd(key.Replace(run.Action.ToString(), "", StringComparison.Ordinal), true));
        var (failure, commands) = await runner.RunAsync(spec, state, log, label, timeout.Token, ct).ConfigureAwait(false);

        // UPLOAD_ARTIFACTS is attempted even after a failed build ("Build phase transitions"): the reports of a failed
        // test run are the ones worth reading. The output artifact of a failed action reaches no later action.
        var reportFiles = BuildArtifacts.CopyReports(spec.Reports, sourceDirectory, WorkPath.Under(workRoot, Path.Combine("reports", run.ExecutionId)));
        if (failure is not null) throw Failed(failure, minutes);

        var outputs = new List<ArtifactLocation>();
        var summary = new List<string> { commands == 1 ? "build 1 command" : $"build {commands} commands" };
        if (run.Action.OutputArtifacts is [var output])
        {
            var artifacts = spec.Artifacts ?? throw new ActionFailedException("JobFailed",
                $"UPLOAD_ARTIFACTS phase failed: the action declares the output artifact {output}, but the buildspec has no artifacts section.");
            var zip = WorkPath.Under(projectDirectory, Path.Combine("output", output + ".zip"));
            var files = BuildArtifacts.Package(artifacts, sourceDirectory, zip);
            outputs.Add(await store.PutAsync(roleAws, run.Store, run.ExecutionId, output, zip, ct).ConfigureAwait(false));
            summary.Add(files == 1 ? $"1 file in {output}" : $"{files} files in {output}");
        }

        if (spec.Reports.Count > 0) summary.Add(reportFiles == 1 ? "1 report file" : $"{reportFiles} report files");
        var exported = spec.ExportedVariables
            .Where(state.Environment.ContainsKey)
            .ToDictionary(name => name, name => state.Environment[name], StringComparer.Ordinal);
        return new ActionOutcome(string.Join(", ", summary), outputs, exported);
    }

    /// <summary>Refuses, before anything runs, what the action's build could not run locally: its configuration, its
    /// project's variables, its buildspec's keys and kit commands. An in-source buildspec is read from
    /// <paramref name="checkoutDirectory"/>, the checkout the run uploads.</summary>
    public static void Preflight(PipelineDefinition pipeline, ActionDefinition action, string checkoutDirectory)
    {
        ArgumentNullException.ThrowIfNull(action);
        var project = Project(pipeline, action, action.Configuration);
        _ = CheckConfiguration(action, action.Configuration, project);
        if (IsInline(project.BuildSpec) || File.Exists(Path.Combine(checkoutDirectory, project.BuildSpec)))
        {
            _ = ReadBuildspec(project, checkoutDirectory);
        }
    }

    private static BuildProjectDefinition Project(PipelineDefinition pipeline, ActionDefinition action, IReadOnlyDictionary<string, string> configuration)
        => configuration.TryGetValue("ProjectName", out var name) && pipeline.Projects.TryGetValue(name, out var project)
            ? project
            : throw Refused($"{action}: the CodeBuild project {name ?? "(no ProjectName)"} is not in the pipeline's template.");

    private static IReadOnlyList<BuildVariable> CheckConfiguration(ActionDefinition action, IReadOnlyDictionary<string, string> configuration,
        BuildProjectDefinition project)
    {
        foreach (var key in configuration.Keys.Where(k => !ConfigurationKeys.Contains(k, StringComparer.Ordinal)))
        {
            throw Refused($"{action}: the CodeBuild action's configuration field {key} is not run locally (it runs ProjectName, PrimarySource, EnvironmentVariables).");
        }

        if (action.OutputArtifacts.Count > 1)
        {
            throw Refused($"{action}: {action.OutputArtifacts.Count} output artifacts need the buildspec's secondary-artifacts, which the local run does not produce.");
        }

        BuildEnvironment.CheckPlaintext(project.EnvironmentVariables, $"CodeBuild project {project.Name}");
        return BuildEnvironment.ActionVariables(configuration.GetValueOrDefault("EnvironmentVariables"), action.ToString());
    }

    private static string PrimaryInput(ActionRun run)
    {
        if (run.Inputs.Count == 0) throw Refused($"{run.Action}: a CodeBuild action needs an input artifact (its source).");
        var primary = run.Configuration.GetValueOrDefault("PrimarySource") ?? run.Inputs[0].Name;
        return run.Inputs.Any(i => i.Name == primary)
            ? primary
            : throw Refused($"{run.Action}: PrimarySource {primary} is not one of the action's input artifacts.");
    }

    /// <summary>Reads every input artifact with the project's role into its directory: the primary one into the source
    /// directory, each other into a sibling named after it (its CODEBUILD_SRC_DIR_&lt;name&gt;).</summary>
    private async Task<Dictionary<string, string>> DownloadSourcesAsync(ActionRun run, string primary, AWSCredentials role,
        string projectDirectory, string sourceDirectory, CancellationToken ct)
    {
        var directories = new Dictionary<string, string>(StringComparer.Ordinal);
        var downloads = Path.Combine(projectDirectory, "input");
        Directory.CreateDirectory(downloads);
        foreach (var input in run.Inputs)
        {
            var zip = WorkPath.Under(downloads, input.Name + ".zip");
            await store.GetAsync(role, input, zip, ct).ConfigureAwait(false);
            var directory = WorkPath.Under(projectDirectory, input.Name == primary ? "src" : "src_" + input.Name);
            BuildSource.Prepare(projectDirectory, directory, zip);
            directories[input.Name] = Path.GetFullPath(directory);
        }

        return directories;
    }

    private static bool IsInline(string buildSpec) => buildSpec.Contains('\n', StringComparison.Ordinal) || buildSpec.TrimStart().StartsWith("version", StringComparison.Ordinal);

    private static Buildspec ReadBuildspec(BuildProjectDefinition project, string sourceDirectory)
    {
        Buildspec spec;
        if (IsInline(project.BuildSpec))
        {
            spec = BuildspecParser.Parse(project.BuildSpec, $"of project {project.Name} (inline)");
        }
        else
        {
            var path = Path.Combine(sourceDirectory, project.BuildSpec);
            if (!File.Exists(path))
            {
                throw new ActionFailedException("JobFailed",
                    $"DOWNLOAD_SOURCE phase failed: YAML_FILE_ERROR: the buildspec {project.BuildSpec} of project {project.Name} is not in the source.");
            }

            spec = BuildspecParser.Parse(File.ReadAllText(path), project.BuildSpec);
        }

        foreach (var command in spec.Phases.SelectMany(p => p.Commands.Concat(p.Finally)))
        {
            KitCommandLine.Check(command);
        }

        return spec;
    }

    /// <summary>The project's next build number, kept beside its source (CODEBUILD_BUILD_NUMBER counts a project's builds).</summary>
    private static int BuildNumber(string projectDirectory)
    {
        var file = Path.Combine(projectDirectory, "build-number");
        var number = (File.Exists(file) && int.TryParse(File.ReadAllText(file), NumberStyles.None, CultureInfo.InvariantCulture, out var last) ? last : 0) + 1;
        File.WriteAllText(file, number.ToString(CultureInfo.InvariantCulture));
        return number;
    }

    /// <summary>The variables CodeBuild sets (user guide, "Environment variables in build environments").</summary>
    private static List<KeyValuePair<string, string>> CodeBuildVariables(ActionRun run, BuildProjectDefinition project, string primary,
        string buildId, int buildNumber, string sourceDirectory, Dictionary<string, string> sources, DateTimeOffset start)
    {
        var region = run.Action.Region;
        var account = run.Pipeline.Account;
        var input = run.Inputs.First(i => i.Name == primary);
        var variables = new List<KeyValuePair<string, string>>
        {
            new("AWS_REGION", region),
            new("AWS_DEFAULT_REGION", region),
            new("CODEBUILD_BUILD_ID", buildId),
            new("CODEBUILD_BUILD_ARN", Partitions.Arn("codebuild", region, account, $"build/{buildId}")),
            new("CODEBUILD_BUILD_NUMBER", buildNumber.ToString(CultureInfo.InvariantCulture)),
            new("CODEBUILD_BUILD_IMAGE", LocalImage),
            new("CODEBUILD_BUILD_SUCCEEDING", "1"),
            new("CODEBUILD_INITIATOR", $"codepipeline/{run.Pipeline.Name}"),
            new("CODEBUILD_KMS_KEY_ID", project.EncryptionKey ?? run.Store.KeyArn ?? Partitions.Arn("kms", region, account, "alias/aws/s3")),
            new("CODEBUILD_PROJECT_ARN", Partitions.Arn("codebuild", region, account, $"project/{project.Name}")),
            new("CODEBUILD_SRC_DIR", Path.GetFullPath(sourceDirectory)),
            // A build CodePipeline starts gets its input artifact as the source version; the revision is the resolved one.
            new("CODEBUILD_SOURCE_VERSION", Partitions.BucketArn(Partitions.Of(region), input.Bucket, input.Key)),
            new("CODEBUILD_START_TIME", start.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture)),
        };
        if (run.SourceRevision is { } revision) variables.Add(new("CODEBUILD_RESOLVED_SOURCE_VERSION", revision));
        variables.AddRange(sources.Where(s => s.Key != primary).Select(s => KeyValuePair.Create($"CODEBUILD_SRC_DIR_{s.Key}", s.Value)));
        return variables;
    }

    private static ActionFailedException Failed(BuildFailure failure, int minutes)
    {
        var lines = failure.LastLines.Count == 0 ? "(no output)" : string.Join(Environment.NewLine, failure.LastLines);
        return failure.TimedOut
            ? new ActionFailedException("JobFailed",
                $"Build timed out after {minutes} minutes (the project's TimeoutInMinutes) in the {failure.Phase} phase, running `{failure.Command}`; last lines:{Environment.NewLine}{lines}")
            : new ActionFailedException("JobFailed",
                $"{failure.Phase} phase failed: command `{failure.Command}` exited with {failure.ExitCode}; last lines:{Environment.NewLine}{lines}");
    }

    private static LocalPipelineException Refused(string message) => new(ErrorCodes.LocalPipelineRefused.Code, message);
}
