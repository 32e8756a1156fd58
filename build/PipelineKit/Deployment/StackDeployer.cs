namespace PipelineKit.Deployment;

using System.Security.Cryptography;
using System.Text;
using Amazon.Runtime;
using PipelineKit.Aws;

/// <summary>
/// Deploys one stack through a change set, exactly once and in one place:
/// settle -> repair or refuse -> skip when nothing differs -> remove stale kit change sets ->
/// create (client token) -> wait -> "no changes" is success -> execute (request token) ->
/// stream events until the stack settles -> report. Preparing a change set is usable on its own
/// (a plan creates, describes and deletes change sets without executing them).
/// </summary>
public sealed class StackDeployer
{
    /// <summary>CloudFormation's limit for an inline TemplateBody, in bytes.</summary>
    public const int MaxInlineTemplateBytes = 51_200;

    /// <summary>Every change set the kit creates starts with this; any other change set is left alone.</summary>
    public const string ChangeSetPrefix = "pipelinekit-";

    private readonly Poller poller;
    private readonly IDeploymentObserver observer;
    private readonly ITemplateStore? templateStore;
    private readonly PollingPolicy policy;

    public StackDeployer(TimeProvider time, PollingPolicy policy, IDeploymentObserver observer, ITemplateStore? templateStore = null)
    {
        poller = new Poller(time, policy);
        this.policy = policy;
        this.observer = observer;
        this.templateStore = templateStore;
    }

    public Task<StackResult> DeployAsync(ICloudFormation cfn, StackRef stack, StackDeployment desired, CancellationToken ct = default) =>
        DeployAsync(cfn, stack, _ => desired, ct);

    /// <summary>Deploys a stack whose desired state depends on what is deployed (e.g. a parameter the
    /// kit keeps once set). <paramref name="desiredFor"/> sees the settled stack, or null when there is none;
    /// the stack is described once for both.</summary>
    public async Task<StackResult> DeployAsync(
        ICloudFormation cfn, StackRef stack, Func<StackDescription?, StackDeployment> desiredFor, CancellationToken ct = default)
    {
        var started = poller.Time.GetUtcNow();
        var run = new Run(this, cfn, stack, desiredFor);
        return await GuardAsync(stack, async () =>
        {
            var prepared = await run.PrepareAsync(ct).ConfigureAwait(false);
            return prepared.ChangeSet is null
                ? prepared.Unchanged(Elapsed(started))
                : await run.ExecuteAsync(prepared, started, ct).ConfigureAwait(false);
        }).ConfigureAwait(false);
    }

    /// <summary>Reads a stack that a target needs but does not deploy, waiting while an operation is in progress on it
    /// (another run, a console user). Null when it does not exist.</summary>
    public Task<StackDescription?> ReadSettledAsync(ICloudFormation cfn, StackRef stack, CancellationToken ct = default) =>
        GuardAsync(stack, () => new Run(this, cfn, stack, _ => throw new InvalidOperationException("A read deploys nothing.")).SettleAsync(ct));

    /// <summary>Turns timeouts and AWS errors into a <see cref="DeploymentException"/> with the next step.</summary>
    private static async Task<T> GuardAsync<T>(StackRef stack, Func<Task<T>> work)
    {
        try
        {
            return await work().ConfigureAwait(false);
        }
        catch (DeploymentException)
        {
            throw;
        }
        catch (TimeoutException e)
        {
            throw new DeploymentException(DeploymentErrorCode.Timeout, stack.StackName, stack.Location, e.Message,
                "Check the stack in the CloudFormation console; re-run once it has settled (the kit waits for stacks in progress).", inner: e);
        }
        catch (AmazonServiceException e)
        {
            throw new DeploymentException(DeploymentErrorCode.AwsError, stack.StackName, stack.Location,
                $"{e.ErrorCode}: {e.Message}", AwsNextStep(e), awsErrorCode: e.ErrorCode, inner: e);
        }
    }

    /// <summary>Creates the change set that <see cref="DeployAsync(ICloudFormation, StackRef, StackDeployment, CancellationToken)"/>
    /// would execute, describes it and deletes it again. Null when the stack is already as desired.</summary>
    public async Task<ChangeSetDescription?> PreviewAsync(ICloudFormation cfn, StackRef stack, StackDeployment desired, CancellationToken ct = default)
    {
        var run = new Run(this, cfn, stack, _ => desired);
        var prepared = await run.PrepareAsync(ct).ConfigureAwait(false);
        if (prepared.ChangeSet is null) return null;
        await cfn.DeleteChangeSetAsync(desired.StackName, prepared.ChangeSet.ChangeSetName, ct).ConfigureAwait(false);
        return prepared.ChangeSet;
    }

