namespace PipelineKit.Deployment;

using PipelineKit.Aws;

/// <summary>What a graph of stacks asks of a deployer: deploy one stack, or read one it needs but does not deploy.
/// <see cref="StackDeployer"/> acts; a planner answers the same calls with what would happen, changing nothing.</summary>
public interface IStackDeployer
{
    Task<StackResult> DeployAsync(ICloudFormation cfn, StackRef stack, StackDeployment desired, CancellationToken ct = default);

    Task<StackDescription?> ReadSettledAsync(ICloudFormation cfn, StackRef stack, CancellationToken ct = default);
}
