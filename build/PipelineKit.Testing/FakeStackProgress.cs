namespace PipelineKit.Testing;

using PipelineKit.Aws;

/// <summary>How a fake stack's work settles as it is described (FakeCloudFormation.md, "Execution outcome" and "Deleting"): the resource and stack
/// events it writes, a create or update that completes, one that rolls back, a delete that completes or fails.
/// Called under <see cref="FakeCloudFormation"/>'s lock.</summary>
internal sealed class FakeStackProgress(TimeProvider time)
{
    private int sequence;

    /// <summary>Moves a stack's pending work one describe closer to its end.</summary>
    public void Advance(FakeStack stack, FakeCloudFormation settings)
    {
        if (stack.Pending is not { } work) return;
        if (!work.Started)
        {
            if (work.StartsIn-- > 0) return;
            Start(stack, work);
        }

        if (--work.DescribesLeft > 0) return;
        stack.Pending = null;

        if (work.SettlesTo is { } settled)
        {
            stack.Status = settled;
            Event(stack, stack.Name, "AWS::CloudFormation::Stack", settled.Value, null);
            return;
        }

        if (work.ChangeSet is null)
        {
            stack.Status = settings.DeleteFails ? StackStatus.DeleteFailed : StackStatus.DeleteComplete;
            Event(stack, stack.Name, "AWS::CloudFormation::Stack", stack.Status.Value, settings.DeleteFails ? "The following resource(s) failed to delete: [Bucket]." : null);
            return;
        }

        var cs = work.ChangeSet;
        if (cs.Type == ChangeSetType.Import) { FakeImports.Complete(stack, cs, settings.Resources, this); return; }
        var creating = cs.Type == ChangeSetType.Create;
        var verb = creating ? "CREATE" : "UPDATE";
        if (work.Failures.Count > 0)
        {
            cs.ExecutionStatus = "EXECUTE_FAILED";
            RollBack(stack, cs, work.Failures, settings.RollbackFails);
            return;
        }

        cs.ExecutionStatus = "EXECUTE_COMPLETE";

        Event(stack, "Resource", "AWS::S3::Bucket", $"{verb}_IN_PROGRESS", null);
        Event(stack, "Resource", "AWS::S3::Bucket", $"{verb}_COMPLETE", null);
        stack.Template = cs.Template;
        stack.Parameters = cs.Parameters;
        stack.Tags = cs.Tags;
        stack.Outputs = settings.OutputsFor(cs.Parameters);
        stack.Status = creating ? StackStatus.CreateComplete : StackStatus.UpdateComplete;
        Event(stack, stack.Name, "AWS::CloudFormation::Stack", stack.Status.Value, null);
    }

    /// <summary>A change set whose resources fail: a create rolls back to ROLLBACK_COMPLETE (keeping what it was asked),
    /// an update to UPDATE_ROLLBACK_COMPLETE, or UPDATE_ROLLBACK_FAILED when <see cref="FakeCloudFormation.RollbackFails"/>.</summary>
    private void RollBack(FakeStack stack, FakeChangeSet cs, Dictionary<string, string> failures, bool rollbackFails)
    {
        var creating = cs.Type == ChangeSetType.Create;
        var verb = creating ? "CREATE" : "UPDATE";
        foreach (var (logicalId, reason) in failures)
        {
            Event(stack, logicalId, "AWS::S3::Bucket", $"{verb}_IN_PROGRESS", null);
            Event(stack, logicalId, "AWS::S3::Bucket", $"{verb}_FAILED", reason);
        }

        Event(stack, "Collateral", "AWS::KMS::Key", $"{verb}_FAILED", creating ? "Resource creation cancelled" : "Resource update cancelled");
        if (creating)
        {
            stack.Template = cs.Template;
            stack.Parameters = cs.Parameters;
            stack.Tags = cs.Tags;
            stack.Status = StackStatus.RollbackComplete;
        }
        else
        {
            stack.Status = rollbackFails ? StackStatus.UpdateRollbackFailed : StackStatus.UpdateRollbackComplete;
        }

        Event(stack, stack.Name, "AWS::CloudFormation::Stack", stack.Status.Value,
            $"The following resource(s) failed to {verb.ToLowerInvariant()}: [{string.Join(", ", failures.Keys)}].");
    }

    /// <summary>An execution's start: the stack goes CREATE_IN_PROGRESS or UPDATE_IN_PROGRESS, "User Initiated".</summary>
    public void Start(FakeStack stack, PendingWork work)
    {
        work.Started = true;
        var type = work.ChangeSet!.Type;
        stack.Status = type == ChangeSetType.Import ? StackStatus.ImportInProgress
            : type == ChangeSetType.Create ? StackStatus.CreateInProgress : StackStatus.UpdateInProgress;
        Event(stack, stack.Name, "AWS::CloudFormation::Stack", stack.Status.Value, "User Initiated");
    }

    /// <summary>Appends an event; one of the stack itself also sets the stack's status reason, as DescribeStacks reports it.</summary>
    public void Event(FakeStack stack, string logicalId, string type, string status, string? reason)
    {
        stack.Events.Add(new StackEvent($"ev-{++sequence}", stack.Name, logicalId, null, type, time.GetUtcNow(), status, reason, stack.Token));
        if (logicalId == stack.Name && type == "AWS::CloudFormation::Stack") stack.StatusReason = reason;
    }
}
