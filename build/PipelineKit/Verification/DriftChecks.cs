namespace PipelineKit.Verification;

using System.Net;
using Amazon.Runtime;
using PipelineKit.Aws;

/// <summary>
/// CloudFormation's own drift detection over every stack found: a resource changed outside CloudFormation (a key policy
/// edited in the console) is drift even when the stack's template and parameters are the kit's. An endpoint that does
/// not offer drift detection (the emulator) gives a skipped cell, never a passed one.
/// </summary>
internal sealed class DriftChecks(VerifyContext context)
{
    public const string NotOffered = "drift detection: not offered by this endpoint";

    private static readonly TimeSpan Deadline = TimeSpan.FromMinutes(3);

    public async Task<IReadOnlyList<CheckFinding>> RunAsync(IReadOnlyList<DeployedStack> stacks, CancellationToken ct)
    {
        if (stacks.Count == 0) return [];
        // One stack first: an endpoint without drift detection says so once, and the other stacks are not asked.
        var first = await DetectAsync(stacks[0], ct).ConfigureAwait(false);
        if (first.Any(f => f.Reason == NotOffered))
        {
            return stacks.Select(s => CheckFinding.Skip(VerifyChecks.Drift, s.Ref.Location.AccountId, Subject(s), NotOffered)).ToList();
        }

        var rest = await Task.WhenAll(stacks.Skip(1).Select(s => DetectAsync(s, ct))).ConfigureAwait(false);
        return [.. first, .. rest.SelectMany(r => r)];
    }

    /// <summary>An emulator answers an operation it lacks with a server error (moto: HTTP 500 and an HTML page); AWS with
    /// InvalidAction or NotImplemented.</summary>
    public static bool IsNotOffered(AmazonServiceException e, bool emulated) =>
        e.ErrorCode is "InvalidAction" or "NotImplemented" or "UnknownOperationException" ||
        e.StatusCode == HttpStatusCode.NotImplemented ||
        (emulated && (e is AmazonUnmarshallingException || (int)e.StatusCode >= 500));

    private async Task<IReadOnlyList<CheckFinding>> DetectAsync(DeployedStack stack, CancellationToken ct)
    {
        var account = stack.Ref.Location.AccountId;
        CheckFinding Skip(string reason) => CheckFinding.Skip(VerifyChecks.Drift, account, Subject(stack), reason);
        try
        {
            var drift = context.Clients.CloudFormationDrift(await context.CredentialsAsync(account, ct).ConfigureAwait(false), stack.Ref.Location.Region);
            var id = await drift.DetectStackDriftAsync(stack.Ref.StackName, ct).ConfigureAwait(false);
            var detection = await WaitAsync(drift, id, ct).ConfigureAwait(false);
            if (detection.StackDriftStatus == "DRIFTED")
            {
                var resources = await drift.DescribeStackResourceDriftsAsync(stack.Ref.StackName, ct).ConfigureAwait(false);
                return resources.Count == 0
                    ? [CheckFinding.Fail(VerifyChecks.Drift, account, Subject(stack), $"drifted ({detection.DriftedResourceCount} resource(s))")]
                    : resources.Select(r => CheckFinding.Fail(VerifyChecks.Drift, account, Subject(stack), Describe(r))).ToList();
            }

            return detection is { DetectionStatus: "DETECTION_COMPLETE", StackDriftStatus: "IN_SYNC" }
                ? [CheckFinding.Pass(VerifyChecks.Drift, account, $"{Subject(stack)} IN_SYNC")]
                : [Skip($"drift detection ended in {detection.DetectionStatus} ({detection.StackDriftStatus ?? "no result"}){Suffix(detection.DetectionStatusReason)}")];
        }
        catch (AmazonServiceException e) when (IsNotOffered(e, context.Emulated))
        {
            return [Skip(NotOffered)];
        }
        catch (AmazonServiceException e)
        {
            return [Skip($"drift detection could not run: {e.ErrorCode}: {e.Message}")];
        }
        catch (TimeoutException e)
        {
            return [Skip(e.Message)];
        }
    }

    private async Task<StackDriftDetection> WaitAsync(ICloudFormationDrift drift, string id, CancellationToken ct)
    {
        var until = context.Time.GetUtcNow() + Deadline;
        var delay = TimeSpan.FromSeconds(2);
        while (true)
        {
            var detection = await drift.DescribeStackDriftDetectionStatusAsync(id, ct).ConfigureAwait(false);
            if (!detection.InProgress) return detection;
            if (context.Time.GetUtcNow() + delay > until)
            {
                throw new TimeoutException($"drift detection {id} did not finish within {Deadline.TotalMinutes:0} minutes");
            }

            await Task.Delay(delay, context.Time, ct).ConfigureAwait(false);
            delay = TimeSpan.FromSeconds(Math.Min(10, delay.TotalSeconds * 1.5));
        }
    }

    private static string Describe(StackResourceDrift resource)
    {
        var differences = resource.Differences.Select(d => $"{d.PropertyPath} {d.DifferenceType}: expected {d.ExpectedValue ?? "none"}, actual {d.ActualValue ?? "none"}");
        return $"{resource.LogicalResourceId} ({resource.ResourceType}) {resource.DriftStatus}{Suffix(string.Join("; ", differences))}";
    }

    private static string Subject(DeployedStack stack) => $"{stack.Ref.StackName} ({stack.Ref.Location.Region})";

    private static string Suffix(string? text) => string.IsNullOrEmpty(text) ? "" : $": {text}";
}
