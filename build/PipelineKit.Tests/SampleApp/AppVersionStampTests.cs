namespace PipelineKit.Tests.SampleApp;

using System.Collections.Immutable;
using PipelineKit.Messages;
using PipelineKit.SampleApp;
using PipelineKit.Testing;
using PipelineKit.Tests.Configuration;
using PipelineKit.Tests.Templates;

/// <summary>The version Package stamps: the source revision, into every parameter file's AppVersion, never into the zip.</summary>
public sealed class AppVersionStampTests : IDisposable
{
    private readonly string root = Directory.CreateTempSubdirectory("pipelinekit-stamp-").FullName;

    public void Dispose() => Directory.Delete(root, recursive: true);

    [Fact]
    public void InCodeBuild_TheResolvedSourceVersionIsTheVersion()
    {
        var version = AppVersionStamp.Resolve(TemplateLintTests.RepositoryRoot(),
            name => name == "CODEBUILD_RESOLVED_SOURCE_VERSION" ? "Xk3l9.pQ_object-version" : null);

        Assert.Equal("Xk3l9.pQ_object-version", version);
    }

    [Fact]
    public void InAGitCheckout_TheCommitIdIsTheVersion()
    {
        var version = AppVersionStamp.Resolve(TemplateLintTests.RepositoryRoot(), _ => null);

        Assert.Matches("^[0-9a-f]{40}$", version);
    }

    [Fact]
    public void WithoutRevision_TheVersionSaysSo()
    {
        Assert.Equal(AppVersionStamp.Unversioned, AppVersionStamp.Resolve(root, _ => ""));
    }

    [Fact]
    public void ASourceUnpackedInsideACheckout_IsNotThatCheckoutsCommit()
    {
        var inside = Path.Combine(TemplateLintTests.RepositoryRoot(), "artifacts", "stamp-test-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(inside);
        try
        {
            Assert.Equal(AppVersionStamp.Unversioned, AppVersionStamp.Resolve(inside, _ => null));
        }
        finally
        {
            Directory.Delete(inside);
        }
    }

    [Fact]
    public async Task Package_SameRevision_GivesTheSameZip_AndANewRevisionChangesOnlyAppVersion_ReusingTheTestedBuild()
    {
        CopySampleApp(TemplateLintTests.RepositoryRoot(), root);
        var config = ConfigJson.Parse(ConfigJson.Valid());
        var cache = new SamplePackageCache(Path.Combine(root, "cache"));

        var first = await Snapshot(await Package(config, "rev-1", cache, new RecordingMessages()));
        var again = await Snapshot(await Package(config, "rev-1", cache: null, new RecordingMessages()));
        var reusing = new RecordingMessages();
        var next = await Snapshot(await Package(config, "rev-2", cache, reusing));

        Assert.Equal(first.Zip, again.Zip);
        Assert.Equal(first.Parameters, again.Parameters);
        Assert.Equal(first.Zip, next.Zip);
        Assert.Contains(reusing.Messages, m => m.Kind == MessageCodes.SampleAppReused);
        Assert.DoesNotContain(reusing.Messages, m => m.Kind == MessageCodes.SampleAppPublishing);
        Assert.NotEmpty(Directory.EnumerateFiles(Path.Combine(root, "artifacts", "sample-app", "test-results"), "*.trx"));
        foreach (var environment in config.Environments)
        {
            Assert.Equal("rev-1", first.Parameters[environment.Name]["AppVersion"]);
            Assert.Equal("rev-2", next.Parameters[environment.Name]["AppVersion"]);
            Assert.Equal(first.Parameters[environment.Name].Remove("AppVersion"), next.Parameters[environment.Name].Remove("AppVersion"));
        }
    }

    private Task<SamplePackage> Package(PipelineKit.Configuration.PipelineConfig config, string revision, SamplePackageCache? cache, RecordingMessages messages) =>
        SamplePackager.PackageAsync(root, config, revision,
            (environment, sha) => SamplePackager.ArtifactBucketLocation(config, environment, sha), cache, messages, CancellationToken.None);

    private static async Task<(byte[] Zip, Dictionary<string, ImmutableDictionary<string, string>> Parameters)> Snapshot(SamplePackage package) =>
        (await File.ReadAllBytesAsync(package.ZipPath),
         package.ParameterFiles.ToDictionary(p => p.Key, p => SampleAppPlan.ReadParameterFile(p.Value).Parameters.ToImmutableDictionary()));

    /// <summary>The sample app's sources and the repository's build settings, without build output.</summary>
    private static void CopySampleApp(string from, string to)
    {
        foreach (var file in new[] { "Directory.Build.props", "global.json" }) File.Copy(Path.Combine(from, file), Path.Combine(to, file));
        var source = Path.Combine(from, "sample-app");
        foreach (var file in Directory.EnumerateFiles(source, "*", SearchOption.AllDirectories))
        {
            var relative = Path.GetRelativePath(source, file);
            if (relative.Split(Path.DirectorySeparatorChar).Any(part => part is "bin" or "obj" or "TestResults")) continue;
            var target = Path.Combine(to, "sample-app", relative);
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }
    }
}
