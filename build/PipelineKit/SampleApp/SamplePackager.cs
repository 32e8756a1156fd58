namespace PipelineKit.SampleApp;

using System.Text;
using PipelineKit.Naming;
using PipelineKit.Configuration;
using PipelineKit.Errors;
using PipelineKit.Messages;
using PipelineKit.Reporting;

/// <summary>What <see cref="SamplePackager.PackageAsync(string, PipelineConfig, string, IKitMessages, CancellationToken)"/> wrote.</summary>
/// <param name="ZipPath">artifacts/sample-app/hello-service.zip</param>
/// <param name="ZipSha256">Lower-case hex SHA-256 of the zip; the same for the same function code.</param>
/// <param name="TemplatePath">artifacts/sample-app/template.yaml, a byte copy of sample-app/template.yaml.</param>
/// <param name="ParameterFiles">Environment name to its params-ENV.json, in pipeline order.</param>
/// <param name="TestResultsPath">The folder with the TRX report of the sample app's tests.</param>
/// <param name="AppVersion">The source revision stamped into every parameter file (<see cref="AppVersionStamp"/>).</param>
public sealed record SamplePackage(
    string ZipPath,
    string ZipSha256,
    string TemplatePath,
    IReadOnlyDictionary<string, string> ParameterFiles,
    string TestResultsPath,
    string AppVersion);

/// <summary>
/// Builds, tests and packages the sample app (sample-app/) into artifacts/sample-app: the function's zip (deterministic,
/// see <see cref="DeterministicZip"/>), the template and one TemplateConfiguration parameter file per environment.
/// The zip's S3 key carries its SHA-256, so the code's parameters change only when the code does; the AppVersion parameter
/// is the source revision (<see cref="AppVersionStamp"/>), which the zip does not hold: the same revision gives the same
/// zip and the same parameter files, and a new revision changes only the function's APP_VERSION.
/// </summary>
public static class SamplePackager
{
    public const string ProjectPath = "sample-app/src/HelloService/HelloService.csproj";
    public const string TestProjectPath = "sample-app/tests/HelloService.Tests/HelloService.Tests.csproj";
    public const string TemplateSourcePath = "sample-app/template.yaml";
    public const string ZipFileName = "hello-service.zip";

    public static string OutputDirectory(string repositoryRoot) => Path.Combine(repositoryRoot, "artifacts", "sample-app");

    /// <summary>
    /// The kit's default code location: the pipeline's artifact bucket in the environment's region (foundation.yaml
    /// names it PIPELINE-artifacts-BUILDACCOUNT-REGION; Lambda reads code only from its own region),
    /// key sample-app/hello-service-SHA256.zip.
    /// </summary>
    public static SampleCodeLocation ArtifactBucketLocation(PipelineConfig config, EnvironmentSettings environment, string zipSha256) =>
        new(KitNames.ArtifactBucket(config, environment.Region), $"{CodePrefix}hello-service-{zipSha256}.zip");

    /// <summary>The key prefix of the function's code in the artifact buckets; the pipeline's build role may write only here.</summary>
    public const string CodePrefix = "sample-app/";

    public static Task<SamplePackage> PackageAsync(string repositoryRoot, PipelineConfig config, string appVersion, IKitMessages messages, CancellationToken ct) =>
        PackageAsync(repositoryRoot, config, appVersion, (environment, sha) => ArtifactBucketLocation(config, environment, sha),
            SamplePackageCache.For(repositoryRoot, Environment.GetEnvironmentVariable), messages, ct);

