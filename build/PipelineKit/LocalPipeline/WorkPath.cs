namespace PipelineKit.LocalPipeline;

using PipelineKit.Errors;

/// <summary>
/// The guard on every path the local run writes or deletes: it must lie under the run's work root
/// (artifacts/local-pipeline), whatever names the template or buildspec gave. The template reader already refuses names
/// outside AWS's patterns; this is the second line, so a name that slips through can never make the clean of a build
/// directory, a log file or a report copy reach outside the work root.
/// </summary>
public static class WorkPath
{
    /// <summary>The full path of <paramref name="path"/>, which must be <paramref name="root"/> or lie under it.</summary>
    /// <exception cref="LocalPipelineException">The path leads outside the root.</exception>
    public static string Under(string root, string path)
    {
        ArgumentNullException.ThrowIfNull(root);
        ArgumentNullException.ThrowIfNull(path);
        var fullRoot = Path.GetFullPath(root);
        var full = Path.GetFullPath(Path.Combine(fullRoot, path));
        var relative = Path.GetRelativePath(fullRoot, full);
        var outside = relative == ".." || relative.StartsWith(".." + Path.DirectorySeparatorChar, StringComparison.Ordinal)
            || Path.IsPathRooted(relative);
        return outside
            ? throw new LocalPipelineException(ErrorCodes.LocalPipelineRefused.Code,
                $"The local run refuses to write or delete {full}: it lies outside its work folder {fullRoot}.")
            : full;
    }
}
