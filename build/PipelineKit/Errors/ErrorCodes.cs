namespace PipelineKit.Errors;

using System.Reflection;

/// <summary>One kind of failure: its stable code, the class that sets the exit code, and what it means.</summary>
public sealed record ErrorKind(string Code, FailureClass Failure, string Description)
{
    public override string ToString() => Code;
}

/// <summary>
/// Every failure code the kit reports, in one place. Codes are the names of <c>DeploymentErrorCode</c> and
/// <c>AccountAccessError</c>, the codes of <c>ConfigurationException</c> and <c>PipelineRunFailedException</c>, and the
/// kit's own run failures; a test keeps this list and the code in step and the codes unique.
/// </summary>
public static class ErrorCodes
{
    // Configuration: pipeline.json or the command line.
    public static readonly ErrorKind InvalidConfiguration = new("InvalidConfiguration", FailureClass.Configuration,
        "pipeline.json or a command-line option is invalid; every problem is listed with its field.");
    public static readonly ErrorKind DeployerRoleMissing = new("DeployerRoleMissing", FailureClass.Configuration,
        "DeploySampleApp --direct needs the deployer role, which pipeline.json does not create (no \"deployers\").");

    // Account access: credentials and roles (AccountAccessError).
    public static readonly ErrorKind ProfileNotFound = new("ProfileNotFound", FailureClass.AccountAccess,
        "A named profile is not in the shared config or credentials file.");
    public static readonly ErrorKind NoValidCredentials = new("NoValidCredentials", FailureClass.AccountAccess,
        "No credentials were found, or the ones found are expired or invalid.");
    public static readonly ErrorKind AccessDenied = new("AccessDenied", FailureClass.AccountAccess,
        "STS refused: the role does not exist or does not trust the caller.");
    public static readonly ErrorKind WrongAccount = new("WrongAccount", FailureClass.AccountAccess,
        "The credentials work, but in another account than the configuration names.");
    public static readonly ErrorKind UnknownAccount = new("UnknownAccount", FailureClass.AccountAccess,
        "The account is not named anywhere in the configuration.");
    public static readonly ErrorKind Unreachable = new("Unreachable", FailureClass.AccountAccess,
        "Any other failure while reaching or checking an account.");
    public static readonly ErrorKind Several = new("Several", FailureClass.AccountAccess,
        "Several account checks failed; each is listed.");
    public static readonly ErrorKind OrganizationalUnitUnresolved = new("OrganizationalUnitUnresolved", FailureClass.AccountAccess,
        "An organizational unit of pipeline.json cannot be resolved to accounts: the build account may not list the organization (neither its management account nor a delegated administrator), is in another organization or none, the unit does not exist, or it has no active account.");
    public static readonly ErrorKind DeployerRoleRefused = new("DeployerRoleRefused", FailureClass.AccountAccess,
        "DeploySampleApp --direct: the build credentials may not assume the deployer role.");

