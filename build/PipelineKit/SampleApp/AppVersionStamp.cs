namespace PipelineKit.SampleApp;

using System.Diagnostics;

/// <summary>
/// The version Package stamps on the sample app (its stack's AppVersion parameter, the function's APP_VERSION): the source
/// revision it was built from. In CodeBuild, CODEBUILD_RESOLVED_SOURCE_VERSION, which CodeBuild sets to the revision
/// CodePipeline provides: the commit id for a repository source, the object's version id for a versioned S3 source
/// (CodeBuild user guide, "Environment variables in build environments"); the local pipeline run sets it the same way.
/// Elsewhere, the commit id of the checkout whose root <c>repositoryRoot</c> is (git rev-parse HEAD); <see cref="Unversioned"/>
/// when there is neither.
/// </summary>
public static class AppVersionStamp
{
    public const string CodeBuildVariable = "CODEBUILD_RESOLVED_SOURCE_VERSION";

    /// <summary>The version of a build with no revision to name (no CodeBuild variable, not a git checkout).</summary>
    public const string Unversioned = "unversioned";

    public static string Resolve(string repositoryRoot, Func<string, string?> environment)
    {
        ArgumentNullException.ThrowIfNull(environment);
        var codeBuild = environment(CodeBuildVariable);
        return !string.IsNullOrWhiteSpace(codeBuild) ? codeBuild.Trim() : GitCommit(repositoryRoot) ?? Unversioned;
    }

    /// <summary>The commit id HEAD names in <paramref name="repositoryRoot"/>; null when it is not a git checkout or git is missing.</summary>
    public static string? GitCommit(string repositoryRoot)
    {
        // The checkout's own root only: a source unpacked inside another checkout (a local build's folder under
        // artifacts/) is not that checkout's commit.
        if (!Directory.Exists(Path.Combine(repositoryRoot, ".git")) && !File.Exists(Path.Combine(repositoryRoot, ".git"))) return null;
        var start = new ProcessStartInfo("git")
        {
            WorkingDirectory = repositoryRoot,
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var argument in new[] { "rev-parse", "--verify", "--quiet", "HEAD" }) start.ArgumentList.Add(argument);
        try
        {
            using var process = Process.Start(start);
            if (process is null) return null;
            var output = process.StandardOutput.ReadToEnd().Trim();
            _ = process.StandardError.ReadToEnd();
            process.WaitForExit();
            return process.ExitCode == 0 && output.Length >= 40 && output.All(Uri.IsHexDigit) ? output : null;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return null;
        }
    }
}
