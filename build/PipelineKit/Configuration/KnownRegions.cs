namespace PipelineKit.Configuration;

/// <summary>
/// The AWS regions the kit deploys to, as listed in AWSSDK.Core 4.0.102's endpoint data: the commercial regions
/// (partition "aws"), China (aws-cn) and GovCloud (aws-us-gov). A partition is the second field of every ARN in it, and
/// accounts, roles and ARNs do not cross partitions. https://docs.aws.amazon.com/IAM/latest/UserGuide/reference-arns.html
/// pipeline.schema.json's region enum must list exactly these (tested).
/// </summary>
public static class KnownRegions
{
    public const string Commercial = "aws";
    public const string China = "aws-cn";
    public const string GovCloud = "aws-us-gov";

    public static IReadOnlyList<string> Partitions { get; } = [Commercial, China, GovCloud];

    public static IReadOnlyList<string> All { get; } =
    [
        "us-east-1", "us-east-2", "us-west-1", "us-west-2",
        "af-south-1",
        "ap-east-1", "ap-east-2", "ap-south-1", "ap-south-2",
        "ap-southeast-1", "ap-southeast-2", "ap-southeast-3", "ap-southeast-4", "ap-southeast-5",
        "ap-southeast-6", "ap-southeast-7",
        "ap-northeast-1", "ap-northeast-2", "ap-northeast-3",
        "ca-central-1", "ca-west-1",
        "eu-central-1", "eu-central-2", "eu-west-1", "eu-west-2", "eu-west-3",
        "eu-south-1", "eu-south-2", "eu-north-1",
        "il-central-1", "me-south-1", "me-central-1", "mx-central-1", "sa-east-1",
        "cn-north-1", "cn-northwest-1",
        "us-gov-west-1", "us-gov-east-1",
    ];

    public static bool Contains(string region) => All.Contains(region, StringComparer.Ordinal);

    /// <summary>The partition of <paramref name="region"/>: aws-cn for China's regions, aws-us-gov for GovCloud's, else aws.</summary>
    public static string PartitionOf(string region)
    {
        ArgumentNullException.ThrowIfNull(region);
        return region.StartsWith("cn-", StringComparison.Ordinal) ? China
            : region.StartsWith("us-gov-", StringComparison.Ordinal) ? GovCloud
            : Commercial;
    }

    /// <summary>The partition an ARN names (arn:PARTITION:...), or null when it is not an ARN of a known partition.</summary>
    public static string? PartitionOfArn(string arn)
    {
        ArgumentNullException.ThrowIfNull(arn);
        var fields = arn.Split(':', 3);
        return fields.Length == 3 && fields[0] == "arn" && Partitions.Contains(fields[1], StringComparer.Ordinal) ? fields[1] : null;
    }
}
