namespace PipelineKit.Reporting;

/// <summary>
/// Code coverage of a <c>dotnet test</c> run (coverlet.collector, Cobertura XML), for CodeBuild's coverage report groups.
/// Collected in CodeBuild (CODEBUILD_BUILD_ID is set in every build) or when asked (--coverage), so a workstation's
/// test run stays as fast as without it.
/// https://docs.aws.amazon.com/codebuild/latest/userguide/code-coverage-report.html
/// https://docs.aws.amazon.com/codebuild/latest/userguide/build-env-ref-env-vars.html
/// </summary>
public static class TestCoverage
{
    /// <summary>Set by CodeBuild in every build.</summary>
    public const string CodeBuildVariable = "CODEBUILD_BUILD_ID";

    /// <summary>The file name coverlet.collector writes (its default format is Cobertura).</summary>
    public const string FileName = "coverage.cobertura.xml";

    /// <summary>Where, under a test results folder, the coverage files go (the buildspec's coverage report groups read there).</summary>
    public const string Folder = "coverage";

    /// <summary>The extra <c>dotnet test</c> arguments that collect coverage (they end the command line).</summary>
    /// <param name="onlyAssembly">Measure this assembly alone, whether or not its sources are found. For a build that
    /// maps its source paths away (PathMap), where coverlet, finding no source, would leave the assembly out.
    /// https://github.com/coverlet-coverage/coverlet/blob/master/Documentation/VSTestIntegration.md</param>
    public static IReadOnlyList<string> Arguments(string? onlyAssembly = null) => onlyAssembly is null
        ? ["--collect", "XPlat Code Coverage"]
        :
        [
            "--collect", "XPlat Code Coverage", "--",
            $"{Settings}.Include=[{onlyAssembly}]*",
            $"{Settings}.ExcludeAssembliesWithoutSources=None",
        ];

    private const string Settings = "DataCollectionRunSettings.DataCollectors.DataCollector.Configuration";

    /// <summary>Whether to collect: asked for, or in CodeBuild. The environment lookup is passed in so tests feed it.</summary>
    public static bool IsRequested(bool asked, Func<string, string?> environment)
    {
        ArgumentNullException.ThrowIfNull(environment);
        return asked || !string.IsNullOrEmpty(environment(CodeBuildVariable));
    }

    /// <summary>As <see cref="IsRequested(bool, Func{string, string?})"/>, with the process's environment.</summary>
    public static bool IsRequested(bool asked) => IsRequested(asked, Environment.GetEnvironmentVariable);

    /// <summary>
    /// Moves the coverage file of every test project, which the collector writes to a folder named by a GUID right
    /// under <paramref name="resultsDirectory"/>, to <c>coverage/&lt;that folder&gt;/</c>; returns the moved files.
    /// The copy a TRX logger attaches to its report (under <c>&lt;machine&gt;_&lt;time&gt;/In/</c>) stays with the
    /// report, so the coverage report group reads each project's coverage once.
    /// </summary>
    public static IReadOnlyList<string> Gather(string resultsDirectory)
    {
        var target = Path.Combine(resultsDirectory, Folder);
        if (!Directory.Exists(resultsDirectory)) return [];

        var moved = new List<string>();
        foreach (var from in Directory.GetDirectories(resultsDirectory).Where(d => Guid.TryParse(Path.GetFileName(d), out _)))
        {
            var file = Path.Combine(from, FileName);
            if (!File.Exists(file)) continue;
            var to = Path.Combine(target, Path.GetFileName(from));
            Directory.CreateDirectory(to);
            var destination = Path.Combine(to, FileName);
            File.Move(file, destination, overwrite: true);
            moved.Add(destination);
            if (!Directory.EnumerateFileSystemEntries(from).Any()) Directory.Delete(from);
        }

        return moved;
    }
}
