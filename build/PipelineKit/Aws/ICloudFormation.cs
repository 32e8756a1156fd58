namespace PipelineKit.Aws;

/// <summary>
/// The CloudFormation operations the kit uses, and nothing else. One instance talks to one
/// account in one region. Implemented over AWSSDK.Core's runtime (<see cref="CloudFormationClient"/>)
/// and in memory for tests. Shaped like the official AWSSDK.CloudFormation operations so that
/// swapping that package in later is mechanical.
/// Errors are <see cref="Amazon.Runtime.AmazonServiceException"/> with the AWS error code.
/// </summary>
public interface ICloudFormation
{
    /// <summary>DescribeStacks for one stack; null when the stack does not exist (or is DELETE_COMPLETE).</summary>
    Task<StackDescription?> DescribeStackAsync(string stackName, CancellationToken ct = default);

    /// <summary>GetTemplate with TemplateStage=Original: the body exactly as last submitted.</summary>
    Task<string> GetTemplateBodyAsync(string stackName, CancellationToken ct = default);

    /// <summary>GetTemplate with ChangeSetName and TemplateStage=Original: the template a change set would deploy.</summary>
    Task<string> GetChangeSetTemplateBodyAsync(string stackName, string changeSetName, CancellationToken ct = default);

    Task<CreateChangeSetResult> CreateChangeSetAsync(CreateChangeSetRequest request, CancellationToken ct = default);

    Task<ChangeSetDescription> DescribeChangeSetAsync(string stackName, string changeSetName, CancellationToken ct = default);

    /// <summary>One page of ListChangeSets; a NextToken means more follow (<c>ChangeSets</c> in Deployment reads them all).</summary>
    Task<ChangeSetSummariesPage> ListChangeSetsAsync(string stackName, string? nextToken = null, CancellationToken ct = default);

    Task ExecuteChangeSetAsync(string stackName, string changeSetName, string clientRequestToken, CancellationToken ct = default);

    Task DeleteChangeSetAsync(string stackName, string changeSetName, CancellationToken ct = default);

    Task DeleteStackAsync(string stackName, string clientRequestToken, CancellationToken ct = default);

    /// <summary>One page of DescribeStackEvents, newest event first, as AWS returns them.</summary>
    Task<StackEventsPage> DescribeStackEventsAsync(string stackName, string? nextToken = null, CancellationToken ct = default);

    Task UpdateTerminationProtectionAsync(string stackName, bool enable, CancellationToken ct = default);
}

public sealed record StackDescription(
    string StackId,
    string StackName,
    StackStatus Status,
    string? StatusReason,
    IReadOnlyDictionary<string, string> Parameters,
    IReadOnlyDictionary<string, string> Outputs,
    IReadOnlyDictionary<string, string> Tags,
    bool TerminationProtection);

/// <summary>CREATE makes a new stack, UPDATE changes one, IMPORT brings existing resources into a stack (new or not)
/// without creating anything: https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/resource-import.html</summary>
public enum ChangeSetType { Create, Update, Import }

/// <summary>One entry of CreateChangeSet's ResourcesToImport: the template's logical id, the type, and the properties
/// that identify the existing resource (AWS::S3::Bucket BucketName, AWS::KMS::Key KeyId, AWS::KMS::Alias AliasName,
/// AWS::IAM::Role RoleName).</summary>
public sealed record ResourceToImport(string ResourceType, string LogicalResourceId, IReadOnlyDictionary<string, string> ResourceIdentifier);

public sealed record CreateChangeSetRequest(
    string StackName,
    string ChangeSetName,
    ChangeSetType Type,
    string? TemplateBody,
    string? TemplateUrl,
    IReadOnlyDictionary<string, string> Parameters,
    IReadOnlyDictionary<string, string> Tags,
    IReadOnlyList<string> Capabilities,
    string ClientToken,
    string? Description = null,
    string? RoleArn = null,
    IReadOnlyList<ResourceToImport>? ResourcesToImport = null);

public sealed record CreateChangeSetResult(string ChangeSetId, string StackId);

public sealed record ChangeSetDescription(
    string ChangeSetId,
    string ChangeSetName,
    ChangeSetStatus Status,
    string? StatusReason,
    string? ExecutionStatus,
    IReadOnlyList<ResourceChange> Changes,
    IReadOnlyDictionary<string, string>? Parameters = null);

/// <summary>One entry of DescribeChangeSet's Changes (ResourceChange).</summary>
public sealed record ResourceChange(
    string Action,
    string LogicalResourceId,
    string? PhysicalResourceId,
    string ResourceType,
    string? Replacement);

public sealed record ChangeSetSummary(
    string ChangeSetName,
    string ChangeSetId,
    ChangeSetStatus Status,
    string? ExecutionStatus,
    string? Description);

public sealed record ChangeSetSummariesPage(IReadOnlyList<ChangeSetSummary> Summaries, string? NextToken);

public sealed record StackEvent(
    string EventId,
    string StackName,
    string LogicalResourceId,
    string? PhysicalResourceId,
    string ResourceType,
    DateTimeOffset Timestamp,
    string ResourceStatus,
    string? ResourceStatusReason,
    string? ClientRequestToken);

public sealed record StackEventsPage(IReadOnlyList<StackEvent> Events, string? NextToken);
