namespace PipelineKit.Testing;

using PipelineKit.Deployment;

public sealed class RecordingObserver : IDeploymentObserver
{
    private readonly List<DeploymentEvent> events = [];

    public IReadOnlyList<DeploymentEvent> Events { get { lock (events) return events.ToArray(); } }

    public IEnumerable<string> Progress => Events.OfType<StackProgress>().Select(p => p.Message);

    public void On(DeploymentEvent deploymentEvent) { lock (events) events.Add(deploymentEvent); }
}
