namespace PipelineKit.Tests.SampleApp;

using System.IO.Compression;
using System.Security.Cryptography;
using PipelineKit.SampleApp;

// The zip writer is a pure function of the files' names and contents: the same function code must give the
// same zip bytes, or every build would redeploy every environment.
public sealed class DeterministicZipTests : IDisposable
{
    private static readonly (string Name, string Content)[] Files =
    [
        ("HelloService.dll", "dll bytes"),
        ("HelloService.deps.json", "{ \"deps\": true }"),
        ("HelloService.runtimeconfig.json", "{ \"runtime\": true }"),
        ("runtimes/linux-x64/native/lib.so", "native"),
        ("a/b/c.txt", "nested"),
        ("Zeta.txt", "upper case sorts first"),
    ];

    private readonly string root = Path.Combine(Path.GetTempPath(), "pipelinekit-zip-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(root)) Directory.Delete(root, recursive: true);
    }

    [Fact]
    public void Create_SameFolderTwice_GivesIdenticalBytes()
    {
        var folder = Folder("one", Files, new DateTime(2024, 5, 6, 7, 8, 9, DateTimeKind.Utc));

        var first = DeterministicZip.Create(folder);
        var second = DeterministicZip.Create(folder);

        Assert.Equal(first, second);
    }

    [Fact]
    public void Create_SameFilesWrittenInAnotherOrderAtAnotherTimeWithOtherModes_GivesIdenticalBytes()
    {
        var first = Folder("first", Files, new DateTime(2020, 1, 2, 3, 4, 5, DateTimeKind.Utc));
        var second = Folder("second", Files.Reverse().ToArray(), new DateTime(2025, 12, 31, 23, 59, 59, DateTimeKind.Utc));
        if (!OperatingSystem.IsWindows())
        {
            foreach (var file in Directory.GetFiles(second, "*", SearchOption.AllDirectories))
            {
                File.SetUnixFileMode(file, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupRead);
            }
        }

        Assert.Equal(DeterministicZip.Create(first), DeterministicZip.Create(second));
    }

    [Fact]
    public void Create_EntriesAreFilesOnlySortedByOrdinalPathWithFixedTimestampAndMode()
    {
        var folder = Folder("entries", Files, DateTime.UtcNow);

        using var zip = new ZipArchive(new MemoryStream(DeterministicZip.Create(folder)), ZipArchiveMode.Read);

        Assert.Equal(
            ["HelloService.deps.json", "HelloService.dll", "HelloService.runtimeconfig.json", "Zeta.txt", "a/b/c.txt", "runtimes/linux-x64/native/lib.so"],
            zip.Entries.Select(e => e.FullName));
        Assert.All(zip.Entries, entry =>
        {
            Assert.Equal(new DateTime(1980, 1, 1, 0, 0, 0), entry.LastWriteTime.DateTime);
            Assert.Equal(DeterministicZip.EntryExternalAttributes, entry.ExternalAttributes);
            Assert.Equal("100644", Convert.ToString((entry.ExternalAttributes >> 16) & 0xFFFF, 8));
            Assert.False(entry.FullName.EndsWith('/'));
        });
        using var reader = new StreamReader(zip.GetEntry("a/b/c.txt")!.Open());
        Assert.Equal("nested", reader.ReadToEnd());
    }

    [Fact]
    public void Create_ChangedContent_ChangesTheBytes()
    {
        var before = DeterministicZip.Create(Folder("before", Files, DateTime.UtcNow));
        var changed = Files.Select(f => f.Name == "HelloService.dll" ? (f.Name, "other dll bytes") : f).ToArray();

        var after = DeterministicZip.Create(Folder("after", changed, DateTime.UtcNow));

        Assert.NotEqual(before, after);
    }

    [Fact]
    public void Create_EmptyFolder_ThrowsNamingTheFolder()
    {
        var folder = Directory.CreateDirectory(Path.Combine(root, "empty")).FullName;
        Directory.CreateDirectory(Path.Combine(folder, "only-a-directory"));

        var error = Assert.Throws<InvalidOperationException>(() => DeterministicZip.Create(folder));

        Assert.Equal($"Cannot zip {folder}: the folder holds no files.", error.Message);
    }

    [Fact]
    public void Write_WritesTheZipAndReturnsItsLowerCaseSha256()
    {
        var folder = Folder("write", Files, DateTime.UtcNow);
        var zipPath = Path.Combine(root, "out", "hello-service.zip");

        var sha = DeterministicZip.Write(folder, zipPath);

        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(zipPath))), sha);
        Assert.Matches("^[0-9a-f]{64}$", sha);
        Assert.Equal(DeterministicZip.Create(folder), File.ReadAllBytes(zipPath));
    }

    private string Folder(string name, IEnumerable<(string Name, string Content)> files, DateTime timestamp)
    {
        var folder = Path.Combine(root, name);
        foreach (var (file, content) in files)
        {
            var path = Path.Combine(folder, file.Replace('/', Path.DirectorySeparatorChar));
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllText(path, content);
            File.SetLastWriteTimeUtc(path, timestamp);
        }

        return folder;
    }
}