    private TimeSpan Elapsed(DateTimeOffset started) => poller.Time.GetUtcNow() - started;

    private static string AwsNextStep(AmazonServiceException e) => e.ErrorCode switch
    {
        "AccessDenied" or "AccessDeniedException" or "InvalidClientTokenId" or "ExpiredToken" or "ExpiredTokenException" =>
            "Check that the credentials for this account are valid and allowed to use CloudFormation, then re-run.",
        "InsufficientCapabilitiesException" => "The template needs a capability the kit did not grant; report this as a kit bug.",
        "LimitExceededException" => "An account limit was reached; raise the limit or remove unused stacks, then re-run.",
        _ => "Re-run; the kit resumes from what is already deployed. If the error repeats, check the stack in the CloudFormation console.",
    };

    /// <summary>Where a change set stands once prepared.</summary>
    private sealed record Prepared(
        StackDescription? Existing,
        ChangeSetDescription? ChangeSet,
        bool Recreated,
        Func<TimeSpan, StackResult> Unchanged);

    /// <summary>The state of one deployment while it runs.</summary>
    private sealed class Run(StackDeployer owner, ICloudFormation cfn, StackRef stack, Func<StackDescription?, StackDeployment> desiredFor)
    {
        private StackDeployment? desiredState;

        private string Name => stack.StackName;

        private StackDeployment desired => desiredState ?? throw new InvalidOperationException("The desired state is known once the stack has settled.");

        private void Progress(string message, StackStatus? status = null) =>
            owner.observer.On(new StackProgress(stack, owner.poller.Time.GetUtcNow(), message, status));

        private DeploymentException Fail(DeploymentErrorCode code, string message, string nextStep, StackStatus? status = null) =>
            new(code, Name, stack.Location, message, nextStep, status);

        public async Task<Prepared> PrepareAsync(CancellationToken ct)
        {
            var existing = await SettleAsync(ct).ConfigureAwait(false);
            var recreated = false;
            desiredState = desiredFor(existing);
            if (desiredState.StackName != stack.StackName || desiredState.Location != stack.Location)
            {
                throw new InvalidOperationException($"The deployment of {desiredState.StackName} does not match the stack {stack.StackName}.");
            }

            if (existing is { Status.NeedsOperator: true })
            {
                throw Fail(DeploymentErrorCode.NeedsOperator,
                    $"the stack is in {existing.Status}{Reason(existing.StatusReason)}; the kit will not change it.",
                    OperatorStep(existing.Status, Name, stack.Location), existing.Status);
            }

            if (existing is { Status.NeedsDeleteBeforeCreate: true })
            {
                await DeleteForRecreateAsync(existing, ct).ConfigureAwait(false);
                existing = null;
                recreated = true;
            }

            ChangeSetType type;
            if (existing is null || existing.Status.NeedsCreateChangeSet)
            {
                type = ChangeSetType.Create;
            }
            else if (existing.Status.CanBeUpdated)
            {
                if (await IsAsDesiredAsync(existing, ct).ConfigureAwait(false))
                {
                    return new Prepared(existing, null, false, elapsed => UnchangedResult(existing, elapsed));
                }

                type = ChangeSetType.Update;
            }
            else
            {
                throw Fail(DeploymentErrorCode.NeedsOperator, $"the stack is in {existing.Status}, which the kit does not know how to update.",
                    "Bring the stack to a *_COMPLETE state in the CloudFormation console, then re-run.", existing.Status);
            }

            if (existing is not null)
            {
                await DeleteStaleChangeSetsAsync(ct).ConfigureAwait(false);
            }

            var changeSet = await CreateChangeSetAsync(type, ct).ConfigureAwait(false);
            if (changeSet is null)
            {
                // Same template, parameters and tags in CloudFormation's eyes: nothing to do but the stack setting.
                await AlignTerminationProtectionAsync(existing!.TerminationProtection, ct).ConfigureAwait(false);
                return new Prepared(existing, null, false, elapsed => UnchangedResult(existing, elapsed));
            }

            return new Prepared(existing, changeSet, recreated, _ => throw new InvalidOperationException("has changes"));
        }

