namespace PipelineKit.Testing;

using System.Net;
using Amazon.Runtime;
using PipelineKit.Aws;
using PipelineKit.Deployment;

/// <summary>In-memory CloudFormation for one account and region. Behaviour: FakeCloudFormation.md.</summary>
public sealed class FakeCloudFormation : ICloudFormation
{
    private readonly TimeProvider time;
    private readonly string accountId;
    private readonly string region;

    public const string NoChangesReason =
        "The submitted information didn't contain changes. Submit different information to create a change set.";
    public const string NoUpdatesReason = "No updates are to be performed.";
    private readonly object gate = new();
    private readonly Dictionary<string, FakeStack> stacks = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> throttles = new(StringComparer.Ordinal);
    private readonly List<string> calls = [];
    private readonly List<CreateChangeSetRequest> changeSetRequests = [];
    private readonly Dictionary<string, string> failures = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Func<Task>> interleaved = new(StringComparer.Ordinal);
    private readonly FakeStackProgress progress;
    private readonly FakeChangeSets changeSets;

    public FakeCloudFormation(TimeProvider time, string accountId = "123456789012", string region = "us-east-1")
    {
        (this.time, this.accountId, this.region) = (time, accountId, region);
        progress = new FakeStackProgress(time);
        changeSets = new FakeChangeSets(this);
    }

    public int DescribesUntilSettled { get; set; } = 2;
    public int DescribesUntilChangeSetReady { get; set; } = 2;

    /// <summary>DescribeStack calls after ExecuteChangeSet that still see the stack as it was (AWS starts the execution asynchronously).</summary>
    public int ExecutionStartsAfterDescribes { get; set; }
    public int EventPageSize { get; set; } = 100;
    public int ChangeSetPageSize { get; set; } = 100;
    public bool UseNoUpdatesReason { get; set; }
    public FakeResources? Resources { get; set; }

    /// <summary>Refuse an UPDATE change set without changes with ValidationError "No updates are to be performed."
    /// instead of creating a FAILED one (UpdateStack's behaviour, and moto's for change sets).</summary>
    public bool RefuseEmptyUpdates { get; set; }
    public bool RollbackFails { get; set; }
    public bool DeleteFails { get; set; }
    public TimeSpan Latency { get; set; }

    /// <summary>Called with the stack's name for every DeleteStack that starts a deletion (FakeCloud puts them on one timeline).</summary>
    internal Action<string>? DeleteStarted { get; set; }

    /// <summary>What GetTemplate returns for a stored body (AWS may return a JSON template re-serialized).</summary>
    public Func<string, string> GetTemplateTransform { get; set; } = t => t;

    /// <summary>When set, every new change set fails with this reason (e.g. a template validation error).</summary>
    public string? RejectChangeSetsWith { get; set; }

    /// <summary>Resource-level changes for a change set, given the request and the stack's current template; null keeps
    /// the fake's own coarse diff (Template, Parameter:X, Tags).</summary>
    public Func<CreateChangeSetRequest, string, IReadOnlyList<ResourceChange>?>? ChangesFor { get; set; }
    public Func<IReadOnlyDictionary<string, string>, IReadOnlyDictionary<string, string>> OutputsFor { get; set; } =
        p => p.ToDictionary(kv => "Out" + kv.Key, kv => kv.Value);

    public IReadOnlyList<string> Calls { get { lock (gate) return calls.ToArray(); } }

    /// <summary>Every CreateChangeSet request received, in order.</summary>
    public IReadOnlyList<CreateChangeSetRequest> ChangeSetRequests { get { lock (gate) return changeSetRequests.ToArray(); } }

    public IReadOnlyList<string> MutatingCalls =>
        Calls.Where(c => !c.StartsWith("Describe", StringComparison.Ordinal) && !c.StartsWith("Get", StringComparison.Ordinal) &&
                         !c.StartsWith("List", StringComparison.Ordinal)).ToArray();

