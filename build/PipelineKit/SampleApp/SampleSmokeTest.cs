namespace PipelineKit.SampleApp;

using System.Xml.Linq;
using PipelineKit.Errors;
using PipelineKit.Messages;
using PipelineKit.Reporting;

/// <summary>
/// SmokeTest --environment NAME: runs the sample app's own smoke test (sample-app/tests/HelloService.SmokeTests) against one
/// environment's deployment, with dotnet test, and reads its TRX report: it passed, or the run fails with the test's own
/// message (what status, environment or version GET /hello answered instead). Where the environment has no ApiUrl, only on
/// the emulator, the test calls the function's handler in process with the environment the stack gives it, and says so.
/// </summary>
public static class SampleSmokeTest
{
    public const string ProjectPath = "sample-app/tests/HelloService.SmokeTests/HelloService.SmokeTests.csproj";

    private static readonly XNamespace Trx = "http://microsoft.com/schemas/VisualStudio/TeamTest/2010";

    /// <param name="emulated">The environment is the emulator's, which creates no HTTP API: without an ApiUrl the handler runs in process.
    /// On AWS a deployment without an ApiUrl fails the smoke test.</param>
    /// <param name="resultsDirectory">Where the TRX report goes (artifacts/smoke-test), in a folder per environment.</param>
    public static async Task RunAsync(string repositoryRoot, SmokeTarget target, bool emulated, string resultsDirectory, IKitMessages messages,
        CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(messages);
        var name = target.Environment;
        if (target.ApiUrl is null && !emulated)
        {
            throw new KitRunFailedException(ErrorCodes.SmokeTestFailed,
                $"Smoke test of {name}: {target.Source} give no ApiUrl; the app stack's ApiUrl output is the deployed GET /hello it calls.");
        }

        messages.Report(MessageCodes.SampleAppSmokeTest, target.ApiUrl is { } url
            ? $"Smoke test of {name}: GET {url}, expecting environment {name} and version {target.ExpectedVersion} (from {target.Source})."
            : $"Smoke test of {name}: no ApiUrl (the emulator creates no HTTP API), so GET /hello goes to the function's handler hosted in " +
              $"process, with the environment the stack gives it ({string.Join(", ", target.FunctionEnvironment.Select(v => $"{v.Key}={v.Value}"))}); " +
              $"expecting environment {name} and version {target.ExpectedVersion} (from {target.Source}).");

        var directory = Path.Combine(resultsDirectory, name);
        if (Directory.Exists(directory)) Directory.Delete(directory, recursive: true);
        var output = new List<string>();
        var exitCode = await DotnetCommand.RunAsync(Path.GetFullPath(repositoryRoot),
            ["test", ProjectPath, "-c", "Release", "--nologo", "-v", "quiet", "--logger", "trx;LogFileName=smoke-test.trx", "--results-directory", directory],
            target.Variables(), line => { lock (output) output.Add(line); }, ct).ConfigureAwait(false);

        var results = Results(directory);
        var failures = results.Where(r => r.Outcome != "Passed").ToList();
        if (exitCode == 0 && results.Count > 0 && failures.Count == 0)
        {
            var answer = results.SelectMany(r => r.StdOut).LastOrDefault(l => l.StartsWith("Answer:", StringComparison.Ordinal));
            messages.Report(MessageCodes.SampleAppSmokeTest, $"Smoke test of {name} passed{(answer is null ? "." : $": {answer}")}");
            return;
        }

        var why = failures.Select(f => f.Message).FirstOrDefault(m => !string.IsNullOrWhiteSpace(m))
            ?? (results.Count == 0
                ? $"dotnet test exited with {exitCode} before the test ran; last lines:{Environment.NewLine}{string.Join(Environment.NewLine, output.TakeLast(15))}"
                : $"the test was {failures[0].Outcome}, not run against the deployment");
        throw new KitRunFailedException(ErrorCodes.SmokeTestFailed, $"Smoke test of {name} failed: {why.Trim()}",
            $"the report is {Path.Combine(directory, "smoke-test.trx")}.");
    }

    private sealed record TestResult(string Outcome, string? Message, IReadOnlyList<string> StdOut);

    private static List<TestResult> Results(string directory)
    {
        var report = Directory.Exists(directory) ? Directory.EnumerateFiles(directory, "*.trx", SearchOption.AllDirectories).FirstOrDefault() : null;
        if (report is null) return [];
        return [.. XDocument.Load(report).Descendants(Trx + "UnitTestResult").Select(result => new TestResult(
            (string?)result.Attribute("outcome") ?? "Unknown",
            (string?)result.Element(Trx + "Output")?.Element(Trx + "ErrorInfo")?.Element(Trx + "Message"),
            ((string?)result.Element(Trx + "Output")?.Element(Trx + "StdOut") ?? "").Split('\n', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)))];
    }
}
