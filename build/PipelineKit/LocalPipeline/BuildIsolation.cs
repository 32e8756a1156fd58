namespace PipelineKit.LocalPipeline;

/// <summary>
/// What keeps a local build away from this machine's own setup: empty AWS config and credentials files of its own (so
/// the SDKs and the CLI read no profile of ~/.aws) and the builds root as git's ceiling (so git in a build never finds
/// the checkout that holds artifacts/local-pipeline).
/// </summary>
/// <param name="AwsConfigFile">AWS_CONFIG_FILE: an empty file in the build's directory.</param>
/// <param name="AwsCredentialsFile">AWS_SHARED_CREDENTIALS_FILE: an empty file in the build's directory.</param>
/// <param name="BuildsRoot">GIT_CEILING_DIRECTORIES: the folder that holds every project's build directory.</param>
public sealed record BuildIsolation(string AwsConfigFile, string AwsCredentialsFile, string BuildsRoot)
{
    /// <summary>Writes the empty AWS files under <paramref name="projectDirectory"/>/aws (emptied again before each
    /// build, as each CodeBuild build starts from a fresh container).</summary>
    public static BuildIsolation Prepare(string projectDirectory, string buildsRoot)
    {
        var directory = Path.GetFullPath(Path.Combine(projectDirectory, "aws"));
        Directory.CreateDirectory(directory);
        var config = Path.Combine(directory, "config");
        var credentials = Path.Combine(directory, "credentials");
        File.WriteAllText(config, "");
        File.WriteAllText(credentials, "");
        return new BuildIsolation(config, credentials, Path.GetFullPath(buildsRoot));
    }
}
