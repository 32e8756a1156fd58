namespace PipelineKit.LocalPipeline;

/// <summary>
/// What a build's commands share, as one shell would hold it: the environment (exported variables), the current directory
/// and the shell's plain variables (in <see cref="ShellVariablesFile"/>, never in memory or the log). The state files
/// hold the role's session keys: their directory is the user's alone (0700, files 0600) and is deleted when the build
/// ends, however it ends (<see cref="Dispose"/>).
/// </summary>
public sealed class BuildState : IDisposable
{
    /// <summary>rwx for the user only: the state directory.</summary>
    public const UnixFileMode PrivateDirectory = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;

    /// <summary>rw for the user only: the state files.</summary>
    public const UnixFileMode PrivateFile = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    public BuildState(string sourceDirectory, string stateDirectory, IReadOnlyDictionary<string, string> environment)
    {
        SourceDirectory = sourceDirectory;
        WorkingDirectory = sourceDirectory;
        StateDirectory = stateDirectory;
        Environment = new Dictionary<string, string>(environment, StringComparer.Ordinal);
        // A directory left by an interrupted build may have other modes: it is made anew.
        if (Directory.Exists(stateDirectory)) Directory.Delete(stateDirectory, recursive: true);
        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(stateDirectory);
        }
        else
        {
            Directory.CreateDirectory(stateDirectory, PrivateDirectory);
            File.SetUnixFileMode(stateDirectory, PrivateDirectory);
        }

        CreatePrivate(ShellVariablesFile);
    }

    /// <summary>CODEBUILD_SRC_DIR: where the build starts and where artifact paths are relative to.</summary>
    public string SourceDirectory { get; }

    public string WorkingDirectory { get; set; }

    /// <summary>Outside the source: the files that carry the shell's state from one command to the next.</summary>
    public string StateDirectory { get; }

    public Dictionary<string, string> Environment { get; set; }

    public string ShellVariablesFile => Path.Combine(StateDirectory, "vars.sh");

    /// <summary>Creates (or empties) <paramref name="path"/>, readable and writable by the user only.</summary>
    public static void CreatePrivate(string path)
    {
        var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows()) options.UnixCreateMode = PrivateFile;
        using var _ = new FileStream(path, options);
    }

    /// <summary>Deletes the state directory and the keys its files hold.</summary>
    public void Dispose()
    {
        try
        {
            if (Directory.Exists(StateDirectory)) Directory.Delete(StateDirectory, recursive: true);
        }
        catch (IOException)
        {
            // A command still running (a background process) may hold it; the next build of the project deletes it.
        }
    }
}
