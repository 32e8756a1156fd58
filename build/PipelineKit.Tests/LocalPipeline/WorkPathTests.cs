namespace PipelineKit.Tests.LocalPipeline;

using System.IO.Compression;
using PipelineKit.Errors;
using PipelineKit.LocalPipeline;

/// <summary>Names from a template or buildspec never lead the local run to write or delete outside its work folder.</summary>
public sealed class WorkPathTests : IDisposable
{
    private readonly LocalBuildFixture f = new();

    public void Dispose() => f.Dispose();

    [Theory]
    [InlineData("../outside")]
    [InlineData("builds/../../outside")]
    [InlineData("/etc")]
    public void A_path_leading_outside_the_work_root_is_refused(string path)
    {
        var e = Assert.Throws<LocalPipelineException>(() => WorkPath.Under(f.WorkRoot, path));

        Assert.Equal(ErrorCodes.LocalPipelineRefused.Code, e.Code);
    }

    [Fact]
    public void A_path_under_the_work_root_is_its_full_path() =>
        Assert.Equal(Path.Combine(f.WorkRoot, "builds", "proj"), WorkPath.Under(f.WorkRoot, Path.Combine("builds", "proj")));

    [Fact]
    public void The_clean_of_a_source_directory_outside_the_work_root_deletes_nothing()
    {
        var outside = Path.Combine(f.Root, "precious");
        Directory.CreateDirectory(outside);
        File.WriteAllText(Path.Combine(outside, "keep.txt"), "x");
        var zip = Path.Combine(f.Root, "empty.zip");
        ZipFile.CreateFromDirectory(f.Source, zip);

        Assert.Throws<LocalPipelineException>(() =>
            BuildSource.Prepare(Path.Combine(f.WorkRoot, "builds", "proj"), Path.Combine(f.WorkRoot, "builds", "proj", "..", "..", "..", "precious"), zip));

        Assert.True(File.Exists(Path.Combine(outside, "keep.txt")));
    }

    [Theory]
    [InlineData("../../escape")]
    [InlineData("arn:aws:codebuild:eu-west-1:111111111111:report-group/x")]
    public async Task A_report_group_name_outside_CodeBuilds_pattern_is_refused_by_name(string group)
    {
        var spec = $"version: 0.2\nphases:\n  build:\n    commands: ['true']\nreports:\n  \"{group}\":\n    files: ['*.xml']\n";

        var e = await Assert.ThrowsAsync<LocalPipelineException>(() => f.Executor().RunAsync(f.Run(spec, outputs: []), CancellationToken.None));

        Assert.Equal(ErrorCodes.LocalPipelineRefused.Code, e.Code);
        Assert.Contains($"report group {group}", e.Message, StringComparison.Ordinal);
    }
}
