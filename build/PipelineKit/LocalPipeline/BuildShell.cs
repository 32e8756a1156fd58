namespace PipelineKit.LocalPipeline;

using System.Diagnostics;
using System.Text;

/// <summary>
/// Runs buildspec commands in bash as CodeBuild's version 0.2 does, as if in one shell instance: each command runs in its
/// own <c>bash -c</c>, and what it leaves behind (exported and plain variables, the current directory) is captured when
/// it exits and handed to the next command, so <c>export</c>, <c>VAR=value</c> and <c>cd</c> carry across commands and
/// phases. Values are never written to the log: they pass through files in <see cref="BuildState.StateDirectory"/>, each
/// deleted as soon as it is read (vars.out becomes vars.sh, which the next command reads).
/// </summary>
/// <remarks>CodeBuild user guide, "Build specification reference for CodeBuild", buildspec versions: "In version 0.2,
/// all commands run in the same instance of the shell."</remarks>
public static class BuildShell
{
    /// <summary>How long the output of a finished command is awaited: a background process it started may keep the
    /// pipes open.</summary>
    private static readonly TimeSpan OutputDrain = TimeSpan.FromSeconds(5);

    // Bash's own variables (and the capture's) are not carried: bash sets them again in every instance. The capture
    // writes under umask 077: env.out and vars.out hold the role's keys (the directory is 0700 besides).
    private const string Script = """
        __kit_env_out=$2; __kit_pwd_out=$3; __kit_vars_out=$4
        if [ -s "$1" ]; then . "$1"; fi
        set --
        __kit_save() {
          __kit_rc=$?
          umask 077
          env -0 > "$__kit_env_out"
          pwd > "$__kit_pwd_out"
          for __kit_n in $(compgen -v); do
            case "$__kit_n" in
              __kit_*|BASH*|COMP_*|DIRSTACK|EPOCH*|FUNCNAME|GROUPS|HIST*|HOSTNAME|HOSTTYPE|IFS|LINENO|MACHTYPE|OPTERR|OPTIND|OSTYPE|PIPESTATUS|PS1|PS2|PS3|PS4|PWD|OLDPWD|RANDOM|SRANDOM|SECONDS|SHLVL|COLUMNS|LINES|MAILCHECK|_) continue ;;
            esac
            __kit_d=$(declare -p "$__kit_n" 2>/dev/null) || continue
            case "$__kit_d" in "declare -- "*|"declare -i "*|"declare -a "*|"declare -A "*) printf '%s\n' "$__kit_d" ;; esac
          done > "$__kit_vars_out"
          exit $__kit_rc
        }
        trap __kit_save EXIT

        """;

    private static readonly string[] NotCarried = ["_", "SHLVL", "PWD", "OLDPWD"];

    /// <summary>Runs <paramref name="command"/> in <paramref name="state"/>'s directory and environment; on return the
    /// state holds what the command left. Cancelling kills the command and everything it started.</summary>
    /// <returns>The command's exit code.</returns>
    public static async Task<int> RunAsync(string command, BuildState state, BuildLog log, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(log);
        var envOut = Path.Combine(state.StateDirectory, "env.out");
        var pwdOut = Path.Combine(state.StateDirectory, "pwd.out");
        var varsOut = Path.Combine(state.StateDirectory, "vars.out");
        foreach (var file in new[] { envOut, pwdOut, varsOut }) File.Delete(file);

        var start = new ProcessStartInfo("bash")
        {
            WorkingDirectory = Directory.Exists(state.WorkingDirectory) ? state.WorkingDirectory : state.SourceDirectory,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in new[] { "-c", Script + command, "bash", state.ShellVariablesFile, envOut, pwdOut, varsOut })
        {
            start.ArgumentList.Add(arg);
        }

        start.Environment.Clear();
        foreach (var (name, value) in state.Environment) start.Environment[name] = value;

        using var process = Process.Start(start) ?? throw new InvalidOperationException("bash did not start.");
        process.StandardInput.Close();
        var stdout = PumpAsync(process.StandardOutput, log);
        var stderr = PumpAsync(process.StandardError, log);
        try
        {
            await process.WaitForExitAsync(ct).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            try { process.Kill(entireProcessTree: true); } catch (InvalidOperationException) { }
            throw;
        }

        await Task.WhenAny(Task.WhenAll(stdout, stderr), Task.Delay(OutputDrain, CancellationToken.None)).ConfigureAwait(false);
        Capture(state, envOut, pwdOut, varsOut);
        return process.ExitCode;
    }

    private static void Capture(BuildState state, string envOut, string pwdOut, string varsOut)
    {
        if (File.Exists(envOut))
        {
            var captured = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var entry in File.ReadAllText(envOut, Encoding.UTF8).Split('\0', StringSplitOptions.RemoveEmptyEntries))
            {
                var eq = entry.IndexOf('=', StringComparison.Ordinal);
                if (eq > 0 && !NotCarried.Contains(entry[..eq], StringComparer.Ordinal)) captured[entry[..eq]] = entry[(eq + 1)..];
            }

            state.Environment = captured;
            File.Delete(envOut);
        }

        if (File.Exists(pwdOut) && File.ReadAllText(pwdOut).TrimEnd('\n') is { Length: > 0 } pwd)
        {
            state.WorkingDirectory = pwd;
        }

        if (File.Exists(varsOut))
        {
            File.Move(varsOut, state.ShellVariablesFile, overwrite: true);
        }
    }

    private static async Task PumpAsync(StreamReader reader, BuildLog log)
    {
        while (await reader.ReadLineAsync().ConfigureAwait(false) is { } line) log.Line(line);
    }
}