    public void Throttle(string operation, int times) { lock (gate) throttles[operation] = times; }

    /// <summary>Runs <paramref name="otherRun"/> once, just before the next call of <paramref name="operation"/> is handled: what
    /// another run (or a console user) does between two calls of the code under test.</summary>
    public void BeforeNext(string operation, Func<Task> otherRun) { lock (gate) interleaved[operation] = otherRun; }

    public void FailResource(string logicalId, string reason) { lock (gate) failures[logicalId] = reason; }

    public void ClearFailures() { lock (gate) failures.Clear(); }

    public void Seed(string name, StackStatus status, string template = "T", IReadOnlyDictionary<string, string>? parameters = null,
        IReadOnlyDictionary<string, string>? tags = null, IReadOnlyDictionary<string, string>? outputs = null, bool terminationProtection = false,
        StackStatus? settlesTo = null)
    {
        lock (gate)
        {
            var stack = new FakeStack(name, StackId(name))
            {
                Status = status,
                Template = template,
                Parameters = parameters ?? new Dictionary<string, string>(),
                Tags = tags ?? new Dictionary<string, string>(),
                Outputs = outputs ?? new Dictionary<string, string>(),
                TerminationProtection = terminationProtection,
            };
            stacks[name] = stack;
            AddEvent(stack, name, "AWS::CloudFormation::Stack", status.Value, null);
            if (settlesTo is { } settled) stack.Pending = new PendingWork(null, DescribesUntilSettled, new Dictionary<string, string>(), settled);
        }
    }

    /// <summary>The service role the stack's last executed change set ran as (null: the caller's credentials).</summary>
    public string? RoleArnOf(string name) { lock (gate) return stacks.TryGetValue(name, out var s) ? s.RoleArn : null; }

    public StackDescription? Peek(string name)
    {
        lock (gate) return stacks.TryGetValue(name, out var s) && s.Status != StackStatus.DeleteComplete ? Describe(s) : null;
    }

    public async Task<StackDescription?> DescribeStackAsync(string stackName, CancellationToken ct = default)
    {
        await Enter("DescribeStacks", ct);
        lock (gate)
        {
            if (!stacks.TryGetValue(stackName, out var s)) return null;
            Advance(s);
            return s.Status == StackStatus.DeleteComplete ? null : Describe(s);
        }
    }

    public async Task<string> GetTemplateBodyAsync(string stackName, CancellationToken ct = default)
    {
        await Enter("GetTemplate", ct);
        lock (gate) return GetTemplateTransform(Existing(stackName).Template);
    }

    public async Task<string> GetChangeSetTemplateBodyAsync(string stackName, string changeSetName, CancellationToken ct = default)
    {
        await Enter("GetTemplate", ct);
        lock (gate) return GetTemplateTransform(changeSets.Find(Existing(stackName), changeSetName).Template);
    }

    public async Task<CreateChangeSetResult> CreateChangeSetAsync(CreateChangeSetRequest request, CancellationToken ct = default)
    {
        await Enter("CreateChangeSet", ct);
        lock (gate)
        {
            changeSetRequests.Add(request);
            stacks.TryGetValue(request.StackName, out var stack);
            if (stack?.Status == StackStatus.DeleteComplete) stack = null;

            if (stack is not null && stack.ChangeSets.TryGetValue(request.ChangeSetName, out var same))
            {
                if (same.ClientToken == request.ClientToken) return new CreateChangeSetResult(same.Id, stack.Id);
                throw FakeErrors.Error("AlreadyExistsException", $"ChangeSet [{request.ChangeSetName}] already exists", HttpStatusCode.BadRequest);
            }

            FakeChangeSets.Check(request);
            stack = StackFor(request, stack);
            var template = request.TemplateBody ?? $"url:{request.TemplateUrl}";
            var changes = request.Type == ChangeSetType.Import ? FakeImports.Changes(Resources, new(accountId, region), request, stack.Id)
                : ChangesFor?.Invoke(request, stack.Template) is { } scripted ? [.. scripted] : ChangesOf(request, stack, template);
            if (RefuseEmptyUpdates && request.Type == ChangeSetType.Update && changes.Count == 0)
            {
                throw FakeErrors.Validation(NoUpdatesReason);
            }

            return new CreateChangeSetResult(changeSets.Add(stack, request, changes).Id, stack.Id);
        }
    }

