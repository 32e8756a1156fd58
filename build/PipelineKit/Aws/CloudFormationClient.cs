namespace PipelineKit.Aws;

using System.Xml.Linq;
using Amazon.Runtime;

/// <summary>
/// <see cref="ICloudFormation"/> over the CloudFormation Query API (POST, Action=..., Version=2010-05-15,
/// XML responses), sent through AWSSDK.Core's own pipeline: its credential resolution, SigV4 signing,
/// retries (the factory's, see AwsRetryPipeline), and error handling. Only the wire format lives here.
/// Until AWSSDK.CloudFormation is available this stands in for AmazonCloudFormationClient.
/// </summary>
public sealed class CloudFormationClient : NarrowServiceClient, ICloudFormation, ICloudFormationDrift, ICloudFormationStackSets
{
    public CloudFormationClient(AWSCredentials credentials, CloudFormationClientConfig config)
        : base(credentials, config)
    {
    }

    public async Task<StackDescription?> DescribeStackAsync(string stackName, CancellationToken ct = default)
    {
        var stack = await NullWhenMissingAsync(
            async () => CloudFormationResponses.Stack(await CallAsync(CloudFormationQuery.DescribeStacks(stackName), ct).ConfigureAwait(false)),
            IsStackNotFound).ConfigureAwait(false);
        return stack is null || stack.Status == StackStatus.DeleteComplete ? null : stack;
    }

    public async Task<string> GetTemplateBodyAsync(string stackName, CancellationToken ct = default)
        => CloudFormationResponses.TemplateBody(await CallAsync(CloudFormationQuery.GetTemplate(stackName), ct).ConfigureAwait(false));

    public async Task<string> GetChangeSetTemplateBodyAsync(string stackName, string changeSetName, CancellationToken ct = default)
        => CloudFormationResponses.TemplateBody(await CallAsync(CloudFormationQuery.GetTemplate(stackName, changeSetName), ct).ConfigureAwait(false));

    public async Task<CreateChangeSetResult> CreateChangeSetAsync(CreateChangeSetRequest request, CancellationToken ct = default)
        => CloudFormationResponses.CreatedChangeSet(await CallAsync(CloudFormationQuery.CreateChangeSet(request), ct).ConfigureAwait(false));

    public async Task<ChangeSetDescription> DescribeChangeSetAsync(string stackName, string changeSetName, CancellationToken ct = default)
    {
        var page = CloudFormationResponses.ChangeSet(
            await CallAsync(CloudFormationQuery.DescribeChangeSet(stackName, changeSetName), ct).ConfigureAwait(false));
        var first = page.ChangeSet;
        var changes = new List<ResourceChange>(first.Changes);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        while (page.NextToken is { } token && seen.Add(token))
        {
            page = CloudFormationResponses.ChangeSet(
                await CallAsync(CloudFormationQuery.DescribeChangeSet(stackName, changeSetName, token), ct).ConfigureAwait(false));
            changes.AddRange(page.ChangeSet.Changes);
        }

        return first with { Changes = changes };
    }

    public async Task<ChangeSetSummariesPage> ListChangeSetsAsync(string stackName, string? nextToken = null, CancellationToken ct = default)
    {
        var (summaries, next) = CloudFormationResponses.ChangeSetSummaries(
            await CallAsync(CloudFormationQuery.ListChangeSets(stackName, nextToken), ct).ConfigureAwait(false));
        return new ChangeSetSummariesPage(summaries, next);
    }

    public Task ExecuteChangeSetAsync(string stackName, string changeSetName, string clientRequestToken, CancellationToken ct = default)
        => CallAsync(CloudFormationQuery.ExecuteChangeSet(stackName, changeSetName, clientRequestToken), ct);

    public Task DeleteChangeSetAsync(string stackName, string changeSetName, CancellationToken ct = default)
        => CallAsync(CloudFormationQuery.DeleteChangeSet(stackName, changeSetName), ct);

    public Task DeleteStackAsync(string stackName, string clientRequestToken, CancellationToken ct = default)
        => CallAsync(CloudFormationQuery.DeleteStack(stackName, clientRequestToken), ct);

    public async Task<StackEventsPage> DescribeStackEventsAsync(string stackName, string? nextToken = null, CancellationToken ct = default)
        => CloudFormationResponses.StackEvents(
            await CallAsync(CloudFormationQuery.DescribeStackEvents(stackName, nextToken), ct).ConfigureAwait(false));

    public Task UpdateTerminationProtectionAsync(string stackName, bool enable, CancellationToken ct = default)
        => CallAsync(CloudFormationQuery.UpdateTerminationProtection(stackName, enable), ct);

    public async Task<string> DetectStackDriftAsync(string stackName, CancellationToken ct = default)
        => CloudFormationDriftQuery.DetectionId(await CallAsync(CloudFormationDriftQuery.DetectStackDrift(stackName), ct).ConfigureAwait(false));

    public async Task<StackDriftDetection> DescribeStackDriftDetectionStatusAsync(string detectionId, CancellationToken ct = default)
        => CloudFormationDriftQuery.Detection(
            await CallAsync(CloudFormationDriftQuery.DescribeStackDriftDetectionStatus(detectionId), ct).ConfigureAwait(false));

