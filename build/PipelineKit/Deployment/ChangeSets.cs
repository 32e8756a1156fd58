namespace PipelineKit.Deployment;

using System.Text;
using Amazon.Runtime;
using PipelineKit.Aws;

/// <summary>The kit's change sets on one stack: stale ones removed, a new one created under a client token and
/// waited for. "No changes" is no change set, not a failure. Every change set the kit creates is named
/// <see cref="StackDeployer.ChangeSetPrefix"/>...; any other change set is left alone.</summary>
internal sealed class ChangeSets(StackContext context, ITemplateStore? templateStore)
{
    public async Task RemoveStaleAsync(CancellationToken ct)
    {
        // A run that was interrupted leaves its change set behind; a new one would pile up next to it.
        foreach (var stale in await ListAsync(ct).ConfigureAwait(false))
        {
            // Executed change sets are history, not leftovers; other tools' change sets are not ours.
            if (!stale.ChangeSetName.StartsWith(StackDeployer.ChangeSetPrefix, StringComparison.Ordinal) ||
                stale.ExecutionStatus is "EXECUTE_COMPLETE" or "EXECUTE_IN_PROGRESS" or "EXECUTE_FAILED") continue;
            // One still being created (a run interrupted a moment ago) cannot be deleted yet: DeleteChangeSet refuses it
            // with InvalidChangeSetStatus. It does no harm next to the new one, and CloudFormation deletes it when the new
            // one is executed; one being deleted is going already.
            if (stale.Status.IsPending || stale.Status == ChangeSetStatus.DeletePending || stale.Status == ChangeSetStatus.DeleteInProgress) continue;
            context.Progress($"removing stale change set {stale.ChangeSetName}");
            await DeleteIfPresentAsync(stale.ChangeSetName, ct).ConfigureAwait(false);
        }
    }

    /// <summary>Every change set of the stack: ListChangeSets pages with NextToken.</summary>
    private async Task<List<ChangeSetSummary>> ListAsync(CancellationToken ct)
    {
        var all = new List<ChangeSetSummary>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        string? next = null;
        do
        {
            var token = next;
            var page = await context.Poller.ReadAsync(t => context.Cfn.ListChangeSetsAsync(context.Name, token, t), "change sets", ct)
                .ConfigureAwait(false);
            all.AddRange(page.Summaries);
            next = page.NextToken;
        }
        while (next is not null && seen.Add(next));

        return all;
    }

    /// <summary>Deletes a change set that another run may have executed or deleted a moment ago: then it is gone or
    /// history already, which is what the deletion wanted.</summary>
    private async Task DeleteIfPresentAsync(string name, CancellationToken ct)
    {
        try
        {
            await context.Cfn.DeleteChangeSetAsync(context.Name, name, ct).ConfigureAwait(false);
        }
        catch (AmazonServiceException e) when (ConcurrentChange.ChangeSetTaken(e))
        {
        }
    }

    /// <summary>Creates the change set and waits until CloudFormation has computed it. Null when it has no changes
    /// (deleted again); a <see cref="DeploymentException"/> when CloudFormation rejects it.</summary>
    public async Task<ChangeSetDescription?> CreateAsync(StackDeployment desired, ChangeSetType type, CancellationToken ct)
    {
        var name = NameFor(desired);
        var (body, url) = await TemplateSourceAsync(desired, ct).ConfigureAwait(false);
        context.Progress(type == ChangeSetType.Create ? "creating change set (new stack)" : "creating change set");
        var request = new CreateChangeSetRequest(context.Name, name, type, body, url, desired.Parameters, desired.Tags,
            desired.Capabilities, ClientTokens.For("cs", name), "Created by PipelineKit", desired.RoleArn);
        try
        {
            await context.Cfn.CreateChangeSetAsync(request, ct).ConfigureAwait(false);
        }
        catch (AmazonServiceException e) when (e.ErrorCode == "ValidationError" && IsNoChanges(e.Message))
        {
            // Some CloudFormation implementations refuse an empty update outright, as UpdateStack does,
            // instead of creating a FAILED change set: the same "no changes".
            context.Progress("no changes");
            return null;
        }
        catch (AmazonServiceException e) when (ConcurrentChange.RefusedCreate(e, type))
        {
            throw ConcurrentChange.Because("the stack changed while the change set was being created", e);
        }

        return await WaitAsync(name, ct).ConfigureAwait(false);
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

    private async Task<ChangeSetDescription?> WaitAsync(string name, CancellationToken ct)
    {
        ChangeSetDescription described;
        try
        {
            described = await new StackWatcher(context).ChangeSetComputedAsync(name, ct).ConfigureAwait(false);
        }
        catch (AmazonServiceException e) when (e.ErrorCode == "ChangeSetNotFound")
        {
            // Another run executed a change set of its own (CloudFormation deletes the others) or removed this one.
            throw ConcurrentChange.Because("the change set was removed while it was being created", e);
        }

        if (described.Status == ChangeSetStatus.CreateComplete) return described;

        await DeleteIfPresentAsync(name, ct).ConfigureAwait(false);
        if (IsNoChanges(described.StatusReason))
        {
            context.Progress("no changes");
            return null;
        }

        throw context.Fail(DeploymentErrorCode.ChangeSetFailed, $"CloudFormation rejected the change set: {described.StatusReason}",
            "Fix the template or parameters named above, then re-run.");
    }

    /// <summary>The template inline, or, over CloudFormation's inline limit, by the URL it was staged at.</summary>
    private async Task<(string? Body, string? Url)> TemplateSourceAsync(StackDeployment desired, CancellationToken ct)
    {
        if (Encoding.UTF8.GetByteCount(desired.TemplateBody) <= StackDeployer.MaxInlineTemplateBytes) return (desired.TemplateBody, null);
        if (templateStore is null)
        {
            throw context.Fail(DeploymentErrorCode.TemplateTooLarge,
                $"the template is over {StackDeployer.MaxInlineTemplateBytes} bytes and no template bucket is configured.",
                "Deploy BootstrapPrimary first so the kit can stage large templates in the artifact bucket of the stack's region.");
        }

        return (null, await templateStore.UploadAsync(desired, ct).ConfigureAwait(false));
    }

    /// <summary>
    /// The name (and so the client token) hashes all that is asked: the stack's name, because an emulator may look
    /// change-set names up across the region where AWS scopes them to the stack; and the parameters, tags and role,
    /// because two deployments of one stack and template in the same second (primary, then policy:primary with
    /// narrowed grants) are different requests, and one token for both would make CloudFormation return the first.
    /// And this process's own value: two runs of one configuration in the same second must not share a change set
    /// (CloudFormation would accept both executions as one, and both runs would believe they started a first bootstrap's
    /// creation, which the run lock's first-bootstrap gate relies on one run alone doing); a retry within the run keeps it.
    /// </summary>
    private string NameFor(StackDeployment desired)
    {
        var seed = string.Join("\n",
            [ThisProcess, context.Name, desired.TemplateBody, Entries(desired.Parameters), Entries(desired.Tags), desired.RoleArn ?? "",
             string.Join(",", desired.Capabilities)]);
        return $"{StackDeployer.ChangeSetPrefix}{context.Now:yyyyMMdd-HHmmss}-{ClientTokens.Hash(seed)[..8]}";
    }

    private static readonly string ThisProcess = Guid.NewGuid().ToString("N");

    private static string Entries(IReadOnlyDictionary<string, string> entries) =>
        string.Join("\n", entries.OrderBy(e => e.Key, StringComparer.Ordinal).Select(e => $"{e.Key}={e.Value}"));
}
