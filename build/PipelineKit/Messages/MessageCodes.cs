namespace PipelineKit.Messages;

using System.Reflection;

/// <summary>
/// Every kind of message the kit shows, in one place: its code, its level and when it is shown. A message is made
/// from one of these fields, so a code in use is always listed here; a test keeps the codes unique and each one used.
/// Codes are <c>Area.Event</c> and stay stable when the wording changes; the log file records them with each message.
/// </summary>
public static class MessageCodes
{
    // A run of a target.
    public static readonly MessageKind CredentialsChecking = new("Credentials.Checking", MessageLevel.Info,
        "Before the first stack: which accounts the kit verifies it can act in.");
    public static readonly MessageKind OrganizationalUnitResolved = new("Organizations.UnitResolved", MessageLevel.Info,
        "Before the credential check: an organizational unit of pipeline.json and the active accounts found in it (its child units included).");
    public static readonly MessageKind OrganizationalAccountSkipped = new("Organizations.AccountSkipped", MessageLevel.Warning,
        "An account of an organizational unit is not ACTIVE (suspended, or closing): the kit deploys nothing to it.");
    public static readonly MessageKind CodeBuildProfileSetAside = new("CodeBuild.ProfileSetAside", MessageLevel.Info,
        "In CodeBuild the build account is the project's role; pipeline.json's build.profile is not used.");
    public static readonly MessageKind RunSummary = new("Run.Summary", MessageLevel.Info,
        "After a target's graph: the target, where it ran, and the summary of every stack.", separate: true);
    public static readonly MessageKind OutputsWritten = new("Outputs.Written", MessageLevel.Info,
        "Where outputs.json was written.");
    public static readonly MessageKind Cancelling = new("Run.Cancelling", MessageLevel.Warning,
        "First Ctrl+C: no new stack starts; stacks in progress go on in CloudFormation.");

    public static readonly MessageKind AwsCalls = new("Run.AwsCalls", MessageLevel.Info,
        "After a target that has no stack summary (Destroy, Verify): how many AWS calls it made, how many of them mutating.");
    public static readonly MessageKind AwsRetrying = new("Aws.Retrying", MessageLevel.Info,
        "An AWS call's attempt was throttled, got a 5xx or a network error: the call, the error, the next attempt of how many, the wait.");

    // Deployment.
    public static readonly MessageKind StackAdopting = new("Stack.Adopting", MessageLevel.Info,
        "Before a kit stack that is gone is created again: the retained bucket, key, alias or roles it imports instead of creating them.");

    public static readonly MessageKind StackSetOfDroppedUnitDeleting = new("StackSet.DroppedUnitDeleting", MessageLevel.Warning,
        "A foundation run found the stack set of an organizational unit pipeline.json no longer names: it deletes its instances, then the set.");
    public static readonly MessageKind StackSetOfDroppedUnitDeleted = new("StackSet.DroppedUnitDeleted", MessageLevel.Info,
        "The stack set of a unit pipeline.json no longer names is deleted, with the accounts whose instances (and roles) went with it.");
    public static readonly MessageKind StackSetNotKits = new("StackSet.NotKits", MessageLevel.Warning,
        "A stack set has the name of one of the pipeline's unit stack sets but is not the kit's (tag, permission model): the kit leaves it alone.");

