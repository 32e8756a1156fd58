namespace PipelineKit.Testing;

using System.Globalization;
using System.Net;
using System.Text;
using System.Text.RegularExpressions;
using PipelineKit.Aws;

/// <summary>The change sets of a <see cref="FakeCloudFormation"/> (FakeCloudFormation.md, "Change sets"): created through
/// CREATE_PENDING and CREATE_IN_PROGRESS, executed (the executed one stays listed, the others go), deleted through
/// DELETE_PENDING and DELETE_IN_PROGRESS, listed in pages. Called under <see cref="FakeCloudFormation"/>'s lock.</summary>
internal sealed partial class FakeChangeSets(FakeCloudFormation settings)
{
    /// <summary>CreateChangeSet's limit on TemplateBody, in bytes
    /// (https://docs.aws.amazon.com/AWSCloudFormation/latest/APIReference/API_CreateChangeSet.html).</summary>
    public const int MaxTemplateBodyBytes = 51_200;

    /// <summary>Reads of a deleted change set that still list it: first DELETE_PENDING, then DELETE_IN_PROGRESS.</summary>
    private const int DeletingReads = 2;

    /// <summary>Checks the request before anything is created: the template's size and the capabilities its IAM resources need.</summary>
    public static void Check(CreateChangeSetRequest request)
    {
        if (request.TemplateBody is not { } body) return;
        if (Encoding.UTF8.GetByteCount(body) > MaxTemplateBodyBytes)
        {
            throw FakeErrors.Validation("1 validation error detected: Value at 'templateBody' failed to satisfy constraint: " +
                                        $"Member must have length less than or equal to {MaxTemplateBodyBytes}");
        }

        if (!IamResource().IsMatch(body)) return;
        var named = NamedIamProperty().IsMatch(body);
        var granted = named
            ? request.Capabilities.Contains("CAPABILITY_NAMED_IAM")
            : request.Capabilities.Contains("CAPABILITY_IAM") || request.Capabilities.Contains("CAPABILITY_NAMED_IAM");
        if (!granted)
        {
            throw FakeErrors.Error("InsufficientCapabilitiesException",
                $"Requires capabilities : [{(named ? "CAPABILITY_NAMED_IAM" : "CAPABILITY_IAM")}]", HttpStatusCode.BadRequest);
        }
    }

    public FakeChangeSet Add(FakeStack stack, CreateChangeSetRequest request, List<ResourceChange> changes)
    {
        var template = request.TemplateBody ?? $"url:{request.TemplateUrl}";
        var changeSet = new FakeChangeSet(request.ChangeSetName, $"{stack.Id}/changeSet/{request.ChangeSetName}", request.ClientToken,
            request.Type, template, request.Parameters, request.Tags, changes, settings.DescribesUntilChangeSetReady) { RoleArn = request.RoleArn };
        stack.ChangeSets[request.ChangeSetName] = changeSet;
        return changeSet;
    }

    /// <summary>DescribeChangeSet: one describe further through its creation or deletion.</summary>
    public ChangeSetDescription Describe(FakeStack stack, string name)
    {
        var cs = Find(stack, name);
        if (cs.Status.IsPending) AdvanceCreation(cs);
        var description = new ChangeSetDescription(cs.Id, cs.Name, cs.Status, cs.Reason, cs.ExecutionStatus, cs.Changes, cs.Parameters);
        AdvanceDeletions(stack);
        return description;
    }

    /// <summary>ListChangeSets: one page of <see cref="FakeCloudFormation.ChangeSetPageSize"/>; NextToken is the index of the next.</summary>
    public ChangeSetSummariesPage List(FakeStack stack, string? nextToken)
    {
        var all = stack.ChangeSets.Values.ToList();
        var start = nextToken is null ? 0 : int.Parse(nextToken, CultureInfo.InvariantCulture);
        var page = all.Skip(start).Take(settings.ChangeSetPageSize)
            .Select(c => new ChangeSetSummary(c.Name, c.Id, c.Status, c.ExecutionStatus, null)).ToArray();
        var next = start + page.Length < all.Count ? (start + page.Length).ToString(CultureInfo.InvariantCulture) : null;
        AdvanceDeletions(stack);
        return new ChangeSetSummariesPage(page, next);
    }

