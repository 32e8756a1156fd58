namespace PipelineKit.Configuration;

using System.Text.RegularExpressions;

/// <summary>The shapes pipeline.json's fields must have; pipeline.schema.json spells the same patterns for editors.
/// A field of one kind of source only has its pattern with that kind (Configuration/Sources).</summary>
internal static partial class ConfigPatterns
{
    [GeneratedRegex("^[a-z](?:[a-z0-9-]*[a-z0-9])?$")]
    public static partial Regex PipelineName();

    /// <summary>Name starts that S3 refuses for bucket names, and the kit's own stack prefix (pipeline.schema.json's "not").</summary>
    [GeneratedRegex("^(?:xn--|sthree-|amzn-s3-demo-|(?<kit>pipelinekit(?:-|$)))")]
    public static partial Regex ReservedName();

    [GeneratedRegex("^[a-z][a-z0-9-]{0,19}$")]
    public static partial Regex EnvironmentName();

    [GeneratedRegex("^[0-9]{12}$")]
    public static partial Regex AccountId();

    /// <summary>An AWS Organizations id: https://docs.aws.amazon.com/organizations/latest/APIReference/API_Organization.html</summary>
    [GeneratedRegex("^o-[a-z0-9]{10,32}$")]
    public static partial Regex OrganizationId();

    /// <summary>An organizational unit's id: https://docs.aws.amazon.com/organizations/latest/APIReference/API_OrganizationalUnit.html</summary>
    [GeneratedRegex("^ou-[0-9a-z]{4,32}-[a-z0-9]{8,32}$")]
    public static partial Regex OrganizationalUnitId();

    // https://docs.aws.amazon.com/IAM/latest/APIReference/API_CreateRole.html (RoleName)
    [GeneratedRegex(@"^[\w+=,.@-]{1,64}$")]
    public static partial Regex RoleName();

    // The partitions are KnownRegions.Partitions; an ARN of another partition than the configuration's regions is refused
    // where it is read (ConfigReader.InPartition).
    [GeneratedRegex(@"^arn:(?<partition>aws|aws-cn|aws-us-gov):iam::(?<account>[0-9]{12}):role/(?:[\x21-\x7E]*/)?[\w+=,.@-]{1,64}$")]
    public static partial Regex RoleArn();

    [GeneratedRegex(@"^arn:(?<partition>aws|aws-cn|aws-us-gov):iam::(?:aws|[0-9]{12}):policy/(?:[\x21-\x7E]*/)?[\w+=,.@-]{1,128}$")]
    public static partial Regex PolicyArn();

    // No commas: IAM allows them in names, but the ARNs travel as a CloudFormation CommaDelimitedList.
    [GeneratedRegex(@"^arn:(?<partition>aws|aws-cn|aws-us-gov):iam::(?<account>\d{12}):(role|user)/[\w+=.@/-]{1,512}$")]
    public static partial Regex Deployer();

    [GeneratedRegex(@"^[^@\s]+@[^@\s]+\.[^@\s]+$")]
    public static partial Regex Email();

    // Slack ids as AWS Chatbot takes them (AWS::Chatbot::SlackChannelConfiguration SlackWorkspaceId, SlackChannelId).
    [GeneratedRegex(@"^[0-9A-Z]{1,255}$")]
    public static partial Regex SlackId();
}
