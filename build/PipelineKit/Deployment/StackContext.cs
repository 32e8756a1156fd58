namespace PipelineKit.Deployment;

using PipelineKit.Aws;

/// <summary>What every step of one stack's deployment works with: the stack's client, the stack, the clock
/// and polling policy, and the observer it reports to.</summary>
internal sealed class StackContext(ICloudFormation cfn, StackRef stack, Poller poller, PollingPolicy policy, IDeploymentObserver observer)
{
    public ICloudFormation Cfn => cfn;

    public StackRef Stack => stack;

    public string Name => stack.StackName;

    public Poller Poller => poller;

    public PollingPolicy Policy => policy;

    public DateTimeOffset Now => poller.Time.GetUtcNow();

    public void Progress(string message, StackStatus? status = null) => observer.On(new StackProgress(stack, Now, message, status));

    public void Report(StackEvent stackEvent) => observer.On(new StackResourceEvent(stack, Now, stackEvent));

    public DeploymentException Fail(DeploymentErrorCode code, string message, string nextStep, StackStatus? status = null) =>
        new(code, Name, stack.Location, message, nextStep, status);
}
