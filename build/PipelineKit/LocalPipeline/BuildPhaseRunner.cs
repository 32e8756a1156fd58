namespace PipelineKit.LocalPipeline;

using PipelineKit.Messages;

/// <summary>The first command that failed a build, or the timeout that ended it.</summary>
/// <param name="LastLines">The output's last lines when it failed.</param>
public sealed record BuildFailure(string Phase, string Command, int ExitCode, bool TimedOut, IReadOnlyList<string> LastLines);

/// <summary>
/// Runs a buildspec's phases in order, following the CodeBuild user guide: "Build phase transitions" (a failed install or
/// pre_build ends the build; a failed build still runs post_build) and "Build specification reference" (a failed command
/// ends its phase's commands; <c>finally</c> runs even then; <c>on-failure: ABORT</c> ends the build,
/// <c>CONTINUE</c> goes on to the next phase; CODEBUILD_BUILD_SUCCEEDING turns 0). The install phase is skipped: its
/// runtime-versions and commands download toolchains this machine already has; one notice says what was skipped.
/// Commands that run the kit go through <see cref="IKitCommands"/>, the rest through <see cref="BuildShell"/>.
/// </summary>
/// <param name="firstNotice">True the first time a notice with this key is to be given: a notice is given once per project a run.</param>
public sealed class BuildPhaseRunner(IKitCommands kit, IKitMessages messages, bool fullBuild, Func<string, bool>? firstNotice = null)
{
    /// <summary>Runs the phases; returns the first failure, or null when every phase succeeded.</summary>
    /// <param name="label">Names the build in notices: "Build/Build (project pipeline-build)".</param>
    /// <param name="timeout">Cancelled when the project's timeout has passed: the build fails as timed out.</param>
    /// <param name="ct">Cancelled when the run is stopped: the build stops and the cancellation propagates.</param>
    public async Task<(BuildFailure? Failure, int CommandsRun)> RunAsync(Buildspec spec, BuildState state, BuildLog log, string label,
        CancellationToken timeout, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(state);
        BuildFailure? failure = null;
        var commandsRun = 0;
        var stop = false;
        foreach (var phase in spec.Phases)
        {
            if (stop) break;
            if (phase.Name == "install")
            {
                NoticeInstallSkipped(phase, label);
                continue;
            }

            log.Line($"[local CodeBuild] Entering phase {phase.Name.ToUpperInvariant()}");
            var (phaseFailure, run) = await RunPhaseAsync(phase, state, log, label, timeout, ct).ConfigureAwait(false);
            commandsRun += run;
            if (phaseFailure is null) continue;

            failure ??= phaseFailure;
            state.Environment["CODEBUILD_BUILD_SUCCEEDING"] = "0";

            // The phase transitions: only a failed build goes on (to post_build); on-failure overrides them.
            stop = phaseFailure.TimedOut || phase.OnFailure switch
            {
                PhaseOnFailure.Abort => true,
                PhaseOnFailure.Continue => false,
                _ => phase.Name != "build",
            };
        }

        return (failure, commandsRun);
    }

    private async Task<(BuildFailure? Failure, int Run)> RunPhaseAsync(BuildspecPhase phase, BuildState state, BuildLog log,
        string label, CancellationToken timeout, CancellationToken ct)
    {
        BuildFailure? failure = null;
        var run = 0;
        foreach (var block in new[] { phase.Commands, phase.Finally })
        {
            foreach (var command in block)
            {
                var (exitCode, timedOut) = await RunCommandAsync(command, state, log, label, timeout, ct).ConfigureAwait(false);
                run++;
                if (exitCode == 0) continue;
                failure ??= new BuildFailure(phase.Name, command, exitCode, timedOut, log.LastLines());
                if (timedOut) return (failure, run);
                break;
            }
        }

        return (failure, run);
    }

    private async Task<(int ExitCode, bool TimedOut)> RunCommandAsync(string command, BuildState state, BuildLog log, string label,
        CancellationToken timeout, CancellationToken ct)
    {
        log.Line($"[local CodeBuild] Running command {command}");
        using var both = CancellationTokenSource.CreateLinkedTokenSource(timeout, ct);
        try
        {
            var arguments = KitCommandLine.Arguments(command, state.Environment);
            if (arguments is null)
            {
                return (await BuildShell.RunAsync(command, state, log, both.Token).ConfigureAwait(false), false);
            }

            if (!fullBuild && arguments is [var target, ..] && string.Equals(target, "Test", StringComparison.OrdinalIgnoreCase))
            {
                if (firstNotice?.Invoke($"{label}:{command}") ?? true) messages.Report(MessageCodes.LocalPipelineNotice,
                    $"{label}: `{command}` skipped: the kit's own suite runs in the local pipeline with --full-build only.");
                log.Line("[local CodeBuild] Skipped: the kit's suite runs with --full-build only.");
                return (0, false);
            }

            var directory = Directory.Exists(state.WorkingDirectory) ? state.WorkingDirectory : state.SourceDirectory;
            return (await kit.RunAsync(arguments, directory, state.Environment, log.Line, both.Token).ConfigureAwait(false), false);
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested && !ct.IsCancellationRequested)
        {
            log.Line("[local CodeBuild] Build timed out");
            return (-1, true);
        }
    }

    private void NoticeInstallSkipped(BuildspecPhase install, string label)
    {
        if (install.RuntimeVersions.Count == 0 && install.Commands.Count == 0 && install.Finally.Count == 0) return;
        if (!(firstNotice?.Invoke($"{label}:install") ?? true)) return;
        var parts = new List<string>();
        if (install.RuntimeVersions.Count > 0)
        {
            parts.Add("runtime-versions " + string.Join(", ", install.RuntimeVersions.Select(r => $"{r.Key} {r.Value}")));
        }

        var commands = install.Commands.Count + install.Finally.Count;
        if (commands > 0) parts.Add(commands == 1 ? "1 command" : $"{commands} commands");
        messages.Report(MessageCodes.LocalPipelineNotice,
            $"{label}: install phase skipped ({string.Join("; ", parts)}): it installs toolchains this machine already has.");
    }
}