    public async Task<IReadOnlyList<StackResourceDrift>> DescribeStackResourceDriftsAsync(string stackName, CancellationToken ct = default)
    {
        var all = new List<StackResourceDrift>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        string? token = null;
        do
        {
            var (drifts, next) = CloudFormationDriftQuery.ResourceDrifts(
                await CallAsync(CloudFormationDriftQuery.DescribeStackResourceDrifts(stackName, token), ct).ConfigureAwait(false));
            all.AddRange(drifts);
            token = next;
        }
        while (token is not null && seen.Add(token));

        return all;
    }

    public Task<StackSetDescription?> DescribeStackSetAsync(string stackSetName, string callAs, CancellationToken ct = default)
        => NullWhenMissingAsync<StackSetDescription?>(
            async () => CloudFormationStackSetQuery.StackSet(await CallAsync(CloudFormationStackSetQuery.DescribeStackSet(stackSetName, callAs), ct).ConfigureAwait(false)) is { Status: not "DELETED" } set ? set : null,
            e => e.ErrorCode == "StackSetNotFoundException");

    public Task CreateStackSetAsync(StackSetRequest request, CancellationToken ct = default)
        => CallAsync(CloudFormationStackSetQuery.CreateStackSet(request), ct);

    public async Task<string> UpdateStackSetAsync(StackSetRequest request, string operationId, CancellationToken ct = default)
        => CloudFormationStackSetQuery.OperationId(await CallAsync(CloudFormationStackSetQuery.UpdateStackSet(request, operationId), ct).ConfigureAwait(false));

    public async Task<string> CreateStackInstancesAsync(
        string stackSetName, IReadOnlyList<string> organizationalUnitIds, IReadOnlyList<string> regions, string callAs, string operationId,
        CancellationToken ct = default)
        => CloudFormationStackSetQuery.OperationId(await CallAsync(
            CloudFormationStackSetQuery.CreateStackInstances(stackSetName, organizationalUnitIds, regions, callAs, operationId), ct).ConfigureAwait(false));

    public async Task<StackSetOperation> DescribeStackSetOperationAsync(string stackSetName, string operationId, string callAs, CancellationToken ct = default)
        => CloudFormationStackSetQuery.Operation(await CallAsync(CloudFormationStackSetQuery.DescribeStackSetOperation(stackSetName, operationId, callAs), ct).ConfigureAwait(false));

    public async Task<IReadOnlyList<StackInstanceSummary>> ListStackInstancesAsync(string stackSetName, string callAs, CancellationToken ct = default)
    {
        var all = new List<StackInstanceSummary>();
        string? token = null;
        do
        {
            var (instances, next) = CloudFormationStackSetQuery.Instances(
                await CallAsync(CloudFormationStackSetQuery.ListStackInstances(stackSetName, callAs, token), ct).ConfigureAwait(false));
            all.AddRange(instances);
            token = next;
        }
        while (token is not null);
        return all;
    }

    public async Task<IReadOnlyList<StackSetSummary>> ListStackSetsAsync(string callAs, CancellationToken ct = default)
    {
        var all = new List<StackSetSummary>();
        string? token = null;
        var seen = new HashSet<string>(StringComparer.Ordinal);
        do
        {
            var (sets, next) = CloudFormationStackSetQuery.StackSets(await CallAsync(CloudFormationStackSetQuery.ListStackSets(callAs, token), ct).ConfigureAwait(false));
            all.AddRange(sets);
            token = next;
        }
        while (token is not null && seen.Add(token));

        return all;
    }

    public async Task<string> DeleteStackInstancesAsync(
        string stackSetName, IReadOnlyList<string> organizationalUnitIds, IReadOnlyList<string> regions, string callAs, string operationId,
        CancellationToken ct = default)
        => CloudFormationStackSetQuery.OperationId(await CallAsync(
            CloudFormationStackSetQuery.DeleteStackInstances(stackSetName, organizationalUnitIds, regions, callAs, operationId), ct).ConfigureAwait(false));

    public Task DeleteStackSetAsync(string stackSetName, string callAs, CancellationToken ct = default)
        => NullWhenMissingAsync<object?>(
            async () => await CallAsync(CloudFormationStackSetQuery.DeleteStackSet(stackSetName, callAs), ct).ConfigureAwait(false),
            e => e.ErrorCode == "StackSetNotFoundException");

    /// <summary>DescribeStacks answers a missing stack with ValidationError ("Stack with id NAME does not exist"). AWS's own
    /// waiters (botocore's cloudformation waiters-2.json: StackExists retries and StackDeleteComplete succeeds on the
    /// ValidationError code) match the code, not the text; the kit also asks for "does not exist" in the message, so that
    /// another ValidationError of DescribeStacks (a malformed name) is not taken for a missing stack.
    /// https://docs.aws.amazon.com/AWSCloudFormation/latest/APIReference/API_DescribeStacks.html</summary>
    internal static bool IsStackNotFound(AmazonServiceException e)
        => e.ErrorCode == "ValidationError"
           && e.Message is { } message
           && message.Contains("does not exist", StringComparison.OrdinalIgnoreCase);

    private async Task<XElement> CallAsync(CloudFormationQueryRequest request, CancellationToken ct)
        => (await SendAsync<QueryResponse>(request, CloudFormationQuery.Marshaller, CloudFormationResponseUnmarshaller.Instance, ct).ConfigureAwait(false)).Result;
}
