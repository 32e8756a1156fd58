namespace PipelineKit.LocalPipeline;

using System.IO.Compression;
using PipelineKit.SampleApp;

/// <summary>
/// What a build leaves for the pipeline: its output artifact (the artifacts section's files, zipped the same way every
/// time, as <see cref="DeterministicZip"/> zips) and its test reports (each group's files, copied where the run keeps
/// reports). Paths follow the CodeBuild buildspec reference: patterns relative to base-directory, itself relative to the
/// primary source directory; discard-paths keeps file names only.
/// </summary>
public static class BuildArtifacts
{
    /// <summary>Zips the files <paramref name="artifacts"/> names into <paramref name="zipPath"/>.</summary>
    /// <returns>The number of files in the zip.</returns>
    /// <exception cref="ActionFailedException">No file matched: CodeBuild's "no matching artifact paths found".</exception>
    public static int Package(BuildspecArtifacts artifacts, string sourceDirectory, string zipPath)
    {
        ArgumentNullException.ThrowIfNull(artifacts);
        var baseDirectory = Inside(sourceDirectory, artifacts.BaseDirectory);
        var files = FileGlob.Match(baseDirectory, artifacts.Files);
        if (files.Count == 0)
        {
            throw new ActionFailedException("JobFailed",
                $"UPLOAD_ARTIFACTS phase failed: CLIENT_ERROR: no matching artifact paths found (base-directory {artifacts.BaseDirectory ?? "."}, " +
                $"files {string.Join(", ", artifacts.Files)}).");
        }

        // discard-paths: entries are named by file name; a later path with the same name takes its place, as when
        // CodeBuild copies them into one folder.
        var entries = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var file in files)
        {
            entries[artifacts.DiscardPaths ? Path.GetFileName(file) : file] = Path.Combine(baseDirectory, file);
        }

        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(zipPath))!);
        using (var stream = File.Create(zipPath))
        using (var zip = new ZipArchive(stream, ZipArchiveMode.Create))
        {
            foreach (var (name, path) in entries)
            {
                var entry = zip.CreateEntry(name, DeterministicZip.Compression);
                entry.LastWriteTime = DeterministicZip.EntryTimestamp;
                entry.ExternalAttributes = DeterministicZip.EntryExternalAttributes;
                using var target = entry.Open();
                using var source = File.OpenRead(path);
                source.CopyTo(target);
            }
        }

        return entries.Count;
    }

    /// <summary>Copies each report group's files to <paramref name="reportsDirectory"/>/&lt;group&gt;/.</summary>
    /// <returns>The number of report files copied, over all groups.</returns>
    public static int CopyReports(IEnumerable<BuildspecReport> reports, string sourceDirectory, string reportsDirectory)
    {
        ArgumentNullException.ThrowIfNull(reports);
        var count = 0;
        foreach (var report in reports)
        {
            var baseDirectory = Inside(sourceDirectory, report.BaseDirectory);
            foreach (var file in FileGlob.Match(baseDirectory, report.Files))
            {
                var target = WorkPath.Under(reportsDirectory, Path.Combine(report.Group, report.DiscardPaths ? Path.GetFileName(file) : file));
                Directory.CreateDirectory(Path.GetDirectoryName(target)!);
                File.Copy(Path.Combine(baseDirectory, file), target, overwrite: true);
                count++;
            }
        }

        return count;
    }

    /// <summary>The base directory, which must lie inside the source directory.</summary>
    private static string Inside(string sourceDirectory, string? baseDirectory)
    {
        var root = Path.GetFullPath(sourceDirectory);
        var full = Path.GetFullPath(Path.Combine(root, baseDirectory ?? "."));
        var relative = Path.GetRelativePath(root, full);
        return relative == ".." || relative.StartsWith(".." + Path.DirectorySeparatorChar, StringComparison.Ordinal) || Path.IsPathRooted(relative)
            ? throw new ActionFailedException("JobFailed", $"UPLOAD_ARTIFACTS phase failed: base-directory {baseDirectory} is outside the source directory.")
            : full;
    }
}