    /// <param name="cache">Where a package of the same sources is taken from instead of testing and publishing again;
    /// null builds afresh.</param>
    public static async Task<SamplePackage> PackageAsync(
        string repositoryRoot,
        PipelineConfig config,
        string appVersion,
        Func<EnvironmentSettings, string, SampleCodeLocation> codeLocation,
        SamplePackageCache? cache,
        IKitMessages messages,
        CancellationToken ct)
    {
        var root = Path.GetFullPath(repositoryRoot);
        var output = OutputDirectory(root);
        var testResults = Path.Combine(output, "test-results");
        var publish = Path.Combine(output, "publish");
        if (Directory.Exists(output)) Directory.Delete(output, recursive: true);
        Directory.CreateDirectory(output);

        var coverage = TestCoverage.IsRequested(asked: false);
        var key = cache is null ? null : SamplePackageCache.Key(root, await SdkVersionAsync(root, ct).ConfigureAwait(false), coverage);
        var zipPath = Path.Combine(output, ZipFileName);
        if (key is not null && cache!.TryRestore(key, output, ZipFileName))
        {
            messages.Report(MessageCodes.SampleAppReused,
                $"Sample app: sources unchanged since a tested build (key {key[..12]}): its zip and test reports are used again " +
                $"({SamplePackageCache.DirectoryVariable}=off builds afresh)");
        }
        else
        {
            messages.Report(MessageCodes.SampleAppTesting, "Sample app: testing...");
            await TestAsync(root, testResults, coverage, messages, ct).ConfigureAwait(false);

            messages.Report(MessageCodes.SampleAppPublishing, "Sample app: publishing...");
            await DotnetAsync(root, messages, ct,
                "publish", ProjectPath, "-c", "Release", "--nologo", "-o", publish).ConfigureAwait(false);
            _ = DeterministicZip.Write(publish, zipPath);
            if (key is not null) cache!.Keep(key, output, ZipFileName);
        }

        var sha = DeterministicZip.Sha256(await File.ReadAllBytesAsync(zipPath, ct).ConfigureAwait(false));

        var templatePath = Path.Combine(output, "template.yaml");
        File.Copy(Path.Combine(root, TemplateSourcePath), templatePath, overwrite: true);

        var parameterFiles = WriteParameterFiles(output, config, appVersion, environment => codeLocation(environment, sha));

        messages.Report(MessageCodes.SampleAppPackaged, $"Sample app: {Path.GetRelativePath(root, zipPath)} sha256 {sha}, version {appVersion}");
        foreach (var file in parameterFiles.Values) messages.Report(MessageCodes.SampleAppParameterFile, $"Sample app: {Path.GetRelativePath(root, file)}");
        return new SamplePackage(zipPath, sha, templatePath, parameterFiles, testResults, appVersion);
    }

    /// <summary>Runs the app's tests: a TRX report in <paramref name="testResults"/>, and with <paramref name="coverage"/>
    /// (in CodeBuild) a Cobertura file under its coverage/ folder (<see cref="TestCoverage"/>).</summary>
    internal static async Task TestAsync(string root, string testResults, bool coverage, IKitMessages messages, CancellationToken ct)
    {
        await DotnetAsync(root, messages, ct,
            ["test", TestProjectPath, "-c", "Release", "--nologo",
             "--logger", "trx;LogFileName=hello-service.trx", "--results-directory", testResults,
             // The function's build maps its source paths away (deterministic zip): coverlet is told which assembly to measure.
             .. coverage ? TestCoverage.Arguments(onlyAssembly: "HelloService") : []]).ConfigureAwait(false);
        if (coverage) TestCoverage.Gather(testResults);
    }

    /// <summary>Writes params-ENV.json for every environment into <paramref name="directory"/>; returns them by environment name.</summary>
    public static IReadOnlyDictionary<string, string> WriteParameterFiles(
        string directory, PipelineConfig config, string appVersion, Func<EnvironmentSettings, SampleCodeLocation> codeLocation)
    {
        var files = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var environment in config.Environments)
        {
            var path = Path.Combine(directory, SampleParameterFiles.FileName(environment));
            File.WriteAllText(path, SampleParameterFiles.Render(config, environment, codeLocation(environment), appVersion), new UTF8Encoding(false));
            files[environment.Name] = path;
        }

        return files;
    }

    /// <summary>The SDK that builds the app here (global.json's roll-forward picks it), for the cache key.</summary>
    private static async Task<string> SdkVersionAsync(string root, CancellationToken ct)
    {
        var lines = new List<string>();
        var exitCode = await DotnetCommand.RunAsync(root, ["--version"], new Dictionary<string, string>(), lines.Add, ct).ConfigureAwait(false);
        if (exitCode != 0)
        {
            throw new KitRunFailedException(ErrorCodes.SampleAppBuildFailed,
                $"Sample app: dotnet --version failed with exit code {exitCode}: {string.Join(" ", lines)}");
        }

        return string.Join(" ", lines);
    }

    private static async Task DotnetAsync(string workingDirectory, IKitMessages messages, CancellationToken ct, params string[] arguments)
    {
        var exitCode = await DotnetCommand.RunAsync(workingDirectory, arguments, new Dictionary<string, string>(),
            line => messages.Report(MessageCodes.SampleAppToolOutput, "  " + line), ct).ConfigureAwait(false);
        if (exitCode != 0)
        {
            throw new KitRunFailedException(ErrorCodes.SampleAppBuildFailed,
                $"Sample app: dotnet {arguments[0]} {arguments[1]} failed with exit code {exitCode}; see its output above.");
        }
    }
}
