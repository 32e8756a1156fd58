namespace PipelineKit;

using System.Diagnostics;
using System.Xml.Linq;
using PipelineKit.Errors;
using PipelineKit.Messages;
using PipelineKit.Reporting;

/// <summary>Runs the kit's test suite (unit, moto integration, cfn-lint template checks) and prints one
/// closing line of counts taken from the TRX report, e.g. "Tests: 240 passed, 0 failed, 0 skipped"; with
/// <c>coverage</c> (CodeBuild, or --coverage) also the Cobertura coverage files, under artifacts/test-results/coverage.</summary>
internal static class TestRunner
{
    public static void Run(string repositoryRoot, IKitMessages messages, bool coverage)
    {
        var results = Path.Combine(repositoryRoot, "artifacts", "test-results");
        if (Directory.Exists(results)) Directory.Delete(results, recursive: true);

        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = repositoryRoot,
            UseShellExecute = false,
        };
        foreach (var argument in new[]
                 {
                     "test", "PipelineKit.slnx", "-c", "Release", "--nologo",
                     "--logger", "trx;LogFilePrefix=tests", "--logger", "console;verbosity=normal",
                     "--results-directory", results,
                 })
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var argument in coverage ? TestCoverage.Arguments() : [])
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException("Could not start dotnet test.");
        process.WaitForExit();

        var trx = Directory.Exists(results) ? Directory.GetFiles(results, "*.trx", SearchOption.AllDirectories) : [];
        int passed = 0, failed = 0, skipped = 0;
        foreach (var file in trx)
        {
            // Counted from the results themselves: the TRX summary counters leave skipped tests out.
            foreach (var outcome in XDocument.Load(file).Descendants().Where(e => e.Name.LocalName == "UnitTestResult")
                         .Select(e => e.Attribute("outcome")?.Value))
            {
                switch (outcome)
                {
                    case "Passed": passed++; break;
                    case "NotExecuted": skipped++; break;
                    default: failed++; break;
                }
            }
        }

        var coverageFiles = coverage ? TestCoverage.Gather(results) : [];
        messages.Report(MessageCodes.TestCounts, $"Tests: {passed} passed, {failed} failed, {skipped} skipped" +
            (coverage ? $"; coverage: {coverageFiles.Count} Cobertura file(s) in {Path.GetRelativePath(repositoryRoot, Path.Combine(results, TestCoverage.Folder))}" : ""));
        if (process.ExitCode != 0 || failed > 0 || trx.Length == 0)
        {
            throw new KitRunFailedException(ErrorCodes.TestsFailed, $"dotnet test exited with code {process.ExitCode}; see the failures above.");
        }
    }
}