    /// <summary>The stack a change set is for: a CREATE one makes a REVIEW_IN_PROGRESS stack; an UPDATE one needs an updatable stack.</summary>
    private FakeStack StackFor(CreateChangeSetRequest request, FakeStack? stack)
    {
        if (request.Type == ChangeSetType.Update)
        {
            if (stack is null) throw FakeErrors.Validation($"Stack [{request.StackName}] does not exist");
            if (!stack.Status.CanBeUpdated)
            {
                throw FakeErrors.Validation($"Stack:{stack.Id} is in {stack.Status} state and can not be updated.");
            }

            return stack;
        }

        if (stack is not null && stack.Status != StackStatus.ReviewInProgress)
        {
            throw FakeErrors.Validation($"Stack [{request.StackName}] already exists and cannot be created again with the changeSet [{request.ChangeSetName}].");
        }

        if (stack is null)
        {
            stack = new FakeStack(request.StackName, StackId(request.StackName)) { Status = StackStatus.ReviewInProgress };
            stacks[request.StackName] = stack;
            AddEvent(stack, stack.Name, "AWS::CloudFormation::Stack", "REVIEW_IN_PROGRESS", "User Initiated");
        }

        return stack;
    }

    private static List<ResourceChange> ChangesOf(CreateChangeSetRequest request, FakeStack stack, string template)
    {
        var changes = new List<ResourceChange>();
        if (request.Type == ChangeSetType.Create || template != stack.Template)
            changes.Add(new ResourceChange(request.Type == ChangeSetType.Create ? "Add" : "Modify", "Template", null, "AWS::CloudFormation::Stack", "False"));
        if (request.Type == ChangeSetType.Update)
        {
            changes.AddRange(request.Parameters.Where(p => !stack.Parameters.TryGetValue(p.Key, out var v) || v != p.Value)
                .Select(p => new ResourceChange("Modify", "Parameter:" + p.Key, null, "Parameter", "False")));
            if (!SameSet(request.Tags, stack.Tags)) changes.Add(new ResourceChange("Modify", "Tags", null, "Tags", "False"));
        }

        return changes;
    }

    public async Task<ChangeSetDescription> DescribeChangeSetAsync(string stackName, string changeSetName, CancellationToken ct = default)
    {
        await Enter("DescribeChangeSet", ct);
        lock (gate) return changeSets.Describe(Existing(stackName), changeSetName);
    }

    public async Task<ChangeSetSummariesPage> ListChangeSetsAsync(string stackName, string? nextToken = null, CancellationToken ct = default)
    {
        await Enter("ListChangeSets", ct);
        lock (gate) return changeSets.List(Existing(stackName), nextToken);
    }

    public async Task ExecuteChangeSetAsync(string stackName, string changeSetName, string clientRequestToken, CancellationToken ct = default)
    {
        await Enter("ExecuteChangeSet", ct);
        lock (gate)
        {
            var stack = Existing(stackName);
            if (!changeSets.Execute(stack, changeSetName, clientRequestToken)) return;
            var cs = stack.ChangeSets[changeSetName];
            stack.Token = clientRequestToken;
            stack.RoleArn = cs.RoleArn ?? stack.RoleArn;
            var work = new PendingWork(cs, DescribesUntilSettled, new Dictionary<string, string>(failures))
            {
                Started = false,
                StartsIn = ExecutionStartsAfterDescribes,
            };
            stack.Pending = work;
            if (ExecutionStartsAfterDescribes == 0) progress.Start(stack, work);
            failures.Clear();
        }
    }

