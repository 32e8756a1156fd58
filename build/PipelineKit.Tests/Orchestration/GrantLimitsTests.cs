namespace PipelineKit.Tests.Orchestration;

using PipelineKit.Configuration;
using PipelineKit.Orchestration;

/// <summary>The grant parameters grow with the target accounts; CloudFormation refuses a value over 4,096 bytes, and
/// would do so only at the build account's stacks, after the target roles exist.</summary>
public sealed class FoundationPlanParameterSizeTests
{
    private static PipelineConfig WithTargetAccounts(int count)
    {
        var sandbox = PipelineConfigLoader.LoadSandbox();
        var environments = Enumerable.Range(0, count)
            .Select(i => new EnvironmentSettings($"env{i}", (200000000000L + i).ToString(System.Globalization.CultureInfo.InvariantCulture), "us-east-1", null))
            .ToArray();
        return sandbox with { Environments = environments };
    }

    [Fact]
    public void CheckParameterSizes_WithManyTargetAccounts_RefusesBeforeAnyAwsCall_NamingTheLimitAndTheCount()
    {
        var config = WithTargetAccounts(45);
        var bytes = System.Text.Encoding.UTF8.GetByteCount(FoundationDeployments.TargetParameters(config)["TargetRoleArns"]);

        var error = Assert.Throws<ConfigurationException>(() => FoundationDeployments.CheckParameterSizes(config));

        Assert.Equal(
            $"embedded:sandbox.pipeline.json: environments: 45 target accounts make the foundation's TargetRoleArns parameter {bytes} bytes, over CloudFormation's 4096-byte parameter limit; use fewer target accounts per pipeline (split the environments across pipelines) for now",
            error.Message);
    }

    [Fact]
    public void CheckParameterSizes_WithAFewTargetAccounts_Passes()
    {
        FoundationDeployments.CheckParameterSizes(WithTargetAccounts(10));
    }

    [Fact]
    public void TargetParameters_AreTheValuesTheFoundationStacksReceive()
    {
        var config = PipelineConfigLoader.LoadSandbox();
        var deployments = new FoundationDeployments(config, _ => "{}");

        var parameters = deployments.Foundation(config.Build.Region).Parameters;

        foreach (var (name, value) in FoundationDeployments.TargetParameters(config))
        {
            Assert.Equal(value, parameters[name]);
        }
    }
}
