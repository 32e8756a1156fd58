namespace PipelineKit.Deployment;

using PipelineKit.Aws;

/// <summary>
/// Deploys one stack through a change set, exactly once and in one place:
/// settle -> repair or refuse -> skip when nothing differs -> remove stale kit change sets ->
/// create (client token) -> wait -> "no changes" is success -> execute (request token) ->
/// stream events until the stack settles -> report. <see cref="ChangeSetPreparation"/> holds the flow up to the
/// execution, <see cref="ChangeSetExecution"/> the rest; a preview prepares a change set without executing it. When the
/// stack changes under the flow (<see cref="ConcurrentChange"/>), the flow starts over, a bounded number of times.
/// </summary>
public sealed class StackDeployer : IStackDeployer
{
    /// <summary>CloudFormation's limit for an inline TemplateBody, in bytes.</summary>
    public const int MaxInlineTemplateBytes = 51_200;

    /// <summary>Every change set the kit creates starts with this; any other change set is left alone.</summary>
    public const string ChangeSetPrefix = "pipelinekit-";

    private readonly Poller poller;
    private readonly IDeploymentObserver observer;
    private readonly ITemplateStore? templateStore;
    private readonly PollingPolicy policy;
    private readonly LostStackRecovery? recovery;

    /// <param name="recovery">Reads and a message channel for stacks whose retained resources outlived them; without it
    /// a CREATE over such resources fails on their names.</param>
    public StackDeployer(
        TimeProvider time, PollingPolicy policy, IDeploymentObserver observer, ITemplateStore? templateStore = null, LostStackRecovery? recovery = null)
    {
        this.recovery = recovery;
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
        var context = ContextFor(cfn, stack);
        return await GuardAsync(stack, async () =>
        {
            for (var attempt = 1; ; attempt++)
            {
                try
                {
                    var prepared = await new ChangeSetPreparation(context, templateStore).PrepareAsync(desiredFor, ct).ConfigureAwait(false);
                    return prepared.ChangeSet is null
                        ? prepared.Unchanged(context.Now - started)
                        : await new ChangeSetExecution(context).ExecuteAsync(prepared, started, ct).ConfigureAwait(false);
                }
                catch (ConcurrentChangeException e) when (attempt < ConcurrentChange.MaxAttempts)
                {
                    // Another run (or a console user) changed the stack between two calls of this one: start over from
                    // reading it, which waits for that operation and then finds the stack as it left it.
                    context.Progress($"{e.Message}; reading the stack again");
                }
            }
        }).ConfigureAwait(false);
    }

    /// <summary>Reads a stack that a target needs but does not deploy, waiting while an operation is in progress on it
    /// (another run, a console user). Null when it does not exist.</summary>
    public Task<StackDescription?> ReadSettledAsync(ICloudFormation cfn, StackRef stack, CancellationToken ct = default) =>
        GuardAsync(stack, () => new StackWatcher(ContextFor(cfn, stack)).SettleAsync(ct));

    /// <summary>What <see cref="DeployAsync(ICloudFormation, StackRef, StackDeployment, CancellationToken)"/> would do, changing
    /// nothing but a change set it creates, describes and deletes again (existing stacks only).</summary>
    public Task<StackPreviewResult> PreviewAsync(ICloudFormation cfn, StackRef stack, StackDeployment desired, CancellationToken ct = default) =>
        GuardAsync(stack, () => new StackPreview(ContextFor(cfn, stack), templateStore).PreviewAsync(desired, ct));

    /// <summary>The turns of every poll this deployer made, all its stacks together.</summary>
    public PollPace Polls => poller.Pace;

    private StackContext ContextFor(ICloudFormation cfn, StackRef stack) => new(cfn, stack, poller, policy, observer, recovery);

    private static Task<T> GuardAsync<T>(StackRef stack, Func<Task<T>> work) =>
        DeploymentGuard.RunAsync(stack,
            "Check the stack in the CloudFormation console; re-run once it has settled (the kit waits for stacks in progress).", work);
}
