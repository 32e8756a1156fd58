namespace PipelineKit.Aws;

/// <summary>
/// CloudFormation's drift detection for one account and region, apart from <see cref="ICloudFormation"/> (what the
/// deployer needs): Verify asks CloudFormation whether the resources still match the stack's template. Detection changes
/// no resource and no stack setting; it records a detection result on the stack.
/// https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/using-cfn-stack-drift.html
/// </summary>
public interface ICloudFormationDrift
{
    /// <summary>DetectStackDrift: starts a detection over every resource of the stack; returns its id.</summary>
    Task<string> DetectStackDriftAsync(string stackName, CancellationToken ct = default);

    Task<StackDriftDetection> DescribeStackDriftDetectionStatusAsync(string detectionId, CancellationToken ct = default);

    /// <summary>DescribeStackResourceDrifts, every page, of the resources that differ from the template (MODIFIED, DELETED).</summary>
    Task<IReadOnlyList<StackResourceDrift>> DescribeStackResourceDriftsAsync(string stackName, CancellationToken ct = default);
}

/// <param name="DetectionStatus">DETECTION_IN_PROGRESS, DETECTION_COMPLETE or DETECTION_FAILED.</param>
/// <param name="StackDriftStatus">DRIFTED, IN_SYNC, UNKNOWN or NOT_CHECKED; null while in progress.</param>
public sealed record StackDriftDetection(
    string DetectionId, string DetectionStatus, string? StackDriftStatus, string? DetectionStatusReason, int? DriftedResourceCount)
{
    public bool InProgress => DetectionStatus == "DETECTION_IN_PROGRESS";
}

/// <summary>One resource whose actual configuration differs from the template (StackResourceDrift).</summary>
public sealed record StackResourceDrift(
    string LogicalResourceId, string ResourceType, string DriftStatus, IReadOnlyList<PropertyDifference> Differences);

/// <summary>DifferenceType is ADD, REMOVE or NOT_EQUAL.</summary>
public sealed record PropertyDifference(string PropertyPath, string? ExpectedValue, string? ActualValue, string DifferenceType);
