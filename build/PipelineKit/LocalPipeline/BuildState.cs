namespace PipelineKit.LocalPipeline;

/// <summary>
/// What a build's commands share, as one shell would hold it: the environment (exported variables), the current directory
/// and the shell's plain variables (in <see cref="ShellVariablesFile"/>, never in memory or the log).
/// </summary>
public sealed class BuildState
{
    public BuildState(string sourceDirectory, string stateDirectory, IReadOnlyDictionary<string, string> environment)
    {
        SourceDirectory = sourceDirectory;
        WorkingDirectory = sourceDirectory;
        StateDirectory = stateDirectory;
        Environment = new Dictionary<string, string>(environment, StringComparer.Ordinal);
        Directory.CreateDirectory(stateDirectory);
        File.WriteAllText(ShellVariablesFile, "");
    }

    /// <summary>CODEBUILD_SRC_DIR: where the build starts and where artifact paths are relative to.</summary>
    public string SourceDirectory { get; }

    public string WorkingDirectory { get; set; }

    /// <summary>Outside the source: the files that carry the shell's state from one command to the next.</summary>
    public string StateDirectory { get; }

    public Dictionary<string, string> Environment { get; set; }

    public string ShellVariablesFile => Path.Combine(StateDirectory, "vars.sh");
}
