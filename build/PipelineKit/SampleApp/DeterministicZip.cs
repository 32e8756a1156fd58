namespace PipelineKit.SampleApp;

using System.IO.Compression;
using System.Security.Cryptography;

/// <summary>
/// Zips a folder so that the same file contents give the same zip bytes, whatever the file system's order,
/// timestamps or permissions: entries sorted by ordinal path with '/' separators, no directory entries, every
/// entry dated 1980-01-01 00:00 (the earliest DOS date a zip can hold), Unix mode 0644 (rw-r--r--, what Lambda
/// needs to read the files), one fixed compression level. A Lambda function's code is redeployed only when
/// its zip's bytes change, so an unchanged function keeps its zip, its SHA-256 and its S3 key.
/// </summary>
/// <remarks>
/// System.IO.Compression records the platform that wrote the zip ("version made by": Unix on Linux and macOS,
/// Windows on Windows), so the bytes are the same for every build on one platform family, not across them.
/// The pipeline packages on Linux (CodeBuild).
/// </remarks>
public static class DeterministicZip
{
    public static readonly DateTimeOffset EntryTimestamp = new(1980, 1, 1, 0, 0, 0, TimeSpan.Zero);

    /// <summary>Regular file, rw-r--r--, in the high 16 bits (Unix "external attributes").</summary>
    public const int EntryExternalAttributes = unchecked((int)(0b1000_000_110_100_100u << 16));

    public const CompressionLevel Compression = CompressionLevel.Optimal;

    /// <summary>The zip of every file under <paramref name="sourceDirectory"/>, entries named by their relative path.</summary>
    public static byte[] Create(string sourceDirectory) => Create(sourceDirectory, _ => true);

    /// <summary>The zip of the files under <paramref name="sourceDirectory"/> whose relative path ('/'-separated)
    /// <paramref name="include"/> accepts.</summary>
    public static byte[] Create(string sourceDirectory, Func<string, bool> include)
    {
        ArgumentNullException.ThrowIfNull(include);
        var root = Path.GetFullPath(sourceDirectory);
        if (!Directory.Exists(root))
        {
            throw new DirectoryNotFoundException($"Cannot zip {root}: the folder does not exist.");
        }

        var files = Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories)
            .Select(path => (Path: path, Name: Path.GetRelativePath(root, path).Replace(Path.DirectorySeparatorChar, '/')))
            .Where(file => include(file.Name))
            .OrderBy(file => file.Name, StringComparer.Ordinal)
            .ToArray();
        if (files.Length == 0)
        {
            throw new InvalidOperationException($"Cannot zip {root}: the folder holds no files.");
        }

        using var buffer = new MemoryStream();
        using (var zip = new ZipArchive(buffer, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var (path, name) in files)
            {
                var entry = zip.CreateEntry(name, Compression);
                entry.LastWriteTime = EntryTimestamp;
                entry.ExternalAttributes = EntryExternalAttributes;
                using var target = entry.Open();
                using var source = File.OpenRead(path);
                source.CopyTo(target);
            }
        }

        return buffer.ToArray();
    }

    /// <summary>Writes the zip of <paramref name="sourceDirectory"/> to <paramref name="zipPath"/>; returns its SHA-256 (lower-case hex).</summary>
    public static string Write(string sourceDirectory, string zipPath)
    {
        var bytes = Create(sourceDirectory);
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(zipPath))!);
        File.WriteAllBytes(zipPath, bytes);
        return Sha256(bytes);
    }

    public static string Sha256(ReadOnlySpan<byte> bytes) => Convert.ToHexStringLower(SHA256.HashData(bytes));
}
