namespace PipelineKit.Aws;

using System.Globalization;
using System.Xml.Linq;

/// <summary>The drift operations' requests and result shapes:
/// https://docs.aws.amazon.com/AWSCloudFormation/latest/APIReference/API_DetectStackDrift.html and the two Describe* pages.</summary>
public static class CloudFormationDriftQuery
{
    public static CloudFormationQueryRequest DetectStackDrift(string stackName) => new("DetectStackDrift", [P("StackName", stackName)]);

    public static CloudFormationQueryRequest DescribeStackDriftDetectionStatus(string detectionId)
        => new("DescribeStackDriftDetectionStatus", [P("StackDriftDetectionId", detectionId)]);

    /// <summary>Only what differs from the template: IN_SYNC and NOT_CHECKED resources are left out.</summary>
    public static CloudFormationQueryRequest DescribeStackResourceDrifts(string stackName, string? nextToken = null)
    {
        var p = new List<KeyValuePair<string, string>>
        {
            P("StackName", stackName),
            P("StackResourceDriftStatusFilters.member.1", "MODIFIED"),
            P("StackResourceDriftStatusFilters.member.2", "DELETED"),
        };
        if (!string.IsNullOrEmpty(nextToken)) p.Add(P("NextToken", nextToken));
        return new("DescribeStackResourceDrifts", p);
    }

    /// <summary>DetectStackDriftResult/StackDriftDetectionId.</summary>
    public static string DetectionId(XElement result)
        => result.Text("StackDriftDetectionId") ?? throw new FormatException("DetectStackDrift returned no StackDriftDetectionId.");

    public static StackDriftDetection Detection(XElement result)
        => new(
            result.Text("StackDriftDetectionId") ?? "",
            result.Text("DetectionStatus") ?? throw new FormatException("DescribeStackDriftDetectionStatus returned no DetectionStatus."),
            NonEmpty(result.Text("StackDriftStatus")),
            NonEmpty(result.Text("DetectionStatusReason")),
            int.TryParse(result.Text("DriftedStackResourceCount"), NumberStyles.Integer, CultureInfo.InvariantCulture, out var count) ? count : null);

    /// <summary>One page of DescribeStackResourceDriftsResult.</summary>
    public static (IReadOnlyList<StackResourceDrift> Drifts, string? NextToken) ResourceDrifts(XElement result)
    {
        var drifts = Members(result.Child("StackResourceDrifts")).Select(d => new StackResourceDrift(
            d.Text("LogicalResourceId") ?? "",
            d.Text("ResourceType") ?? "",
            d.Text("StackResourceDriftStatus") ?? "",
            Members(d.Child("PropertyDifferences")).Select(p => new PropertyDifference(
                p.Text("PropertyPath") ?? "", p.Text("ExpectedValue"), p.Text("ActualValue"), p.Text("DifferenceType") ?? "")).ToArray()))
            .ToArray();
        return (drifts, NonEmpty(result.Text("NextToken")));
    }

    private static IEnumerable<XElement> Members(XElement? list) => list?.Elements().Where(e => e.Name.LocalName == "member") ?? [];

    private static string? NonEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;

    private static KeyValuePair<string, string> P(string name, string value) => new(name, value);
}
