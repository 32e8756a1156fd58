using System.Diagnostics;

namespace PipelineKit.Tests.Templates;

/// <summary>Runs cfn-lint (on PATH) over template files and returns its exit code and everything it printed.</summary>
internal static class CfnLint
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(2);

    public static async Task<(int ExitCode, string Findings)> RunAsync(string workingDirectory, IEnumerable<string> templates)
    {
        var start = new ProcessStartInfo("cfn-lint")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory,
        };
        foreach (var template in templates)
        {
            start.ArgumentList.Add(Path.GetRelativePath(workingDirectory, template));
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException("cfn-lint did not start; is it on PATH?");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(Timeout);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"cfn-lint did not finish within {Timeout}.");
        }

        return (process.ExitCode, (await stdout + await stderr).Trim());
    }
}
