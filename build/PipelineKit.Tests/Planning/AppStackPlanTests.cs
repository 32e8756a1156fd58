namespace PipelineKit.Tests.Planning;

using PipelineKit.Aws;
using PipelineKit.Configuration;
using PipelineKit.Deployment;
using PipelineKit.Orchestration;
using PipelineKit.Planning;
using PipelineKit.Testing;
using PipelineKit.Tests.Configuration;

/// <summary>The app stacks are planned from the repository's template with the code the deployed stack uses: no package,
/// no upload.</summary>
public class AppStackPlanTests
{
    private const string Template = """
        Parameters:
          PipelineName: { Type: String }
          EnvironmentName: { Type: String }
          CodeBucket: { Type: String }
          CodeKey: { Type: String }
        Resources:
          Function: { Type: AWS::Lambda::Function }
          ApiInvokePermission: { Type: AWS::Lambda::Permission }
        """;

    private readonly VirtualTime time = new();
    private readonly FakeCloud cloud;
    private readonly PipelineConfig config = SandboxConfigs.Accounts();

    public AppStackPlanTests() => cloud = new FakeCloud(time);

    private async Task<Dictionary<string, StackPlan>> Plan()
    {
        var planner = new StackPlanner(new StackDeployer(time, PollingPolicy.Default, new RecordingObserver()));
        var nodes = new AppStackPlan(config, Template, cloud.CloudFormationAt).Nodes(planner);
        await new DagRunner(4, time, new RecordingObserver()).RunAsync(nodes);
        return planner.Plans.ToDictionary(p => p.Key, p => p.Value);
    }

    [Fact]
    public async Task DeployedAppStacks_KeepTheirCode_AndNewOnesAreListedFromTheTemplate()
    {
        var dev = config.Environments[0];
        cloud.At(new StackLocation(dev.Account, dev.Region)).Seed($"sandbox-{dev.Name}-app", StackStatus.UpdateComplete, Template,
            new Dictionary<string, string>
            {
                ["PipelineName"] = "sandbox", ["EnvironmentName"] = dev.Name, ["CodeBucket"] = "b", ["CodeKey"] = "hello-abc.zip",
            },
            new Dictionary<string, string> { ["pipelinekit:environment"] = dev.Name, ["pipelinekit:pipeline"] = "sandbox" });

        var plans = await Plan();

        Assert.Equal(PlanStatus.Unchanged, plans["app:dev"].Status);
        var prod = plans["app:prod"];
        Assert.Equal(PlanStatus.Create, prod.Status);
        Assert.Contains(prod.Resources, r => r.ResourceType == "AWS::Lambda::Permission" && r.Security);
        Assert.Empty(cloud.MutatingCalls);
    }
}
