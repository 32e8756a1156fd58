namespace PipelineKit.Tests;

/// <summary>The kit's own source files (build/PipelineKit, without bin and obj), for tests that check a registry
/// against the code that uses it.</summary>
public static class KitSource
{
    public static DirectoryInfo Directory()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "PipelineKit.slnx"))) dir = dir.Parent;
        return dir is null
            ? throw new InvalidOperationException($"No PipelineKit.slnx above {AppContext.BaseDirectory}.")
            : new DirectoryInfo(Path.Combine(dir.FullName, "build", "PipelineKit"));
    }

    /// <summary>Each .cs file as its path relative to build/PipelineKit (with '/') and its text.</summary>
    public static IReadOnlyList<(string Path, string Text)> Files()
    {
        var kit = Directory();
        return kit.GetFiles("*.cs", SearchOption.AllDirectories)
            .Select(f => (Path: System.IO.Path.GetRelativePath(kit.FullName, f.FullName).Replace('\\', '/'), f.FullName))
            .Where(f => !f.Path.StartsWith("bin/", StringComparison.Ordinal) && !f.Path.StartsWith("obj/", StringComparison.Ordinal))
            .OrderBy(f => f.Path, StringComparer.Ordinal)
            .Select(f => (f.Path, File.ReadAllText(f.FullName)))
            .ToList();
    }
}
