namespace PipelineKit.Planning;

using PipelineKit.Deployment;

/// <summary>What Plan found for one stack.</summary>
public enum PlanStatus
{
    /// <summary>Template, parameters and tags equal what is deployed.</summary>
    Unchanged,
    /// <summary>An existing stack would be updated.</summary>
    Update,
    /// <summary>The stack does not exist and would be created.</summary>
    Create,
    /// <summary>The stack is in ROLLBACK_COMPLETE: it would be deleted and created anew.</summary>
    Recreate,
    /// <summary>A stack set of a unit pipeline.json no longer names: it would be deleted, with its instances.</summary>
    Delete,
    /// <summary>What would happen could not be determined (see the note).</summary>
    Error,
}

/// <summary>One resource a deployment would add, modify or remove.</summary>
/// <param name="Replacement">CloudFormation's answer (True, False, Conditional); null for a new or removed resource.</param>
/// <param name="Security">The resource bears permissions (IAM, key, bucket, topic and queue policies, Lambda permissions).</param>
/// <param name="Widening">What the change grants that the deployed resource did not; empty when nothing widens or unknown.</param>
public sealed record PlannedResource(
    string Action, string LogicalId, string ResourceType, string? Replacement, bool Security, IReadOnlyList<string> Widening);

public sealed record StackPlan(
    string Key, string StackName, StackLocation Location, PlanStatus Status, IReadOnlyList<PlannedResource> Resources, string? Note = null)
{
    public bool HasChanges => Status is not PlanStatus.Unchanged;

    public bool HasSecurityChanges => Resources.Any(r => r.Security);

    public int Count(string action) => Resources.Count(r => r.Action == action);
}
