namespace PipelineKit.Verification;

using PipelineKit.Aws;
using PipelineKit.Errors;
using PipelineKit.Messages;
using PipelineKit.Reporting;

/// <summary>The Verify target's flow: the checks, then artifacts/verify.json, then the matrix as one message and the AWS
/// calls the run made, the mutating ones counted, so that "reads only" can be seen; a failed check then fails the target.</summary>
public static class VerifyTarget
{
    /// <exception cref="KitRunFailedException">Code VerifyFailed: a check failed (the report is written and shown first).</exception>
    public static async Task<VerifyReport> RunAsync(VerifyContext context, string repositoryRoot, string artifactsDirectory,
        AwsCallLog callLog, IKitMessages messages, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(callLog);
        var report = await new Verifier(context).RunAsync(ct).ConfigureAwait(false);
        var path = ReportPath(artifactsDirectory);
        VerifyReportFile.Write(path, report);
        messages.Report(MessageCodes.VerifyMatrix, string.Join(Environment.NewLine, VerifyMatrix.Render(report, Path.GetRelativePath(repositoryRoot, path))));
        messages.Report(MessageCodes.AwsCalls, $"AWS calls: {callLog.Counts}");
        return report.Passed ? report : throw Failure(report);
    }

    public static string ReportPath(string artifactsDirectory) => Path.Combine(artifactsDirectory, "verify.json");

    private static KitRunFailedException Failure(VerifyReport report) =>
        new(ErrorCodes.VerifyFailed, $"Verify failed: {report.Cells.Count(c => c.Status == CheckStatus.Fail)} cell(s) fail; the reasons are under the matrix above.",
            "Fix what each reason names (re-run the target that deploys it, or undo the change made by hand), then run Verify again.");
}
