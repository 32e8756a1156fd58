namespace PipelineKit.SampleApp;

using System.Security.Cryptography;
using System.Text;

/// <summary>
/// The sample app's tested, published zip and its test reports, kept under a hash of everything they are made of and used
/// again while that hash is the same: testing and publishing start the dotnet CLI twice (tens of seconds) on every Package,
/// PublishSampleApp and DeploySampleApp, although a re-run with unchanged sources builds the same bytes (the zip is
/// deterministic). The key covers every file of sample-app/ but build output (bin/, obj/, TestResults/), the repository's
/// build settings (global.json, Directory.Build.props, Directory.Packages.props, NuGet.config), the SDK that builds it
/// (<c>dotnet --version</c>, which global.json's roll-forward can change) and whether coverage was gathered. Any difference
/// builds afresh. The cache lives in artifacts/cache/sample-app, or under <see cref="DirectoryVariable"/> when set
/// (<c>off</c> turns it off); an entry is written whole into a temporary folder and then renamed, so runs side by side
/// never see half of one.
/// </summary>
public sealed class SamplePackageCache(string directory)
{
    /// <summary>Where the cache lives instead of the repository's artifacts/cache (shared by several checkouts), or <c>off</c>.</summary>
    public const string DirectoryVariable = "PIPELINEKIT_CACHE_DIR";

    /// <summary>The test reports' folder inside an entry.</summary>
    private const string TestResults = "test-results";

    /// <summary>The folder that holds the entries.</summary>
    public string Location => directory;

    /// <summary>The repository's files MSBuild and NuGet read besides the project's own (names matched case-insensitively).</summary>
    private static readonly string[] BuildSettings =
        ["global.json", "Directory.Build.props", "Directory.Build.targets", "Directory.Build.rsp", "Directory.Packages.props", "NuGet.config"];

    /// <summary>Owner-only: another user of the machine can neither plant an entry nor read one.</summary>
    private const UnixFileMode Private = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;

    /// <summary>The cache for <paramref name="repositoryRoot"/>; null when <see cref="DirectoryVariable"/> is <c>off</c>.</summary>
    public static SamplePackageCache? For(string repositoryRoot, Func<string, string?> environment)
    {
        ArgumentNullException.ThrowIfNull(environment);
        var configured = environment(DirectoryVariable);
        if (string.Equals(configured, "off", StringComparison.OrdinalIgnoreCase)) return null;
        var root = string.IsNullOrEmpty(configured) ? Path.Combine(repositoryRoot, "artifacts", "cache") : configured;
        return new SamplePackageCache(Path.Combine(Path.GetFullPath(root), "sample-app"));
    }

    /// <summary>The key of the package <paramref name="repositoryRoot"/> would build with <paramref name="sdkVersion"/>.</summary>
    public static string Key(string repositoryRoot, string sdkVersion, bool coverage)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        void Add(string text) => hash.AppendData(Encoding.UTF8.GetBytes(text + "\n"));
        Add($"sdk {sdkVersion.Trim()}");
        Add($"coverage {coverage}");
        var settings = Directory.EnumerateFiles(repositoryRoot)
            .Where(path => BuildSettings.Contains(Path.GetFileName(path), StringComparer.OrdinalIgnoreCase))
            .OrderBy(path => Path.GetFileName(path), StringComparer.Ordinal);
        foreach (var path in settings) AddFile(hash, Path.GetFileName(path), path);

        var app = Path.Combine(repositoryRoot, "sample-app");
        var files = Directory.EnumerateFiles(app, "*", SearchOption.AllDirectories)
            .Select(file => (Relative: Path.GetRelativePath(repositoryRoot, file).Replace('\\', '/'), Path: file))
            .Where(file => !file.Relative.Split('/').Any(part => part is "bin" or "obj" or "TestResults"))
            .OrderBy(file => file.Relative, StringComparer.Ordinal);
        foreach (var (relative, path) in files) AddFile(hash, relative, path);
        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }

    /// <summary>Copies the entry <paramref name="key"/> into <paramref name="output"/> (the zip and the test reports);
    /// false when there is none.</summary>
    public bool TryRestore(string key, string output, string zipFileName)
    {
        var entry = Path.Combine(directory, key);
        var zip = Path.Combine(entry, zipFileName);
        if (!File.Exists(zip) || !IsOwnAndPrivate(directory) || !IsOwnAndPrivate(entry) || !IsOwnAndPrivate(zip)) return false;
        File.Copy(zip, Path.Combine(output, zipFileName), overwrite: true);
        CopyDirectory(Path.Combine(entry, TestResults), Path.Combine(output, TestResults));
        return true;
    }

    /// <summary>Keeps the zip and the test reports of <paramref name="output"/> as the entry <paramref name="key"/>.</summary>
    public void Keep(string key, string output, string zipFileName)
    {
        var entry = Path.Combine(directory, key);
        if (Directory.Exists(entry)) return;
        var partial = Path.Combine(directory, $".{key}.{Guid.NewGuid():N}");
        try
        {
            CreatePrivate(directory);
            if (!IsOwnAndPrivate(directory)) return;
            CreatePrivate(partial);
            var zip = Path.Combine(partial, zipFileName);
            File.Copy(Path.Combine(output, zipFileName), zip);
            if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(zip, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            CopyDirectory(Path.Combine(output, TestResults), Path.Combine(partial, TestResults));
            Directory.Move(partial, entry);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Another run kept the same entry first (the same bytes), or the folder is not this user's: the package stands
            // without being kept.
        }
        finally
        {
            if (Directory.Exists(partial)) Directory.Delete(partial, recursive: true);
        }
    }

    private static void CreatePrivate(string path)
    {
        if (OperatingSystem.IsWindows()) Directory.CreateDirectory(path);
        else Directory.CreateDirectory(path, Private);
    }

    /// <summary>
    /// Whether <paramref name="path"/> may be trusted: no link, and (outside Windows) writable by its owner alone, who is this
    /// user. A cache folder shared with others (PIPELINEKIT_CACHE_DIR in /tmp, say) could otherwise be handed a zip that was
    /// never tested; the owner is proved by setting the mode, which only the owner may do.
    /// </summary>
    private static bool IsOwnAndPrivate(string path)
    {
        var info = Directory.Exists(path) ? (FileSystemInfo)new DirectoryInfo(path) : new FileInfo(path);
        if (!info.Exists || info.LinkTarget is not null) return false;
        if (OperatingSystem.IsWindows()) return true;
        var mode = info.UnixFileMode;
        if ((mode & (UnixFileMode.GroupWrite | UnixFileMode.OtherWrite)) != 0) return false;
        try
        {
            info.UnixFileMode = mode;
            return true;
        }
        catch (Exception e) when (e is UnauthorizedAccessException or IOException)
        {
            return false;
        }
    }

    private static void AddFile(IncrementalHash hash, string name, string path)
    {
        var content = File.ReadAllBytes(path);
        hash.AppendData(Encoding.UTF8.GetBytes($"file {name} {content.Length}\n"));
        hash.AppendData(content);
    }

    private static void CopyDirectory(string from, string to)
    {
        if (!Directory.Exists(from)) return;
        foreach (var file in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(to, Path.GetRelativePath(from, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target, overwrite: true);
        }
    }
}
