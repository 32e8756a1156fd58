namespace PipelineKit.Aws;

/// <summary>
/// CloudFormation StackSets operations the kit uses to deploy the target roles to every account of an organizational unit
/// through a service-managed stack set with automatic deployment, and nothing else. One instance acts in the build account
/// and region; <c>callAs</c> is SELF in the organization's management account, DELEGATED_ADMIN in a delegated administrator.
/// https://docs.aws.amazon.com/AWSCloudFormation/latest/APIReference/API_CreateStackSet.html
/// </summary>
public interface ICloudFormationStackSets
{
    /// <summary>DescribeStackSet; null when there is no such stack set (StackSetNotFoundException), or it was deleted.</summary>
    Task<StackSetDescription?> DescribeStackSetAsync(string stackSetName, string callAs, CancellationToken ct = default);

    /// <summary>CreateStackSet, SERVICE_MANAGED with AutoDeployment enabled and RetainStacksOnAccountRemoval false.</summary>
    Task CreateStackSetAsync(StackSetRequest request, CancellationToken ct = default);

    /// <summary>UpdateStackSet of template, parameters, tags and automatic deployment on every instance; returns the operation id.</summary>
    Task<string> UpdateStackSetAsync(StackSetRequest request, string operationId, CancellationToken ct = default);

    /// <summary>CreateStackInstances in every account of the units (DeploymentTargets.OrganizationalUnitIds) and regions;
    /// returns the operation id.</summary>
    Task<string> CreateStackInstancesAsync(
        string stackSetName, IReadOnlyList<string> organizationalUnitIds, IReadOnlyList<string> regions, string callAs, string operationId,
        CancellationToken ct = default);

    Task<StackSetOperation> DescribeStackSetOperationAsync(string stackSetName, string operationId, string callAs, CancellationToken ct = default);

    /// <summary>ListStackInstances, every page.</summary>
    Task<IReadOnlyList<StackInstanceSummary>> ListStackInstancesAsync(string stackSetName, string callAs, CancellationToken ct = default);

    /// <summary>ListStackSets with Status ACTIVE, every page: the stack sets the caller administers as <paramref name="callAs"/>.</summary>
    Task<IReadOnlyList<StackSetSummary>> ListStackSetsAsync(string callAs, CancellationToken ct = default);

    /// <summary>DeleteStackInstances of every account of the units (DeploymentTargets.OrganizationalUnitIds) in the regions,
    /// RetainStacks false: each instance's stack, and so its roles, is deleted with it; returns the operation id.</summary>
    Task<string> DeleteStackInstancesAsync(
        string stackSetName, IReadOnlyList<string> organizationalUnitIds, IReadOnlyList<string> regions, string callAs, string operationId,
        CancellationToken ct = default);

    /// <summary>DeleteStackSet. A stack set that still has instances is refused (StackSetNotEmptyException); one that does not
    /// exist is no error (it is gone already).</summary>
    Task DeleteStackSetAsync(string stackSetName, string callAs, CancellationToken ct = default);
}

/// <summary>One stack set of ListStackSets.</summary>
public sealed record StackSetSummary(string StackSetName, string Status, string? PermissionModel);

/// <summary>A service-managed stack set as the kit wants it.</summary>
public sealed record StackSetRequest(
    string StackSetName,
    string TemplateBody,
    IReadOnlyDictionary<string, string> Parameters,
    IReadOnlyDictionary<string, string> Tags,
    IReadOnlyList<string> Capabilities,
    string CallAs,
    string Description);

/// <param name="AutoDeployment">Null when the service does not say.</param>
public sealed record StackSetDescription(
    string StackSetName,
    string Status,
    string TemplateBody,
    IReadOnlyDictionary<string, string> Parameters,
    IReadOnlyDictionary<string, string> Tags,
    string? PermissionModel,
    StackSetAutoDeployment? AutoDeployment);

public sealed record StackSetAutoDeployment(bool Enabled, bool RetainStacksOnAccountRemoval)
{
    /// <summary>What the kit sets: an account moved into the unit gets the roles, one moved out loses them.</summary>
    public static StackSetAutoDeployment Kit { get; } = new(true, false);
}

/// <param name="Status">RUNNING, SUCCEEDED, FAILED, STOPPING, STOPPED or QUEUED.
/// https://docs.aws.amazon.com/AWSCloudFormation/latest/APIReference/API_StackSetOperation.html</param>
public sealed record StackSetOperation(string OperationId, string Status, string? StatusReason)
{
    public bool IsInProgress => Status is "RUNNING" or "QUEUED" or "STOPPING";

    public bool Succeeded => Status == "SUCCEEDED";
}

/// <param name="OrganizationalUnitId">The unit the instance was deployed for (service-managed), when the service says.</param>
public sealed record StackInstanceSummary(string Account, string Region, string? OrganizationalUnitId, string Status);
