namespace PipelineKit.Deployment;

using Amazon.Runtime;
using PipelineKit.Aws;

/// <summary>What a deployment failure tells the user to do next, and how it quotes CloudFormation's reason.</summary>
internal static class NextSteps
{
    /// <summary>For a stack the kit will not change on its own: the command that brings it back, for its account and region.</summary>
    public static string ForOperator(StackStatus status, string stackName, StackLocation location)
    {
        var where = $"--stack-name {stackName} --region {location.Region}";
        var who = $" (with credentials for account {location.AccountId})";
        return status.Value switch
        {
            "UPDATE_ROLLBACK_FAILED" =>
                $"Continue the rollback: aws cloudformation continue-update-rollback {where}{who}; " +
                "add --resources-to-skip for resources that cannot roll back. Then re-run.",
            "DELETE_FAILED" =>
                $"Delete it by hand: aws cloudformation delete-stack {where}{who}; " +
                "add --retain-resources for the resources that failed to delete. Then re-run.",
            "ROLLBACK_FAILED" or "IMPORT_ROLLBACK_FAILED" =>
                $"Resources may be left behind: read the stack's events, then aws cloudformation delete-stack {where}{who}, and re-run.",
            _ => "Bring the stack to a *_COMPLETE state in the CloudFormation console, then re-run.",
        };
    }

    /// <summary>For a change set that ran and did not leave the stack complete.</summary>
    public static string AfterFailedChangeSet(StackStatus status, string stackName, StackLocation location) => status.Value switch
    {
        "ROLLBACK_COMPLETE" => "Fix the cause above and re-run; the kit deletes the rolled-back stack and creates it again.",
        "UPDATE_ROLLBACK_COMPLETE" => "The stack is back at its previous state. Fix the cause above and re-run.",
        _ => ForOperator(status, stackName, location),
    };

    /// <summary>For a change set that failed because a resource's fixed name is taken ("already exists",
    /// BucketAlreadyExists, EntityAlreadyExists): null for other failures. A re-run helps only where the kit imports the
    /// resource, that is a resource the stack retains, when the stack is created again; anything else keeps failing until
    /// the name is free.</summary>
    public static string? ForNameTaken(StackStatus status, StackEvent? cause, StackDeployment desired)
    {
        if (cause?.ResourceStatusReason is not { } reason || !reason.Contains("already exist", StringComparison.OrdinalIgnoreCase)) return null;
        var location = desired.Location;
        var retained = desired.Retained?.FirstOrDefault(r => r.LogicalId == cause.LogicalResourceId ||
            (r.Kind == RetainedKind.Key && r.Related == cause.LogicalResourceId));
        if (retained is not null && status.NeedsDeleteBeforeCreate)
        {
            return $"{cause.LogicalResourceId} ({retained.Name}) outlived an earlier stack. Run the target again: before creating the stack anew " +
                   "the kit imports what the stack retains if this account owns it, and otherwise stops, before changing anything, with the commands to run.";
        }

        return $"{cause.LogicalResourceId} ({cause.ResourceType}) is created under a fixed name that exists outside the stack, and the kit " +
               $"does not import it; running again fails the same way. Delete it (its name is in the reason above) in account {location.AccountId}, " +
               $"region {location.Region}, or choose another \"name\" in pipeline.json (every resource name starts with it), then run the target again.";
    }

    public static string ForAwsError(AmazonServiceException e) => e.ErrorCode switch
    {
        "AccessDenied" or "AccessDeniedException" or "InvalidClientTokenId" or "ExpiredToken" or "ExpiredTokenException" =>
            "Check that the credentials for this account are valid and allowed to use CloudFormation, then re-run.",
        "InsufficientCapabilitiesException" => "The template needs a capability the kit did not grant; report this as a kit bug.",
        "LimitExceededException" => "An account limit was reached; raise the limit or remove unused stacks, then re-run.",
        _ => "Re-run; the kit resumes from what is already deployed. If the error repeats, check the stack in the CloudFormation console.",
    };

    /// <summary>A status reason as a message quotes it: " (reason)", or nothing when there is none.</summary>
    public static string Reason(string? reason) => string.IsNullOrWhiteSpace(reason) ? "" : $" ({reason})";
}