    // The run lock (Locking/RunLock): one run at a time per pipeline and build account.
    public static readonly MessageKind RunLockTaken = new("RunLock.Taken", MessageLevel.Info,
        "A mutating target took the run lock: where it is, how long its lease lasts.");
    public static readonly MessageKind RunLockWaiting = new("RunLock.Waiting", MessageLevel.Warning,
        "Another run holds the run lock: who (caller ARN, host, process, target), since when; how long this run waits.");
    public static readonly MessageKind RunLockTakenOver = new("RunLock.TakenOver", MessageLevel.Warning,
        "The holder's lease ran out (the run died or lost its network): this run took the lock over.");
    public static readonly MessageKind RunLockBroken = new("RunLock.Broken", MessageLevel.Warning,
        "--break-lock: whose lock was marked released, or that nobody held it.");
    public static readonly MessageKind RunLockLost = new("RunLock.Lost", MessageLevel.Error,
        "The run lock was taken from this run while it worked (broken or taken over): no new stack starts.");
    public static readonly MessageKind RunLockReleased = new("RunLock.Released", MessageLevel.Info,
        "The run ended (done, failed or cancelled) and marked the run lock released.");
    public static readonly MessageKind RunLockReleaseFailed = new("RunLock.ReleaseFailed", MessageLevel.Warning,
        "Releasing the run lock failed; its lease runs out by itself and the next run takes it over.");
    public static readonly MessageKind RunLockNotYet = new("RunLock.NotYet", MessageLevel.Info,
        "The run lock's bucket does not exist yet (first bootstrap): the primary stack starts first, the lock is taken as soon as it has made the bucket, and the other stacks start then.");

    // Plan.
    public static readonly MessageKind PlanReport = new("Plan.Report", MessageLevel.Info,
        "After Plan: every stack's changes, security-relevant ones flagged, the AWS calls and the files written.", separate: true);

    public static readonly MessageKind SecurityCheckReport = new("SecurityCheck.Report", MessageLevel.Info,
        "After SecurityCheck: the change set's security changes and whether the security approval was given or left waiting.", separate: true);

    // Destroy.
    public static readonly MessageKind DestroyNothingLeft = new("Destroy.NothingLeft", MessageLevel.Info,
        "Destroy found no stack, bucket or key of the pipeline left.");
    public static readonly MessageKind DestroyPlan = new("Destroy.Plan", MessageLevel.Info,
        "Before anything is deleted: every stack, bucket and key Destroy found, and what it will do with each.");
    public static readonly MessageKind DestroyRefused = new("Destroy.Refused", MessageLevel.Error,
        "A stack has the kit's name but not the pipeline's tag: Destroy deletes nothing.");
    public static readonly MessageKind DestroyNotConfirmed = new("Destroy.NotConfirmed", MessageLevel.Warning,
        "Destroy without --yes: nothing is deleted.");
    public static readonly MessageKind DestroyDeleting = new("Destroy.Deleting", MessageLevel.Info,
        "Destroy with --yes: the stack deletions start.");
    public static readonly MessageKind DestroySummary = new("Destroy.Summary", MessageLevel.Info,
        "After Destroy: what was deleted, what was retained and why.", separate: true);

    // Verify.
    public static readonly MessageKind VerifyMatrix = new("Verify.Matrix", MessageLevel.Info,
        "After Verify: the checks by account, one reason per failed or skipped cell, and the verdict.", separate: true);

    // The sandbox's emulator.
    public static readonly MessageKind SandboxStarting = new("Sandbox.Starting", MessageLevel.Info,
        "--sandbox without AWS_ENDPOINT_URL: moto_server is being started.");
    public static readonly MessageKind SandboxWarning = new("Sandbox.Warning", MessageLevel.Warning,
        "moto runs without the kit's corrections (python3 cannot import moto), and why.");
    public static readonly MessageKind SandboxStarted = new("Sandbox.Started", MessageLevel.Info,
        "The emulator's URL, and how to re-use it for another run.");
    public static readonly MessageKind SandboxStopped = new("Sandbox.Stopped", MessageLevel.Info,
        "The kit stopped the emulator it started.");
    public static readonly MessageKind SandboxRepositoryCreated = new("Sandbox.RepositoryCreated", MessageLevel.Info,
        "--sandbox with a CodeCommit source in another account: the emulator had no such repository, so the kit created the stand-in.");

