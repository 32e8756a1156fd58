namespace PipelineKit.Deployment;

/// <summary>Puts a template where CloudFormation can read it by URL. Needed only for templates over
/// the 51,200-byte TemplateBody limit (https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/cloudformation-limits.html).</summary>
public interface ITemplateStore
{
    Task<string> UploadAsync(StackDeployment deployment, CancellationToken ct = default);
}