    /// <summary>ExecuteChangeSet: the change set is kept (EXECUTE_IN_PROGRESS, then EXECUTE_COMPLETE or EXECUTE_FAILED) and every
    /// other change set of the stack goes, as AWS documents. The same request token again is a retry of the same request.</summary>
    public bool Execute(FakeStack stack, string name, string clientRequestToken)
    {
        var cs = Find(stack, name);
        if (cs.ExecutionStatus is "EXECUTE_IN_PROGRESS" or "EXECUTE_COMPLETE" or "EXECUTE_FAILED" && cs.ExecutionToken == clientRequestToken) return false;
        if (cs.Status != ChangeSetStatus.CreateComplete || cs.ExecutionStatus != "AVAILABLE")
        {
            throw FakeErrors.Error("InvalidChangeSetStatus",
                $"ChangeSet [{cs.Id}] cannot be executed in its current status of [{cs.Status}] and execution status of [{cs.ExecutionStatus}]",
                HttpStatusCode.BadRequest);
        }

        foreach (var other in stack.ChangeSets.Keys.Where(k => k != name).ToList()) stack.ChangeSets.Remove(other);
        cs.ExecutionStatus = "EXECUTE_IN_PROGRESS";
        cs.ExecutionToken = clientRequestToken;
        return true;
    }

    /// <summary>DeleteChangeSet: refused while it is being created, executed or deleted; otherwise it goes through DELETE_PENDING
    /// and DELETE_IN_PROGRESS over the next reads.</summary>
    public void Delete(FakeStack stack, string name)
    {
        var cs = Find(stack, name);
        if (cs.Status.IsPending || cs.Deleting || cs.ExecutionStatus == "EXECUTE_IN_PROGRESS")
        {
            throw FakeErrors.Error("InvalidChangeSetStatus", $"Cannot delete ChangeSet {name} while it is in status {cs.Status}",
                HttpStatusCode.BadRequest);
        }

        cs.Status = ChangeSetStatus.DeletePending;
        cs.DeletingReadsLeft = DeletingReads;
    }

    public FakeChangeSet Find(FakeStack stack, string name) =>
        stack.ChangeSets.TryGetValue(name, out var cs)
            ? cs
            : throw FakeErrors.Error("ChangeSetNotFound", $"ChangeSet [{name}] does not exist", HttpStatusCode.NotFound);

    /// <summary>CREATE_PENDING, then CREATE_IN_PROGRESS for the describes left, then its outcome.</summary>
    private void AdvanceCreation(FakeChangeSet cs)
    {
        if (--cs.PendingDescribes >= 0)
        {
            if (cs.PendingDescribes < settings.DescribesUntilChangeSetReady - 1) cs.Status = ChangeSetStatus.CreateInProgress;
            return;
        }

        if (settings.RejectChangeSetsWith is { } rejected)
        {
            cs.Status = ChangeSetStatus.Failed;
            cs.Reason = rejected;
        }
        else if (cs.Changes.Count == 0)
        {
            cs.Status = ChangeSetStatus.Failed;
            cs.Reason = settings.UseNoUpdatesReason ? FakeCloudFormation.NoUpdatesReason : FakeCloudFormation.NoChangesReason;
            cs.ExecutionStatus = "UNAVAILABLE";
        }
        else
        {
            cs.Status = ChangeSetStatus.CreateComplete;
            cs.ExecutionStatus = "AVAILABLE";
        }
    }

    private static void AdvanceDeletions(FakeStack stack)
    {
        foreach (var cs in stack.ChangeSets.Values.Where(c => c.Deleting).ToList())
        {
            if (--cs.DeletingReadsLeft > 0) cs.Status = ChangeSetStatus.DeleteInProgress;
            else stack.ChangeSets.Remove(cs.Name);
        }
    }

    [GeneratedRegex(@"AWS::IAM::(Role|Policy|ManagedPolicy|User|Group|InstanceProfile|AccessKey|UserToGroupAddition)\b")]
    private static partial Regex IamResource();

    [GeneratedRegex(@"\b(RoleName|ManagedPolicyName|UserName|GroupName|InstanceProfileName)\b")]
    private static partial Regex NamedIamProperty();
}
