namespace PipelineKit.Orchestration;

using PipelineKit.Configuration;

/// <summary>
/// The names the foundation templates give what they create (cloudformation/*.yaml: BucketName and RoleName
/// properties). They are deterministic, so every part of the kit derives them from the configuration here
/// instead of reading them back from stack outputs; a change to a template's naming changes this one file.
/// </summary>
public static class FoundationNames
{
    /// <summary>primary.yaml and regional.yaml: ArtifactBucket.</summary>
    public static string ArtifactBucket(PipelineConfig config, string region) => $"{config.Name}-artifacts-{config.Build.Account}-{region}";

    /// <summary>primary.yaml: SourceBucket, in the build region.</summary>
    public static string SourceBucket(PipelineConfig config) => $"{config.Name}-source-{config.Build.Account}-{config.Build.Region}";

    /// <summary>target-roles.yaml: PipelineActionRole.</summary>
    public static string PipelineActionRoleArn(string pipelineName, string accountId) => $"arn:aws:iam::{accountId}:role/{pipelineName}-pipeline-action";

    /// <summary>target-roles.yaml: CloudFormationExecutionRole.</summary>
    public static string ExecutionRoleArn(string pipelineName, string accountId) => $"arn:aws:iam::{accountId}:role/{pipelineName}-cfn-execution";
}
