namespace PipelineKit.Deployment;

using PipelineKit.Aws;

/// <summary>One of the kit's stack sets of an organizational unit's target roles, as found in the build account:
/// its unit (read from its name) and how CloudFormation describes it.</summary>
/// <param name="IsKits">It carries the tag pipelinekit:pipeline with this pipeline's name and is service-managed: only
/// then does the kit delete it.</param>
public sealed record KitStackSet(string StackSetName, string OrganizationalUnitId, string CallAs, StackSetDescription Description, bool IsKits);

/// <summary>What the foundation graph asks of a stack set deployer: deploy a unit's stack set, or remove the stack sets of
/// units pipeline.json no longer names. <see cref="StackSetDeployer"/> acts; Plan's planner answers with what would happen.</summary>
public interface IStackSetDeployer
{
    Task<StackResult> DeployAsync(ICloudFormationStackSets sets, StackRef stack, StackSetDeployment desired, CancellationToken ct = default);

    Task<StackResult> RemoveDroppedAsync(ICloudFormationStackSets sets, StackRef stack, IReadOnlyList<KitStackSet> dropped, CancellationToken ct = default);
}