        public async Task<StackResult> ExecuteAsync(Prepared prepared, DateTimeOffset started, CancellationToken ct)
        {
            var changeSet = prepared.ChangeSet!;
            // Events older than this run are not reported again.
            var watermark = await NewestEventIdAsync(ct).ConfigureAwait(false);
            Progress($"executing change set ({changeSet.Changes.Count} resource change(s))");
            await cfn.ExecuteChangeSetAsync(Name, changeSet.ChangeSetName, Token("exec", changeSet.ChangeSetName), ct).ConfigureAwait(false);

            var events = new EventStream(cfn, Name, watermark);
            StackStatus? lastStatus = null;
            var final = await owner.poller.UntilAsync(
                async token =>
                {
                    foreach (var e in await events.ReadNewAsync(token).ConfigureAwait(false))
                    {
                        owner.observer.On(new StackResourceEvent(stack, owner.poller.Time.GetUtcNow(), e));
                    }

                    return await cfn.DescribeStackAsync(Name, token).ConfigureAwait(false);
                },
                s => s is not null && !s.Status.IsInProgress,
                owner.policy.StackDeadline,
                () => $"waiting for {Name} to finish its change set",
                s =>
                {
                    // Report a status once, when it changes, not on every poll.
                    if (s is null || s.Status == lastStatus) return;
                    lastStatus = s.Status;
                    Progress("change set running", s.Status);
                },
                ct).ConfigureAwait(false);

            foreach (var e in await owner.poller.ReadAsync(events.ReadNewAsync, "stack events", ct).ConfigureAwait(false))
            {
                owner.observer.On(new StackResourceEvent(stack, owner.poller.Time.GetUtcNow(), e));
            }

            var creating = prepared.Existing is null || prepared.Existing.Status.NeedsCreateChangeSet;
            var succeeded = final!.Status == (creating ? StackStatus.CreateComplete : StackStatus.UpdateComplete);
            if (!succeeded)
            {
                var cause = events.FirstFailure();
                var what = cause is null
                    ? final.StatusReason ?? "no failing resource was reported"
                    : $"{cause.LogicalResourceId} ({cause.ResourceType}) {cause.ResourceStatus}: {cause.ResourceStatusReason}";
                throw Fail(DeploymentErrorCode.StackFailed, $"the change set ended in {final.Status}; first failure: {what}",
                    FailureStep(final.Status, Name, desired.Location), final.Status);
            }

            await AlignTerminationProtectionAsync(final.TerminationProtection, ct).ConfigureAwait(false);

            var outcome = prepared.Recreated ? StackOutcome.Recreated : creating ? StackOutcome.Created : StackOutcome.Updated;
            return new StackResult(Name, desired.Location, outcome, final.Status, final.Outputs, owner.Elapsed(started),
                DeployedParameters: final.Parameters);
        }

        /// <summary>Describes the stack and waits while CloudFormation works on it (another run, a console user).</summary>
        public async Task<StackDescription?> SettleAsync(CancellationToken ct)
        {
            var first = await owner.poller.ReadAsync(token => cfn.DescribeStackAsync(Name, token), "the stack", ct).ConfigureAwait(false);
            if (first is null || !first.Status.IsInProgress) return first;

            Progress("waiting for the operation in progress to finish", first.Status);
            return await WhileInProgressAsync($"to leave {first.Status}", ct).ConfigureAwait(false);
        }

        /// <summary>Polls the stack until it exists no more or no operation is in progress on it.</summary>
        private Task<StackDescription?> WhileInProgressAsync(string waitingFor, CancellationToken ct) =>
            owner.poller.UntilAsync(
                token => cfn.DescribeStackAsync(Name, token),
                s => s is null || !s.Status.IsInProgress,
                owner.policy.StackDeadline,
                () => $"waiting for {Name} {waitingFor}",
                null,
                ct);

        private async Task DeleteForRecreateAsync(StackDescription existing, CancellationToken ct)
        {
            // A stack whose creation rolled back cannot be updated; CloudFormation needs it deleted first.
            // https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/troubleshooting.html#troubleshooting-errors-update-rollback-failed
            Progress($"deleting the stack left in {existing.Status} to create it again");
            if (existing.TerminationProtection)
            {
                await cfn.UpdateTerminationProtectionAsync(Name, false, ct).ConfigureAwait(false);
            }

            await cfn.DeleteStackAsync(Name, Token("delete", existing.StackId), ct).ConfigureAwait(false);
            var gone = await WhileInProgressAsync("to be deleted", ct).ConfigureAwait(false);
            if (gone is not null && gone.Status != StackStatus.DeleteComplete)
            {
                throw Fail(DeploymentErrorCode.DeleteFailed,
                    $"deleting the stack left in {existing.Status} ended in {gone.Status}{Reason(gone.StatusReason)}",
                    OperatorStep(gone.Status, Name, stack.Location), gone.Status);
            }
        }

