namespace PipelineKit.Deployment;

using PipelineKit.Aws;

/// <summary>Names one stack of a run: its graph key (e.g. "regional:us-west-2"), name and place.</summary>
public sealed record StackRef(string Key, string StackName, StackLocation Location);

/// <summary>What the engine reports while it works. The console view, the log and the tests subscribe;
/// the engine never writes to the console itself.</summary>
public abstract record DeploymentEvent(StackRef Stack, DateTimeOffset Time);

public sealed record StackQueued(StackRef Stack, DateTimeOffset Time) : DeploymentEvent(Stack, Time);

public sealed record StackStarted(StackRef Stack, DateTimeOffset Time) : DeploymentEvent(Stack, Time);

/// <summary>A step of the deployer: "creating change set", "waiting for UPDATE_IN_PROGRESS", ...</summary>
public sealed record StackProgress(StackRef Stack, DateTimeOffset Time, string Message, StackStatus? Status = null)
    : DeploymentEvent(Stack, Time);

/// <summary>A CloudFormation stack event, reported once, in the order CloudFormation recorded it.</summary>
public sealed record StackResourceEvent(StackRef Stack, DateTimeOffset Time, StackEvent Event) : DeploymentEvent(Stack, Time);

/// <summary>CloudFormation accepted the change set's execution: the stack's operation is under way for this run.
/// <paramref name="Creating"/>: it creates the stack, which one run alone can start (another run's execution then fails on
/// the stack in progress).</summary>
public sealed record StackExecuting(StackRef Stack, DateTimeOffset Time, bool Creating) : DeploymentEvent(Stack, Time);

public sealed record StackFinished(StackRef Stack, DateTimeOffset Time, StackResult Result) : DeploymentEvent(Stack, Time);

public interface IDeploymentObserver
{
    void On(DeploymentEvent deploymentEvent);
}

/// <summary>Fans one event out to several observers.</summary>
public sealed class CompositeObserver(params IDeploymentObserver[] observers) : IDeploymentObserver
{
    public void On(DeploymentEvent deploymentEvent)
    {
        foreach (var observer in observers) observer.On(deploymentEvent);
    }
}
