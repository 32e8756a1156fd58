namespace PipelineKit.Deployment;

using PipelineKit.Aws;

/// <summary>What every step of one stack's deployment works with: the stack's client, the stack, the clock
/// and polling policy, the observer it reports to, and what it needs to bring a lost stack back (null: it does not try).</summary>
internal sealed class StackContext(
    ICloudFormation cfn, StackRef stack, Poller poller, PollingPolicy policy, IDeploymentObserver observer, LostStackRecovery? recovery = null)
{
    public ICloudFormation Cfn => cfn;

    public StackRef Stack => stack;

    public string Name => stack.StackName;

    public Poller Poller => poller;

    public PollingPolicy Policy => policy;

    public LostStackRecovery? Recovery => recovery;

    public DateTimeOffset Now => poller.Time.GetUtcNow();

    public void Progress(string message, StackStatus? status = null) => observer.On(new StackProgress(stack, Now, message, status));

    /// <summary>CloudFormation accepted the execution of this run's change set.</summary>
    public void Executing(bool creating) => observer.On(new StackExecuting(stack, Now, creating));

    public void Report(StackEvent stackEvent) => observer.On(new StackResourceEvent(stack, Now, stackEvent));

    public DeploymentException Fail(DeploymentErrorCode code, string message, string nextStep, StackStatus? status = null) =>
        new(code, Name, stack.Location, message, nextStep, status);
}
