namespace PipelineKit.Tests.LocalPipeline;

using PipelineKit.LocalPipeline;
using PipelineKit.Tests.Templates;

/// <summary>Outputs the emulator leaves out become empty variables of the execute action, and the action's log says so.</summary>
public sealed class EmulatedOutputsTests
{
    [Fact]
    public void SampleAppTemplate_DeclaresItsOutputs_ReadThroughShortFormIntrinsics()
    {
        var template = File.ReadAllText(Path.Combine(TemplateLintTests.RepositoryRoot(), "sample-app", "template.yaml"));

        Assert.Equal(["ApiUrl", "FunctionName", "EnvironmentName", "AppVersion"], EmulatedOutputs.DeclaredOutputs(template));
    }

    [Fact]
    public void Complete_GivesAMissingOutputEmpty_AndLeavesConditionalOnesOut()
    {
        const string template = """
            {"Resources": {}, "Outputs": {
              "ApiUrl": {"Value": {"Fn::Sub": "${HttpApi.ApiEndpoint}/hello"}},
              "Name": {"Value": "x"},
              "OnlyInProd": {"Condition": "IsProd", "Value": "y"}}}
            """;
        var log = new List<string>();

        var outputs = EmulatedOutputs.Complete(new Dictionary<string, string> { ["Name"] = "x" }, template, log.Add);

        Assert.Equal(new Dictionary<string, string> { ["Name"] = "x", ["ApiUrl"] = "" }, outputs);
        Assert.Equal(["output ApiUrl: the emulator returned no value (it does not create the resource it refers to); the variable is empty"], log);
    }
}
