namespace PipelineKit.LocalPipeline;

using System.IO.Compression;

/// <summary>
/// A project's source directory, kept between runs like CodeBuild's local source cache: before each build everything in
/// it is deleted except folders named bin, obj and node_modules (so a build compiles incrementally), then the input
/// artifact is extracted over it.
/// </summary>
public static class BuildSource
{
    public static readonly IReadOnlyList<string> KeptFolders = ["bin", "obj", "node_modules"];

    /// <summary>Empties <paramref name="directory"/> but for the kept folders, then extracts <paramref name="zipFile"/> into it.</summary>
    /// <param name="root">What <paramref name="directory"/> must lie under (<see cref="WorkPath.Under"/>): the clean deletes.</param>
    public static void Prepare(string root, string directory, string zipFile)
    {
        directory = WorkPath.Under(root, directory);
        Directory.CreateDirectory(directory);
        Clean(new DirectoryInfo(directory));
        ZipFile.ExtractToDirectory(zipFile, directory, overwriteFiles: true);
    }

    private static void Clean(DirectoryInfo directory)
    {
        foreach (var file in directory.EnumerateFiles())
        {
            file.Delete();
        }

        foreach (var sub in directory.EnumerateDirectories())
        {
            if (sub.LinkTarget is not null)
            {
                sub.Delete();
            }
            else if (!KeptFolders.Contains(sub.Name, StringComparer.Ordinal))
            {
                Clean(sub);
                if (!sub.EnumerateFileSystemInfos().Any()) sub.Delete();
            }
        }
    }
}
