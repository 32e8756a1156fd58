namespace PipelineKit.Tests.SampleApp;

using PipelineKit.SampleApp;

/// <summary>When Package may use a tested build again: only while every input of the build is the same.</summary>
public sealed class SamplePackageCacheTests : IDisposable
{
    private readonly string root = Directory.CreateTempSubdirectory("pipelinekit-package-cache-").FullName;

    public SamplePackageCacheTests()
    {
        Write("global.json", """{ "sdk": { "version": "10.0.100" } }""");
        Write("sample-app/src/HelloService/Function.cs", "class Function {}");
        Write("sample-app/tests/HelloService.Tests/FunctionTests.cs", "class FunctionTests {}");
    }

    public void Dispose() => Directory.Delete(root, recursive: true);

    [Fact]
    public void Key_IsTheSame_ForTheSameSources_WhateverTheBuildOutput()
    {
        var before = SamplePackageCache.Key(root, "10.0.100", coverage: false);
        Write("sample-app/src/HelloService/bin/Release/HelloService.dll", "output");
        Write("sample-app/src/HelloService/obj/project.assets.json", "{}");
        Write("sample-app/tests/HelloService.Tests/TestResults/run.trx", "<TestRun/>");

        Assert.Equal(before, SamplePackageCache.Key(root, "10.0.100", coverage: false));
    }

    [Theory]
    [InlineData("sample-app/src/HelloService/Function.cs", "class Function { int changed; }")]
    [InlineData("sample-app/tests/HelloService.Tests/FunctionTests.cs", "class FunctionTests { void New() {} }")]
    [InlineData("sample-app/src/HelloService/Added.cs", "class Added {}")]
    [InlineData("global.json", """{ "sdk": { "version": "10.0.200" } }""")]
    [InlineData("Directory.Build.props", "<Project />")]
    [InlineData("Directory.Build.targets", "<Project />")]
    [InlineData("nuget.config", "<configuration />")]
    public void Key_Changes_WithAnyInputOfTheBuild(string file, string content)
    {
        var before = SamplePackageCache.Key(root, "10.0.100", coverage: false);
        Write(file, content);

        Assert.NotEqual(before, SamplePackageCache.Key(root, "10.0.100", coverage: false));
    }

    [Fact]
    public void Key_Changes_WithTheSdk_AndWithCoverage()
    {
        var key = SamplePackageCache.Key(root, "10.0.100", coverage: false);

        Assert.NotEqual(key, SamplePackageCache.Key(root, "10.0.101", coverage: false));
        Assert.NotEqual(key, SamplePackageCache.Key(root, "10.0.100", coverage: true));
    }

    [Fact]
    public void AKeptEntry_RestoresTheZipAndTheTestReports_AndAnotherKeyFindsNothing()
    {
        var cache = new SamplePackageCache(Path.Combine(root, "cache"));
        var output = Path.Combine(root, "out");
        Write("out/hello-service.zip", "zip bytes");
        Write("out/test-results/hello-service.trx", "<TestRun/>");
        cache.Keep("k1", output, "hello-service.zip");
        var restored = Path.Combine(root, "restored");
        Directory.CreateDirectory(restored);

        Assert.True(cache.TryRestore("k1", restored, "hello-service.zip"));
        Assert.Equal("zip bytes", File.ReadAllText(Path.Combine(restored, "hello-service.zip")));
        Assert.Equal("<TestRun/>", File.ReadAllText(Path.Combine(restored, "test-results", "hello-service.trx")));
        Assert.False(cache.TryRestore("k2", restored, "hello-service.zip"));
    }

    [Fact]
    public void AnEntryOthersMayWrite_IsNotUsed_SoNoUntestedZipIsHandedOut()
    {
        if (OperatingSystem.IsWindows()) return;
        var cache = new SamplePackageCache(Path.Combine(root, "cache"));
        Write("out/hello-service.zip", "zip bytes");
        cache.Keep("k1", Path.Combine(root, "out"), "hello-service.zip");
        var restored = Path.Combine(root, "restored");
        Directory.CreateDirectory(restored);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute,
            File.GetUnixFileMode(Path.Combine(root, "cache", "k1")));

        File.SetUnixFileMode(Path.Combine(root, "cache", "k1"), (UnixFileMode)0b111_111_111);

        Assert.False(cache.TryRestore("k1", restored, "hello-service.zip"));
        Assert.False(File.Exists(Path.Combine(restored, "hello-service.zip")));
    }

    [Fact]
    public void TheCache_LivesUnderArtifacts_OrWhereTheVariableSays_AndOffTurnsItOff()
    {
        var shared = Path.Combine(root, "shared");

        Assert.Equal(Path.Combine(root, "artifacts", "cache", "sample-app"), SamplePackageCache.For(root, _ => null)!.Location);
        Assert.Equal(Path.Combine(shared, "sample-app"),
            SamplePackageCache.For(root, name => name == SamplePackageCache.DirectoryVariable ? shared : null)!.Location);
        Assert.Null(SamplePackageCache.For(root, name => name == SamplePackageCache.DirectoryVariable ? "off" : null));
    }

    private void Write(string relative, string content)
    {
        var path = Path.Combine(root, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, content);
    }
}
