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

    private static readonly string[] BuildSettings = ["global.json", "Directory.Build.props", "Directory.Packages.props", "NuGet.config"];

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
        foreach (var name in BuildSettings)
        {
            var path = Path.Combine(repositoryRoot, name);
            if (File.Exists(path)) AddFile(hash, name, path);
        }

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
        if (!File.Exists(zip)) return false;
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
            Directory.CreateDirectory(partial);
            File.Copy(Path.Combine(output, zipFileName), Path.Combine(partial, zipFileName));
            CopyDirectory(Path.Combine(output, TestResults), Path.Combine(partial, TestResults));
            Directory.Move(partial, entry);
        }
        catch (IOException) when (Directory.Exists(entry))
        {
            // Another run kept the same entry first: the same bytes.
        }
        finally
        {
            if (Directory.Exists(partial)) Directory.Delete(partial, recursive: true);
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
