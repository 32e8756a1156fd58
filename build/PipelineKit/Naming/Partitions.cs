namespace PipelineKit.Naming;

using PipelineKit.Configuration;

/// <summary>The AWS partition a region belongs to, the second field of every ARN there: aws, aws-cn (China) or
/// aws-us-gov (GovCloud), and the ARNs the kit builds in it. https://docs.aws.amazon.com/IAM/latest/UserGuide/reference-arns.html</summary>
public static class Partitions
{
    public static string Of(string region) => KnownRegions.PartitionOf(region);

    /// <summary>arn:PARTITION:SERVICE:REGION:ACCOUNT:RESOURCE of a regional resource, in the partition of its region.</summary>
    public static string Arn(string service, string region, string account, string resource) =>
        $"arn:{Of(region)}:{service}:{region}:{account}:{resource}";

    /// <summary>The partition an ARN names (arn:PARTITION:...).</summary>
    public static string OfArn(string arn) =>
        KnownRegions.PartitionOfArn(arn) ?? throw new ArgumentException($"{arn} is not an ARN of a known partition ({string.Join(", ", KnownRegions.Partitions)}).", nameof(arn));

    /// <summary>An S3 bucket's ARN (arn:PARTITION:s3:::BUCKET), or of its objects' <paramref name="key"/>.</summary>
    public static string BucketArn(string partition, string bucket, string? key = null) =>
        $"arn:{partition}:s3:::{bucket}" + (key is null ? "" : "/" + key);

    /// <summary>The bucket an S3 ARN of any partition names (arn:PARTITION:s3:::BUCKET[/KEY]), or null for another ARN.</summary>
    public static string? BucketOf(string arn)
    {
        ArgumentNullException.ThrowIfNull(arn);
        return KnownRegions.PartitionOfArn(arn) is { } partition && arn.StartsWith($"arn:{partition}:s3:::", StringComparison.Ordinal)
            ? arn[$"arn:{partition}:s3:::".Length..].Split('/', 2)[0]
            : null;
    }
}