    public async Task DeleteChangeSetAsync(string stackName, string changeSetName, CancellationToken ct = default)
    {
        await Enter("DeleteChangeSet", ct);
        lock (gate) changeSets.Delete(Existing(stackName), changeSetName);
    }

    public async Task DeleteStackAsync(string stackName, string clientRequestToken, CancellationToken ct = default)
    {
        await Enter("DeleteStack", ct);
        lock (gate)
        {
            if (!stacks.TryGetValue(stackName, out var stack) || stack.Status == StackStatus.DeleteComplete) return;
            if (stack.TerminationProtection)
            {
                throw FakeErrors.Validation($"Stack [{stackName}] cannot be deleted while TerminationProtection is enabled");
            }

            stack.Status = StackStatus.DeleteInProgress;
            stack.Token = clientRequestToken;
            AddEvent(stack, stack.Name, "AWS::CloudFormation::Stack", "DELETE_IN_PROGRESS", "User Initiated");
            stack.Pending = new PendingWork(null, DescribesUntilSettled, new Dictionary<string, string>());
        }

        DeleteStarted?.Invoke(stackName);
    }

    public async Task<StackEventsPage> DescribeStackEventsAsync(string stackName, string? nextToken = null, CancellationToken ct = default)
    {
        await Enter("DescribeStackEvents", ct);
        lock (gate)
        {
            var stack = Existing(stackName);
            var start = nextToken is null ? 0 : int.Parse(nextToken, System.Globalization.CultureInfo.InvariantCulture);
            var newestFirst = Enumerable.Reverse(stack.Events).ToList();
            var page = newestFirst.Skip(start).Take(EventPageSize).ToArray();
            var next = start + page.Length < newestFirst.Count ? (start + page.Length).ToString(System.Globalization.CultureInfo.InvariantCulture) : null;
            return new StackEventsPage(page, next);
        }
    }

    public async Task UpdateTerminationProtectionAsync(string stackName, bool enable, CancellationToken ct = default)
    {
        await Enter("UpdateTerminationProtection", ct);
        lock (gate) Existing(stackName).TerminationProtection = enable;
    }

    private async Task Enter(string operation, CancellationToken ct)
    {
        if (Latency > TimeSpan.Zero) await Task.Delay(Latency, time, ct);
        Func<Task>? otherRun;
        lock (gate) interleaved.Remove(operation, out otherRun);

        if (otherRun is not null) await otherRun();
        lock (gate)
        {
            calls.Add(operation);
            if (throttles.TryGetValue(operation, out var left) && left > 0)
            {
                throttles[operation] = left - 1;
                throw FakeErrors.Error("Throttling", "Rate exceeded", HttpStatusCode.BadRequest);
            }
        }
    }

    /// <summary>Moves a stack's pending work one describe closer to its end (<see cref="FakeStackProgress"/>).</summary>
    private void Advance(FakeStack stack) => progress.Advance(stack, this);

    private void AddEvent(FakeStack stack, string logicalId, string type, string status, string? reason) => progress.Event(stack, logicalId, type, status, reason);

    private string StackId(string name) => $"arn:aws:cloudformation:{region}:{accountId}:stack/{name}/{Guid.NewGuid()}";

    private static StackDescription Describe(FakeStack s) =>
        new(s.Id, s.Name, s.Status, s.StatusReason, s.Parameters, s.Outputs, s.Tags, s.TerminationProtection);

    private FakeStack Existing(string name) =>
        stacks.TryGetValue(name, out var s) && s.Status != StackStatus.DeleteComplete ? s : throw FakeErrors.Validation($"Stack with id {name} does not exist");

    private static bool SameSet(IReadOnlyDictionary<string, string> a, IReadOnlyDictionary<string, string> b) =>
        a.Count == b.Count && a.All(kv => b.TryGetValue(kv.Key, out var v) && v == kv.Value);

}
