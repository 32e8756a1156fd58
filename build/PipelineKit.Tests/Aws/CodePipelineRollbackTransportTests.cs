namespace PipelineKit.Tests.Aws;

using System.Net;
using Amazon.Runtime;
using PipelineKit.Aws;

/// <summary>The CodePipeline client's rollback calls over a scripted transport: RollbackStage and the succeededInStage
/// filter as the API reference spells them, and the rollback fields of an execution summary.</summary>
public sealed class CodePipelineRollbackTransportTests
{
    private readonly ScriptedTransport transport = new("application/x-amz-json-1.1");
    private readonly AwsClientFactory factory;

    public CodePipelineRollbackTransportTests() => factory = transport.Clients("https://codepipeline.test", new AwsCallLog());

    private ICodePipeline Client => factory.CodePipeline(new BasicAWSCredentials("AKIDEXAMPLE", "secret"), "eu-west-1");

    [Fact]
    public async Task RollbackStage_AndTheSucceededInStageFilter_SendTheDocumentedMembers_AndReadTheRollbackFields()
    {
        transport.Respond(HttpStatusCode.OK, """
            {"pipelineExecutionSummaries":[
              {"pipelineExecutionId":"b","status":"Succeeded","executionType":"ROLLBACK","rollbackMetadata":{"rollbackTargetPipelineExecutionId":"a"}},
              {"pipelineExecutionId":"a","status":"Succeeded","executionType":"STANDARD"}]}
            """);
        transport.Respond(HttpStatusCode.OK, """{"pipelineExecutionId":"c"}""");

        var page = await Client.ListPipelineExecutionsAsync("p", "Deploy-test", 100);
        var id = await Client.RollbackStageAsync("p", "Deploy-test", "a");

        Assert.Equal([("b", true, "a"), ("a", false, null)], page.Executions.Select(e => (e.PipelineExecutionId, e.IsRollback, e.RollbackTargetExecutionId)));
        Assert.Equal("c", id);
        Assert.Equal(
        [
            ("CodePipeline_20150709.ListPipelineExecutions", """{"pipelineName":"p","filter":{"succeededInStage":{"stageName":"Deploy-test"}},"maxResults":100}"""),
            ("CodePipeline_20150709.RollbackStage", """{"pipelineName":"p","stageName":"Deploy-test","targetPipelineExecutionId":"a"}"""),
        ], transport.Requests.Select(r => (r.Target, r.Body)));
    }
}
