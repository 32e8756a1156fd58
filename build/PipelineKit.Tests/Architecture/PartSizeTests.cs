namespace PipelineKit.Tests.Architecture;

/// <summary>A part reads in one sitting: a file of the kit or of its fakes that grows past the limit is split along its
/// concerns (README, "Layout"), not allowed to grow on.</summary>
public class PartSizeTests
{
    private const int MaxLines = 350;

    [Theory]
    [InlineData("PipelineKit")]
    [InlineData("PipelineKit.Testing")]
    public void EveryFile_StaysUnderTheLineLimit(string project)
    {
        var kit = Path.Combine(PipelineKit.Tests.Templates.TemplateLintTests.RepositoryRoot(), "build", project);
        var tooLong = Directory.GetFiles(kit, "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                        && !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .Select(f => (File: Path.GetRelativePath(kit, f), Lines: File.ReadLines(f).Count()))
            .Where(f => f.Lines > MaxLines)
            .Select(f => $"{f.File}: {f.Lines} lines")
            .ToList();

        Assert.True(tooLong.Count == 0, $"Over {MaxLines} lines; split along its concerns: {string.Join("; ", tooLong)}");
    }
}
