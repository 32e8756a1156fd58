namespace PipelineKit.Deployment;

using PipelineKit.Aws;

/// <summary>Waits for one stack set operation (DescribeStackSetOperation) under a polling policy; a timeout or an operation
/// that did not succeed fails with the operation named, where to read each account's result, and which target resumes.</summary>
internal sealed class StackSetOperations(TimeProvider time, PollingPolicy policy)
{
    private readonly Poller poller = new(time, policy);

    public Poller Poller => poller;

    /// <param name="resume">The kit target that resumes after a failure (DeployTargetRoles, Destroy).</param>
    public async Task WaitAsync(ICloudFormationStackSets sets, string name, string callAs, StackLocation location, string operationId, string action,
        string resume, CancellationToken ct)
    {
        StackSetOperation done;
        try
        {
            done = await poller.UntilAsync(c => sets.DescribeStackSetOperationAsync(name, operationId, callAs, c),
                o => !o.IsInProgress, policy.StackDeadline, () => $"waiting for {action} operation {operationId} of stack set {name}", null, ct).ConfigureAwait(false);
        }
        catch (TimeoutException e)
        {
            throw new DeploymentException(DeploymentErrorCode.Timeout, name, location, e.Message,
                $"The operation goes on in CloudFormation; see it with aws cloudformation describe-stack-set-operation --stack-set-name {name} --operation-id {operationId} --call-as {callAs}, then re-run {resume}.", inner: e);
        }

        if (!done.Succeeded)
        {
            throw new DeploymentException(DeploymentErrorCode.StackFailed, name, location,
                $"{action} operation {operationId} of the stack set ended {done.Status}{(done.StatusReason is { } reason ? ": " + reason : "")}.",
                $"See each account's result with aws cloudformation list-stack-set-operation-results --stack-set-name {name} --operation-id {operationId} --call-as {callAs}; fix the account it names, then re-run {resume}.");
        }
    }

    public static string NewOperationId() => "pipelinekit-" + Guid.NewGuid().ToString("N");
}
