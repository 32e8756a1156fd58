namespace PipelineKit.Naming;

/// <summary>The AWS partition a region belongs to, the second field of every ARN there: aws, aws-cn (China) or
/// aws-us-gov (GovCloud). https://docs.aws.amazon.com/IAM/latest/UserGuide/reference-arns.html</summary>
public static class Partitions
{
    public static string Of(string region)
    {
        ArgumentNullException.ThrowIfNull(region);
        return region.StartsWith("cn-", StringComparison.Ordinal) ? "aws-cn"
            : region.StartsWith("us-gov-", StringComparison.Ordinal) ? "aws-us-gov"
            : "aws";
    }
}
