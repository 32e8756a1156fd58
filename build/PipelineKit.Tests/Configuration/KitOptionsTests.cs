namespace PipelineKit.Tests.Configuration;

using System.Diagnostics;
using PipelineKit.Tests.Templates;

public sealed class KitOptionsTests
{
    private static readonly string Root = Path.GetTempPath();

    private static KitOptions Read(params string[] options) =>
        KitOptions.FromCommandLine(Root, ["/tools/Cake.dll", "build.cake", "--target=BootstrapAll", .. options]);

    [Fact]
    public void FromCommandLine_ReadsTheKitsOptions_InEitherForm()
    {
        var options = Read("--config", "other.json", "--profile=ci", "--parallelism", "3", "--direct", "--verbosity", "Diagnostic");

        Assert.Equal(Path.Combine(Root, "other.json"), options.ConfigPath);
        Assert.Equal("ci", options.Profile);
        Assert.Equal(3, options.Parallelism);
        Assert.True(options.Direct);
        Assert.False(options.Sandbox);
        Assert.False(options.Exclusive);
    }

    [Theory]
    [InlineData("--target", "CreatePipeline")]
    [InlineData("--target=CreatePipeline")]
    public void FromCommandLine_ReadsCakesTarget_InEitherForm(params string[] words)
    {
        var options = KitOptions.FromCommandLine(Root, ["Cake.dll", "build.cake", .. words, "--sandbox"]);

        Assert.Equal("CreatePipeline", options.Target);
        Assert.True(options.Sandbox);
    }

    [Theory]
    [InlineData("--tree")]
    [InlineData("--showtree")]
    [InlineData("--dryrun")]
    [InlineData("--noop")]
    [InlineData("--whatif")]
    [InlineData("--descriptions")]
    public void FromCommandLine_TakesCakesViewsOfTheGraph_UnderEachOfCakesNames(string option)
    {
        var options = Read(option);

        Assert.Equal("BootstrapAll", options.Target);
    }

    [Fact]
    public void FromCommandLine_ResolvesARelativeConfig_InTheCallersDirectory_NotTheKitsFolder()
    {
        var kit = Path.Combine(Root, "kit");
        var caller = Path.Combine(Root, "work", "team");

        var options = KitOptions.FromCommandLine(kit, ["Cake.dll", "build.cake", "--config", "configs/prod.json"], caller);

        Assert.Equal(Path.Combine(caller, "configs", "prod.json"), options.ConfigPath);
    }

    [Fact]
    public void FromCommandLine_WithoutConfig_UsesTheKitsPipelineJson_WhereverTheCallerIs()
    {
        var kit = Path.Combine(Root, "kit");

        var options = KitOptions.FromCommandLine(kit, ["Cake.dll", "build.cake"], Path.Combine(Root, "elsewhere"));

        Assert.Equal(Path.Combine(kit, "pipeline.json"), options.ConfigPath);
    }

    [Fact]
    public void FromCommandLine_WithoutACallerDirectory_ResolvesARelativeConfig_InTheRepositoryRoot()
    {
        Assert.Equal(Path.Combine(Root, "other.json"), Read("--config", "other.json").ConfigPath);
    }

    [Fact]
    public void BuildScripts_ExportTheCallersDirectory_BeforeMovingToTheKitsFolder()
    {
        var root = TemplateLintTests.RepositoryRoot();
        var sh = File.ReadAllText(Path.Combine(root, "build.sh"));
        var ps1 = File.ReadAllText(Path.Combine(root, "build.ps1"));

        Assert.True(sh.IndexOf($"export {KitOptions.CallerDirectoryVariable}=\"$PWD\"", StringComparison.Ordinal) is >= 0 and var at
            && at < sh.IndexOf("cd \"$(dirname", StringComparison.Ordinal), "build.sh must export the caller's directory before its cd");
        Assert.True(ps1.IndexOf($"$env:{KitOptions.CallerDirectoryVariable} =", StringComparison.Ordinal) is >= 0 and var at1
            && at1 < ps1.IndexOf("Set-Location $PSScriptRoot", StringComparison.Ordinal), "build.ps1 must set the caller's directory before Set-Location");
    }

    [Theory]
    [InlineData("--exclusive")]
    [InlineData("-e")]
    public void FromCommandLine_SeesExclusive_ThoughCakeKeepsItFromTheScript(string option)
    {
        Assert.True(Read(option, "--sandbox").Exclusive);
    }

    [Theory]
    [InlineData("--sandbx", "--sandbx is not an option of the kit or of Cake; did you mean --sandbox?")]
    [InlineData("--paralelism=2", "did you mean --parallelism?")]
    [InlineData("--profile", "--profile needs a value, e.g. --profile build.")]
    [InlineData("--config=", "--config needs a value")]
    public void FromCommandLine_RefusesTyposAndMissingValues_NamingTheOption(string option, string expected)
    {
        var error = Assert.Throws<ArgumentException>(() => Read(option));

        Assert.Contains(expected, error.Message);
    }

    [Theory]
    [InlineData("--parallelism", "-3", "--parallelism must be a whole number from 1 to 64, not \"-3\".")]
    [InlineData("--parallelism", "0", "--parallelism must be a whole number from 1 to 64, not \"0\".")]
    [InlineData("--parallelism", "65", "--parallelism must be a whole number from 1 to 64, not \"65\".")]
    [InlineData("--key-deletion-days", "-7", "--key-deletion-days: \"-7\" is not a whole number from 7 to 30 (KMS's pending window).")]
    public void FromCommandLine_WithANumberOutOfRange_NamesTheRange_NotAMissingValue(string option, string value, string expected)
    {
        var error = Assert.Throws<ArgumentException>(() => Read(option, value));

        Assert.Equal(expected, error.Message);
    }

    [Fact]
    public void FromCommandLine_DoesNotTakeTheNextOptionAsAValue()
    {
        var error = Assert.Throws<ArgumentException>(() => Read("--profile", "--sandbox"));

        Assert.Contains("--profile needs a value", error.Message);
    }

    [Fact]
    public async Task ThroughCake_ATypoInAnOption_StopsTheRunBeforeAnyTaskStarts()
    {
        // The whole chain a user runs: Cake loads build.cake, which hands the command line to the kit.
        var root = TemplateLintTests.RepositoryRoot();
        using var cake = Process.Start(new ProcessStartInfo("dotnet", ["cake", "build.cake", "--target=Package", "--sandbx"])
        {
            WorkingDirectory = root,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        })!;
        var output = cake.StandardOutput.ReadToEndAsync();
        var error = cake.StandardError.ReadToEndAsync();
        await cake.WaitForExitAsync();

        Assert.NotEqual(0, cake.ExitCode);
        Assert.Contains("did you mean --sandbox?", await output + await error);
        Assert.DoesNotContain("Sample app:", await output);
    }
}
