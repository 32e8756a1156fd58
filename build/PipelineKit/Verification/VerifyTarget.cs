namespace PipelineKit.Verification;

using PipelineKit.Aws;
using PipelineKit.Errors;
using PipelineKit.Messages;
using PipelineKit.Reporting;

/// <summary>The Verify target's flow: the checks, then artifacts/verify.json, then the matrix as one message, then the AWS
/// calls the run made, the mutating ones counted, so that "reads only" can be seen.</summary>
public static class VerifyTarget
{
    public static async Task<VerifyReport> RunAsync(VerifyContext context, string where, string repositoryRoot, string artifactsDirectory,
        AwsCallLog callLog, IKitMessages messages, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(callLog);
        var report = await new Verifier(context).RunAsync(where, ct).ConfigureAwait(false);
        var path = Path.Combine(artifactsDirectory, "verify.json");
        VerifyReportFile.Write(path, report);
        var lines = VerifyMatrix.Render(report, Path.GetRelativePath(repositoryRoot, path));
        messages.Report(MessageCodes.VerifyMatrix, string.Join(Environment.NewLine, lines));
        messages.Report(MessageCodes.AwsCalls, $"AWS calls: {callLog.Calls.Count} ({callLog.MutatingCalls.Count} mutating)");
        return report;
    }

    public static KitRunFailedException Failure(VerifyReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var failed = report.Cells.Count(c => c.Status == CheckStatus.Fail);
        return new KitRunFailedException(ErrorCodes.VerifyFailed, $"Verify failed: {failed} cell(s) fail; the reasons are under the matrix above.",
            "Fix what each reason names (re-run the target that deploys it, or undo the change made by hand), then run Verify again.");
    }
}