        /// <summary>True when template, parameters and tags equal what is deployed. Termination protection
        /// is brought in line here too: it is a stack setting, not part of any change set.</summary>
        private async Task<bool> IsAsDesiredAsync(StackDescription existing, CancellationToken ct)
        {
            if (!SameEntries(desired.Parameters, existing.Parameters, subset: true) || !SameEntries(desired.Tags, existing.Tags, subset: false))
            {
                return false;
            }

            var deployed = await owner.poller.ReadAsync(token => cfn.GetTemplateBodyAsync(Name, token), "the deployed template", ct)
                .ConfigureAwait(false);
            if (!string.Equals(Normalize(deployed), Normalize(desired.TemplateBody), StringComparison.Ordinal))
            {
                return false;
            }

            await AlignTerminationProtectionAsync(existing.TerminationProtection, ct).ConfigureAwait(false);
            return true;
        }

        /// <summary>Termination protection is a stack setting, outside every change set: brought in line, either way,
        /// on every path that leaves the stack as desired (unchanged, no changes, change set executed).</summary>
        private async Task AlignTerminationProtectionAsync(bool current, CancellationToken ct)
        {
            if (current == desired.TerminationProtection) return;
            Progress(desired.TerminationProtection ? "turning termination protection on" : "turning termination protection off");
            await cfn.UpdateTerminationProtectionAsync(Name, desired.TerminationProtection, ct).ConfigureAwait(false);
        }

        private StackResult UnchangedResult(StackDescription existing, TimeSpan elapsed) =>
            new(Name, desired.Location, StackOutcome.Unchanged, existing.Status, existing.Outputs, elapsed,
                DeployedParameters: existing.Parameters);

        private async Task DeleteStaleChangeSetsAsync(CancellationToken ct)
        {
            // A run that was interrupted leaves its change set behind; a new one would pile up next to it.
            var changeSets = await owner.poller.ReadAsync(token => cfn.ListChangeSetsAsync(Name, token), "change sets", ct).ConfigureAwait(false);
            foreach (var stale in changeSets)
            {
                // Executed change sets are history, not leftovers; other tools' change sets are not ours.
                if (!stale.ChangeSetName.StartsWith(ChangeSetPrefix, StringComparison.Ordinal) ||
                    stale.ExecutionStatus is "EXECUTE_COMPLETE" or "EXECUTE_IN_PROGRESS" or "EXECUTE_FAILED") continue;
                // One still being created (a run interrupted a moment ago) cannot be deleted yet: DeleteChangeSet refuses it
                // with InvalidChangeSetStatus. It does no harm next to the new one and goes on a later run; one being
                // deleted is going already.
                if (stale.Status.IsPending || stale.Status == ChangeSetStatus.DeletePending || stale.Status == ChangeSetStatus.DeleteInProgress) continue;
                Progress($"removing stale change set {stale.ChangeSetName}");
                await cfn.DeleteChangeSetAsync(Name, stale.ChangeSetName, ct).ConfigureAwait(false);
            }
        }

