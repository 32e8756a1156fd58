namespace PipelineKit.LocalPipeline;

/// <summary>
/// Runs a buildspec command that calls the kit itself (<c>./build.sh Target [options]</c>) inside a local build. The
/// kit that runs the pipeline is the kit the source carries (it was built from this checkout), so the command runs in
/// process, on the build's working directory and with the build's environment (its role's credentials, the
/// <c>CODEBUILD_*</c> variables), against the same emulator and configuration as the run; CodePipeline calls it makes
/// (the security gate's approval) reach the local run. Any other command runs in bash.
/// </summary>
public interface IKitCommands
{
    /// <param name="arguments">The words after <c>./build.sh</c>, with shell variables expanded.</param>
    /// <param name="workingDirectory">The build's source directory.</param>
    /// <param name="environment">The build's whole environment.</param>
    /// <param name="output">Each line the command prints.</param>
    /// <returns>The command's exit code; 0 when it succeeded.</returns>
    Task<int> RunAsync(IReadOnlyList<string> arguments, string workingDirectory, IReadOnlyDictionary<string, string> environment,
        Action<string> output, CancellationToken ct);
}
