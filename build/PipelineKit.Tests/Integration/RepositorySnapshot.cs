namespace PipelineKit.Tests.Integration;

using System.Diagnostics;

/// <summary>
/// The repository's working tree as it is now (tracked files and untracked ones git does not ignore, uncommitted changes
/// included), copied into a temporary folder and committed there as one commit: what the kit reads from a checkout (the
/// sample app it packages, <c>git archive HEAD</c> for the source upload, the commit id it stamps), without build output.
/// Each emulator collection works in its own, so collections that package the sample app or write artifacts/ run side by side.
/// </summary>
public sealed class RepositorySnapshot : IDisposable
{
    private RepositorySnapshot(string root) => Root = root;

    public string Root { get; }

    public static RepositorySnapshot Create()
    {
        var source = PipelineKit.Tests.Templates.TemplateLintTests.RepositoryRoot();
        var root = Directory.CreateTempSubdirectory("pipelinekit-repo-").FullName;
        var files = Git(source, "ls-files", "-z", "--cached", "--others", "--exclude-standard")
            .Split('\0', StringSplitOptions.RemoveEmptyEntries);
        foreach (var file in files)
        {
            var from = Path.Combine(source, file);
            if (!File.Exists(from)) continue;  // deleted in the working tree, not yet in the index
            var to = Path.Combine(root, file);
            Directory.CreateDirectory(Path.GetDirectoryName(to)!);
            File.Copy(from, to);
            if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(to, File.GetUnixFileMode(from));
        }

        Git(root, "init", "-q");
        Git(root, "add", "-A");
        Git(root, "-c", "user.name=PipelineKit tests", "-c", "user.email=tests@example.invalid", "-c", "commit.gpgsign=false",
            "commit", "-q", "-m", "Working tree of the repository under test");
        return new RepositorySnapshot(root);
    }

    public void Dispose()
    {
        try { Directory.Delete(Root, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }

    private static string Git(string directory, params string[] arguments)
    {
        var start = new ProcessStartInfo("git") { WorkingDirectory = directory, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        using var process = Process.Start(start) ?? throw new InvalidOperationException("Could not start git.");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0) throw new InvalidOperationException($"git {string.Join(' ', arguments)} failed in {directory}: {error}");
        return output.Result;
    }
}