        private async Task<ChangeSetDescription?> CreateChangeSetAsync(ChangeSetType type, CancellationToken ct)
        {
            // The name (and so the client token) hashes all that is asked: the stack's name, because an emulator may look
            // change-set names up across the region where AWS scopes them to the stack; and the parameters, tags and role,
            // because two deployments of one stack and template in the same second (primary, then policy:primary with
            // narrowed grants) are different requests, and one token for both would make CloudFormation return the first.
            var name = $"{ChangeSetPrefix}{owner.poller.Time.GetUtcNow():yyyyMMdd-HHmmss}-{Hash(RequestSeed())[..8]}";
            string? body = desired.TemplateBody;
            string? url = null;
            if (Encoding.UTF8.GetByteCount(desired.TemplateBody) > MaxInlineTemplateBytes)
            {
                if (owner.templateStore is null)
                {
                    throw Fail(DeploymentErrorCode.TemplateTooLarge,
                        $"the template is over {MaxInlineTemplateBytes} bytes and no template bucket is configured.",
                        "Deploy BootstrapPrimary first so the kit can stage large templates in the artifact bucket of the stack's region.");
                }

                url = await owner.templateStore.UploadAsync(desired, ct).ConfigureAwait(false);
                body = null;
            }

            Progress(type == ChangeSetType.Create ? "creating change set (new stack)" : "creating change set");
            var request = new CreateChangeSetRequest(Name, name, type, body, url, desired.Parameters, desired.Tags,
                desired.Capabilities, Token("cs", name), "Created by PipelineKit", desired.RoleArn);
            try
            {
                await cfn.CreateChangeSetAsync(request, ct).ConfigureAwait(false);
            }
            catch (AmazonServiceException e) when (e.ErrorCode == "ValidationError" && IsNoChanges(e.Message))
            {
                // Some CloudFormation implementations refuse an empty update outright, as UpdateStack does,
                // instead of creating a FAILED change set: the same "no changes".
                Progress("no changes");
                return null;
            }

            var described = await owner.poller.UntilAsync(
                token => cfn.DescribeChangeSetAsync(Name, name, token),
                c => !c.Status.IsPending,
                owner.policy.ChangeSetDeadline,
                () => $"waiting for change set {name}",
                null,
                ct).ConfigureAwait(false);

            if (described.Status == ChangeSetStatus.CreateComplete) return described;

            await cfn.DeleteChangeSetAsync(Name, name, ct).ConfigureAwait(false);
            if (IsNoChanges(described.StatusReason))
            {
                Progress("no changes");
                return null;
            }

            throw Fail(DeploymentErrorCode.ChangeSetFailed, $"CloudFormation rejected the change set: {described.StatusReason}",
                "Fix the template or parameters named above, then re-run.");
        }

        private async Task<string?> NewestEventIdAsync(CancellationToken ct)
        {
            var page = await owner.poller.ReadAsync(token => cfn.DescribeStackEventsAsync(Name, null, token), "stack events", ct)
                .ConfigureAwait(false);
            return page.Events.Count > 0 ? page.Events[0].EventId : null;
        }

        private string RequestSeed() => string.Join("\n",
            [Name, desired.TemplateBody, Entries(desired.Parameters), Entries(desired.Tags), desired.RoleArn ?? "", string.Join(",", desired.Capabilities)]);

        private static string Entries(IReadOnlyDictionary<string, string> entries) =>
            string.Join("\n", entries.OrderBy(e => e.Key, StringComparer.Ordinal).Select(e => $"{e.Key}={e.Value}"));

        private static string Token(string purpose, string seed) =>
            // Client tokens make retried requests idempotent; at most 128 characters, [a-zA-Z0-9][-a-zA-Z0-9]*.
            $"pipelinekit-{purpose}-{Hash(seed)[..32]}";
    }

    /// <summary>
    /// "No changes" arrives as a FAILED change set whose reason is one of two texts, depending on
    /// the API version and the kind of change.
    /// https://docs.aws.amazon.com/AWSCloudFormation/latest/APIReference/API_DescribeChangeSet.html
    /// </summary>
    internal static bool IsNoChanges(string? reason) =>
        reason is not null &&
        (reason.Contains("didn't contain changes", StringComparison.OrdinalIgnoreCase) ||
         reason.Contains("No updates are to be performed", StringComparison.OrdinalIgnoreCase));

    internal static bool SameEntries(IReadOnlyDictionary<string, string> desired, IReadOnlyDictionary<string, string> deployed, bool subset)
    {
        // Parameters: the deployed stack also lists parameters left at their template default; the kit
        // passes every parameter it sets, so only those are compared. Tags: compared as whole sets.
        if (!subset && desired.Count != deployed.Count) return false;
        foreach (var (key, value) in desired)
        {
            if (!deployed.TryGetValue(key, out var actual) || !string.Equals(actual, value, StringComparison.Ordinal)) return false;
        }

        return true;
    }

    internal static string Normalize(string template) => template.Replace("\r\n", "\n", StringComparison.Ordinal).TrimEnd();

    private static string Hash(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));

    private static string Reason(string? reason) => string.IsNullOrWhiteSpace(reason) ? "" : $" ({reason})";

    internal static string OperatorStep(StackStatus status, string stackName, StackLocation location)
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

    private static string FailureStep(StackStatus status, string stackName, StackLocation location) => status.Value switch
    {
        "ROLLBACK_COMPLETE" => "Fix the cause above and re-run; the kit deletes the rolled-back stack and creates it again.",
        "UPDATE_ROLLBACK_COMPLETE" => "The stack is back at its previous state. Fix the cause above and re-run.",
        _ => OperatorStep(status, stackName, location),
    };
}
