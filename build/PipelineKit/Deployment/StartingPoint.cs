namespace PipelineKit.Deployment;

using PipelineKit.Aws;

/// <summary>What a settled stack's status asks of a deployment.</summary>
internal enum StartingPoint
{
    /// <summary>No stack, or one made by a change set never executed (REVIEW_IN_PROGRESS): a CREATE change set.</summary>
    Create,
    /// <summary>A stack whose creation rolled back: delete it, then a CREATE change set.</summary>
    Recreate,
    /// <summary>A settled stack: an UPDATE change set, unless it is as desired already.</summary>
    Update,
}

internal static class StartingPoints
{
    /// <summary>The starting point for a settled stack, or a <see cref="DeploymentException"/> for a status the kit
    /// must not or cannot act on. Decides only; changes nothing.</summary>
    public static StartingPoint Of(StackDescription? existing, StackContext context)
    {
        if (existing is null) return StartingPoint.Create;
        if (existing.Status.NeedsOperator)
        {
            throw context.Fail(DeploymentErrorCode.NeedsOperator,
                $"the stack is in {existing.Status}{NextSteps.Reason(existing.StatusReason)}; the kit will not change it.",
                NextSteps.ForOperator(existing.Status, context.Name, context.Stack.Location), existing.Status);
        }

        if (existing.Status.NeedsDeleteBeforeCreate) return StartingPoint.Recreate;
        if (existing.Status.NeedsCreateChangeSet) return StartingPoint.Create;
        if (existing.Status.CanBeUpdated) return StartingPoint.Update;
        throw context.Fail(DeploymentErrorCode.NeedsOperator, $"the stack is in {existing.Status}, which the kit does not know how to update.",
            "Bring the stack to a *_COMPLETE state in the CloudFormation console, then re-run.", existing.Status);
    }
}