    // The sample app.
    public static readonly MessageKind SampleAppTesting = new("SampleApp.Testing", MessageLevel.Info,
        "Package: the sample app's tests start.");
    public static readonly MessageKind SampleAppReused = new("SampleApp.Reused", MessageLevel.Info,
        "Package: the sources are those of a tested, published build; its zip and test reports are used again.");
    public static readonly MessageKind SampleAppPublishing = new("SampleApp.Publishing", MessageLevel.Info,
        "Package: dotnet publish of the sample app starts.");
    public static readonly MessageKind SampleAppToolOutput = new("SampleApp.ToolOutput", MessageLevel.Info,
        "One line of dotnet test or dotnet publish, indented.");
    public static readonly MessageKind SampleAppPackaged = new("SampleApp.Packaged", MessageLevel.Info,
        "The function's zip and its SHA-256.");
    public static readonly MessageKind SampleAppParameterFile = new("SampleApp.ParameterFile", MessageLevel.Info,
        "One environment's parameter file, written by Package.");
    public static readonly MessageKind SampleAppCodeStored = new("SampleApp.CodeStored", MessageLevel.Info,
        "PublishSampleApp: the zip was uploaded to an artifact bucket, or was there already.");
    public static readonly MessageKind SampleAppCodeReplaced = new("SampleApp.CodeReplaced", MessageLevel.Warning,
        "The object at the zip's content-addressed key held other bytes; the kit uploaded the zip again.");
    public static readonly MessageKind SampleAppActingAsDeployer = new("SampleApp.ActingAsDeployer", MessageLevel.Info,
        "DeploySampleApp --direct: the deployer role the kit acts as, and whom it was assumed from.");
    public static readonly MessageKind SampleAppUrls = new("SampleApp.Urls", MessageLevel.Info,
        "After the sample app is deployed: each environment's stack and ApiUrl.");
    public static readonly MessageKind SampleAppSmokeTest = new("SampleApp.SmokeTest", MessageLevel.Info,
        "SmokeTest: what the smoke test of an environment calls and expects (the deployed URL, or the handler in process on the emulator), and that it passed.");

    // Delivery through the pipeline.
    public static readonly MessageKind SourceWarning = new("Source.Warning", MessageLevel.Warning,
        "Something about the source archive (e.g. uncommitted changes are left out).");
    public static readonly MessageKind SourceUploaded = new("Source.Uploaded", MessageLevel.Info,
        "The repository was uploaded to the pipeline's S3 source: key, version, size, SHA-256.");
    public static readonly MessageKind SourcePushNeeded = new("Source.PushNeeded", MessageLevel.Info,
        "A repository source: what to push; the kit follows the next run.");
    public static readonly MessageKind PipelineProgress = new("Pipeline.Progress", MessageLevel.Info,
        "Following a pipeline run: the run found or started, each stage's transitions, approvals, the end.");
    public static readonly MessageKind LocalPipelineApproval = new("LocalPipeline.Approval", MessageLevel.Info,
        "An approval of a local pipeline run waits for an answer on the terminal: what it is, and how to answer.");
    public static readonly MessageKind LocalPipelineNotice = new("LocalPipeline.Notice", MessageLevel.Warning,
        "The local pipeline run does something other than CodePipeline or CodeBuild would, and says what: an install phase skipped, a repository source taken from the local checkout, the kit's suite left to --full-build.");
    public static readonly MessageKind LocalPipelinePermissions = new("LocalPipeline.Permissions", MessageLevel.Info,
        "At the end of a local pipeline run: how many calls of the pipeline's roles were checked against the deployed policies, how many denied.");
    public static readonly MessageKind RollbackStarting = new("Rollback.Starting", MessageLevel.Info,
        "Rollback of an environment: what it goes back to (the execution and source version, or the recorded deployment) and why that one.");
    public static readonly MessageKind PipelineRetrying = new("Pipeline.Retrying", MessageLevel.Warning,
        "A CodePipeline call answered an error that passes (the pipeline is busy, a new run is not readable yet): what, and when it is tried again.");

    // The kit's own tests.
    public static readonly MessageKind TestCounts = new("Tests.Counts", MessageLevel.Info,
        "Test target: passed, failed and skipped, counted from the TRX reports.", separate: true);

    /// <summary>Every registered kind, in the order above.</summary>
    public static IReadOnlyList<MessageKind> All { get; } = typeof(MessageCodes)
        .GetFields(BindingFlags.Public | BindingFlags.Static)
        .Where(f => f.FieldType == typeof(MessageKind))
        .Select(f => (MessageKind)f.GetValue(null)!)
        .ToArray();
}
