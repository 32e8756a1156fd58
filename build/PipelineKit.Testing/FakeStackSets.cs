namespace PipelineKit.Testing;

using System.Net;
using Amazon.Runtime;
using PipelineKit.Aws;

/// <summary>
/// In-memory service-managed stack sets behind <see cref="ICloudFormationStackSets"/>, answering as CloudFormation documents:
/// DescribeStackSet of a missing set is StackSetNotFoundException (null); CreateStackInstances for a unit adds an instance for
/// each account <see cref="Organization"/> places under the unit (its child units included) and region; every operation
/// ends as <see cref="OperationOutcome"/> says (SUCCEEDED unless a test sets another; a DeleteStackInstances that does not
/// succeed deletes nothing). DeleteStackInstances for a unit removes the instances of its accounts; DeleteStackSet refuses a
/// set with instances left (StackSetNotEmptyException) and takes a missing one as gone. Records each call.
/// </summary>
public sealed class FakeStackSets : ICloudFormationStackSets
{
    private readonly Dictionary<string, StackSetDescription> sets = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<StackInstanceSummary>> instances = new(StringComparer.Ordinal);
    private readonly Dictionary<string, StackSetOperation> operations = new(StringComparer.Ordinal);
    private readonly List<string> calls = [];

    /// <summary>Which accounts a unit holds: unit id to accounts.</summary>
    public Dictionary<string, IReadOnlyList<string>> Organization { get; } = new(StringComparer.Ordinal);

    public (string Status, string? Reason) OperationOutcome { get; set; } = ("SUCCEEDED", null);

    public IReadOnlyList<string> Calls { get { lock (calls) return calls.ToArray(); } }

    public IReadOnlyList<StackSetRequest> Requests { get; private set; } = [];

    /// <summary>A stack set made outside the kit, e.g. by hand, with the kit's name.</summary>
    public void Add(StackSetDescription existing)
    {
        ArgumentNullException.ThrowIfNull(existing);
        sets[existing.StackSetName] = existing;
        instances[existing.StackSetName] = [];
    }

    public IReadOnlyList<StackInstanceSummary> InstancesOf(string name) => instances.TryGetValue(name, out var list) ? list.ToArray() : [];

    public Task<StackSetDescription?> DescribeStackSetAsync(string stackSetName, string callAs, CancellationToken ct = default)
    {
        Record("DescribeStackSet", callAs);
        return Task.FromResult(sets.GetValueOrDefault(stackSetName));
    }

    public Task CreateStackSetAsync(StackSetRequest request, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        Record("CreateStackSet", request.CallAs);
        if (sets.ContainsKey(request.StackSetName))
        {
            throw new AmazonServiceException($"StackSet {request.StackSetName} already exists", null, ErrorType.Sender, "NameAlreadyExistsException", "r", HttpStatusCode.BadRequest);
        }

        Store(request);
        instances[request.StackSetName] = [];
        return Task.CompletedTask;
    }

    public Task<string> UpdateStackSetAsync(StackSetRequest request, string operationId, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        Record("UpdateStackSet", request.CallAs);
        Existing(request.StackSetName);
        Store(request);
        return Task.FromResult(Operation(operationId));
    }

    public Task<string> CreateStackInstancesAsync(
        string stackSetName, IReadOnlyList<string> organizationalUnitIds, IReadOnlyList<string> regions, string callAs, string operationId,
        CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(organizationalUnitIds);
        ArgumentNullException.ThrowIfNull(regions);
        Record("CreateStackInstances", callAs);
        Existing(stackSetName);
        var list = instances[stackSetName];
        foreach (var unit in organizationalUnitIds)
        {
            foreach (var account in Organization.GetValueOrDefault(unit) ?? [])
            {
                foreach (var region in regions.Where(r => !list.Any(i => i.Account == account && i.Region == r)))
                {
                    list.Add(new StackInstanceSummary(account, region, unit, "CURRENT"));
                }
            }
        }

        return Task.FromResult(Operation(operationId));
    }

    public Task<StackSetOperation> DescribeStackSetOperationAsync(string stackSetName, string operationId, string callAs, CancellationToken ct = default)
    {
        Record("DescribeStackSetOperation", callAs);
        return Task.FromResult(operations[operationId]);
    }

    public Task<IReadOnlyList<StackInstanceSummary>> ListStackInstancesAsync(string stackSetName, string callAs, CancellationToken ct = default)
    {
        Record("ListStackInstances", callAs);
        return Task.FromResult<IReadOnlyList<StackInstanceSummary>>(InstancesOf(stackSetName));
    }

    public Task<IReadOnlyList<StackSetSummary>> ListStackSetsAsync(string callAs, CancellationToken ct = default)
    {
        Record("ListStackSets", callAs);
        return Task.FromResult<IReadOnlyList<StackSetSummary>>(sets.Values.Select(s => new StackSetSummary(s.StackSetName, s.Status, s.PermissionModel)).ToArray());
    }

    public Task<string> DeleteStackInstancesAsync(
        string stackSetName, IReadOnlyList<string> organizationalUnitIds, IReadOnlyList<string> regions, string callAs, string operationId,
        CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(organizationalUnitIds);
        ArgumentNullException.ThrowIfNull(regions);
        Record("DeleteStackInstances", callAs);
        Existing(stackSetName);
        if (OperationOutcome.Status == "SUCCEEDED")
        {
            var accounts = organizationalUnitIds.SelectMany(u => Organization.GetValueOrDefault(u) ?? []).ToHashSet(StringComparer.Ordinal);
            instances[stackSetName].RemoveAll(i => regions.Contains(i.Region) &&
                (accounts.Contains(i.Account) || (i.OrganizationalUnitId is { } unit && organizationalUnitIds.Contains(unit))));
        }

        return Task.FromResult(Operation(operationId));
    }

    public Task DeleteStackSetAsync(string stackSetName, string callAs, CancellationToken ct = default)
    {
        Record("DeleteStackSet", callAs);
        if (!sets.ContainsKey(stackSetName)) return Task.CompletedTask;
        if (instances[stackSetName].Count > 0)
        {
            throw new AmazonServiceException($"StackSet {stackSetName} still has instances", null, ErrorType.Sender, "StackSetNotEmptyException", "r", HttpStatusCode.BadRequest);
        }

        sets.Remove(stackSetName);
        instances.Remove(stackSetName);
        return Task.CompletedTask;
    }

    /// <summary>An instance made outside the kit's calls, e.g. by automatic deployment for an account moved into a unit.</summary>
    public void AddInstance(string stackSetName, StackInstanceSummary instance) => instances[stackSetName].Add(instance);

    private void Store(StackSetRequest request)
    {
        sets[request.StackSetName] = new StackSetDescription(request.StackSetName, "ACTIVE", request.TemplateBody,
            new Dictionary<string, string>(request.Parameters), new Dictionary<string, string>(request.Tags), "SERVICE_MANAGED", StackSetAutoDeployment.Kit);
        Requests = [.. Requests, request];
    }

    private void Existing(string name)
    {
        if (!sets.ContainsKey(name))
        {
            throw new AmazonServiceException($"StackSet {name} not found", null, ErrorType.Sender, "StackSetNotFoundException", "r", HttpStatusCode.BadRequest);
        }
    }

    private string Operation(string operationId)
    {
        operations[operationId] = new StackSetOperation(operationId, OperationOutcome.Status, OperationOutcome.Reason);
        return operationId;
    }

    private void Record(string operation, string callAs)
    {
        lock (calls) calls.Add($"{operation} as {callAs}");
    }
}