    // Deployment: one stack (DeploymentErrorCode), a target's stacks, the pipeline's run.
    public static readonly ErrorKind NeedsOperator = new("NeedsOperator", FailureClass.Deployment,
        "A stack is in a state the kit must not repair on its own (UPDATE_ROLLBACK_FAILED, DELETE_FAILED, ...).");
    public static readonly ErrorKind ChangeSetFailed = new("ChangeSetFailed", FailureClass.Deployment,
        "CloudFormation rejected the change set (other than \"no changes\").");
    public static readonly ErrorKind StackFailed = new("StackFailed", FailureClass.Deployment,
        "The change set ran and the stack rolled back or failed.");
    public static readonly ErrorKind DeleteFailed = new("DeleteFailed", FailureClass.Deployment,
        "Deleting a rolled-back stack before re-creating it failed.");
    public static readonly ErrorKind Timeout = new("Timeout", FailureClass.Deployment,
        "A wait on CloudFormation passed its deadline.");
    public static readonly ErrorKind TemplateTooLarge = new("TemplateTooLarge", FailureClass.Deployment,
        "A template is over CloudFormation's inline limit and no template bucket is available.");
    public static readonly ErrorKind AwsError = new("AwsError", FailureClass.Deployment,
        "An AWS call failed with an error the deployer does not handle; the AWS error code is kept.");
    public static readonly ErrorKind ResourceNameTaken = new("ResourceNameTaken", FailureClass.Deployment,
        "A stack to create names a bucket, key or role that exists and cannot be imported; nothing was changed, the next step gives the commands.");
    public static readonly ErrorKind StacksFailed = new("StacksFailed", FailureClass.Deployment,
        "A target ended with failed or not-started stacks; the summary says which and why.");
    public static readonly ErrorKind RunLockHeld = new("RunLockHeld", FailureClass.Deployment,
        "Another run of the same pipeline and build account holds the run lock, and this run's --lock-wait ran out; the holder is named.");
    public static readonly ErrorKind RunLockLost = new("RunLockLost", FailureClass.Deployment,
        "The run lock was taken from this run while it worked (--break-lock, or its lease ran out); it started no stack after that.");
    public static readonly ErrorKind PipelineRunFailed = new("PipelineRunFailed", FailureClass.Deployment,
        "The pipeline's run failed (or ended in a status the kit does not know); the stage, action and CodePipeline's error are named.");
    public static readonly ErrorKind PipelineRunStopped = new("PipelineRunStopped", FailureClass.Deployment,
        "Someone stopped the pipeline's run (StopPipelineExecution or the console); the stop's reason is named when given.");
    public static readonly ErrorKind PipelineRunCancelled = new("PipelineRunCancelled", FailureClass.Deployment,
        "CodePipeline cancelled the run because the pipeline's definition was updated while it ran.");
    public static readonly ErrorKind PipelineBusy = new("PipelineBusy", FailureClass.Deployment,
        "The kit could not start a run: the pipeline stayed busy (being updated, or at its limit of runs in progress).");
    public static readonly ErrorKind PipelineRunSuperseded = new("PipelineRunSuperseded", FailureClass.Deployment,
        "A newer run (a later upload or push) took the run's place.");
    public static readonly ErrorKind PipelineNotFound = new("PipelineNotFound", FailureClass.Deployment,
        "The pipeline does not exist yet: CreatePipeline has not run.");
    public static readonly ErrorKind NothingToRollBack = new("NothingToRollBack", FailureClass.Deployment,
        "Rollback: the environment has no earlier successful deployment to go back to (its stage never succeeded before, or no direct deployment is recorded before the current one).");
    public static readonly ErrorKind RollbackRefused = new("RollbackRefused", FailureClass.Deployment,
        "Rollback: CodePipeline refused RollbackStage (the stage is running, the target did not succeed in it, or the pipeline changed since).");
    public static readonly ErrorKind LocalPipelineRefused = new("LocalPipelineRefused", FailureClass.Configuration,
        "The local pipeline run refuses the synthesized pipeline, or cannot run it here: an action type or configuration field it does not run, named; no emulator; no artifact store in a region.");
    public static readonly ErrorKind VerifyFailed = new("VerifyFailed", FailureClass.Deployment,
        "Verify found what is deployed not working as configured; the matrix names each failed cell and why.");

    public static readonly ErrorKind PlanFailed = new("PlanFailed", FailureClass.Deployment,
        "Plan could not preview some stacks (a change set failed, or a stack needs an operator); the plan names them.");
    public static readonly ErrorKind DestroyNotConfirmed = new("DestroyNotConfirmed", FailureClass.Configuration,
        "Destroy without --yes: it listed what it would delete and deleted nothing.");
    public static readonly ErrorKind DestroyRefused = new("DestroyRefused", FailureClass.Deployment,
        "A stack has the kit's name but not the pipeline's tag: Destroy deleted nothing.");
    public static readonly ErrorKind DestroyIncomplete = new("DestroyIncomplete", FailureClass.Deployment,
        "A deletion failed; the summary says which. Re-running Destroy --yes resumes.");

    // Interrupted.
    public static readonly ErrorKind Interrupted = new("Interrupted", FailureClass.Interrupted,
        "Ctrl+C: no new stack started and the kit stopped waiting; re-run to resume.");

    // Anything else.
    public static readonly ErrorKind SampleAppBuildFailed = new("SampleAppBuildFailed", FailureClass.Failed,
        "dotnet test or dotnet publish of the sample app failed; its output is above.");
    public static readonly ErrorKind TestsFailed = new("TestsFailed", FailureClass.Failed,
        "The kit's own tests (Test target) failed.");
    public static readonly ErrorKind SmokeTestFailed = new("SmokeTestFailed", FailureClass.Deployment,
        "The sample app's smoke test of a deployed environment failed: GET /hello did not answer 200 with that environment and the version just deployed.");

    /// <summary>Every registered kind, in the order above.</summary>
    public static IReadOnlyList<ErrorKind> All { get; } = typeof(ErrorCodes)
        .GetFields(BindingFlags.Public | BindingFlags.Static)
        .Where(f => f.FieldType == typeof(ErrorKind))
        .Select(f => (ErrorKind)f.GetValue(null)!)
        .ToArray();

    public static ErrorKind? Find(string code) => All.FirstOrDefault(k => string.Equals(k.Code, code, StringComparison.Ordinal));
}
