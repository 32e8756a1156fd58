namespace PipelineKit.Tests.Aws;

using System.Net;
using System.Text;
using System.Text.Json;
using Amazon.Runtime;
using PipelineKit.Aws;

/// <summary>The CodePipeline client over a scripted HTTP transport: the awsJson1_1 requests it sends and how it reads
/// the response shapes of the API reference (https://docs.aws.amazon.com/codepipeline/latest/APIReference/).</summary>
public sealed class CodePipelineClientTransportTests
{
    private readonly ScriptedTransport transport = new("application/x-amz-json-1.1");
    private readonly AwsCallLog callLog = new();
    private readonly AwsClientFactory factory;

    public CodePipelineClientTransportTests() => factory = transport.Clients("https://codepipeline.test", callLog);

    private ICodePipeline Client => factory.CodePipeline(new BasicAWSCredentials("AKIDEXAMPLE", "secret"), "eu-west-1");

    [Fact]
    public async Task Requests_AreSignedJson11Posts_WithTheTargetHeader()
    {
        transport.Respond(HttpStatusCode.OK, """{"pipelineExecutionId":"3137f7cb-7cf7-EXAMPLE"}""");

        var id = await Client.StartPipelineExecutionAsync("hello-pipeline", "token-1");

        Assert.Equal("3137f7cb-7cf7-EXAMPLE", id);
        var sent = Assert.Single(transport.Requests);
        Assert.Equal(HttpMethod.Post, sent.Method);
        Assert.Equal("https://codepipeline.test/", sent.Uri.ToString());
        Assert.Equal("application/x-amz-json-1.1", sent.ContentType);
        Assert.Equal("CodePipeline_20150709.StartPipelineExecution", sent.Target);
        Assert.Equal("""{"name":"hello-pipeline","clientRequestToken":"token-1"}""", sent.Body);
        Assert.StartsWith("AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/", sent.Authorization);
        Assert.Contains("/eu-west-1/codepipeline/aws4_request", sent.Authorization);
        Assert.Equal([new AwsCall("CodePipeline", "StartPipelineExecution", "eu-west-1")], callLog.Calls);
    }

    [Fact]
    public async Task RequestBodies_UseTheDocumentedMemberNames()
    {
        transport.Respond(HttpStatusCode.OK, """{"pipelineName":"p","stageStates":[]}""");
        transport.Respond(HttpStatusCode.OK, """{"pipelineExecutionSummaries":[]}""");
        transport.Respond(HttpStatusCode.OK, """{"pipelineExecutionSummaries":[]}""");
        transport.Respond(HttpStatusCode.OK, """{"pipelineExecution":{"pipelineName":"p","pipelineExecutionId":"e","status":"InProgress"}}""");
        transport.Respond(HttpStatusCode.OK, """{"approvedAt":1700000000}""");

        await Client.GetPipelineStateAsync("p");
        await Client.ListPipelineExecutionsAsync("p", 10);
        await Client.ListPipelineExecutionsAsync("p", nextToken: "page-2");
        await Client.GetPipelineExecutionAsync("p", "e");
        await Client.PutApprovalResultAsync("p", "Deploy-prod", "SecurityApproval-prod", "t", approved: true, "ok");

        Assert.Equal(
        [
            ("CodePipeline_20150709.GetPipelineState", """{"name":"p"}"""),
            ("CodePipeline_20150709.ListPipelineExecutions", """{"pipelineName":"p","maxResults":10}"""),
            ("CodePipeline_20150709.ListPipelineExecutions", """{"pipelineName":"p","nextToken":"page-2"}"""),
            ("CodePipeline_20150709.GetPipelineExecution", """{"pipelineName":"p","pipelineExecutionId":"e"}"""),
            ("CodePipeline_20150709.PutApprovalResult",
                """{"pipelineName":"p","stageName":"Deploy-prod","actionName":"SecurityApproval-prod","result":{"summary":"ok","status":"Approved"},"token":"t"}"""),
        ], transport.Requests.Select(r => (r.Target, r.Body)));
    }

    [Fact]
    public async Task GetPipelineState_ReadsStagesWithTheirLatestExecutionAndActions()
    {
        transport.Respond(HttpStatusCode.OK, """
            {
              "created": 1446137312.204,
              "pipelineName": "hello-pipeline",
              "pipelineVersion": 2,
              "stageStates": [
                {
                  "stageName": "Source",
                  "inboundTransitionState": { "enabled": true },
                  "latestExecution": { "pipelineExecutionId": "exec-1", "status": "Succeeded" },
                  "actionStates": [
                    {
                      "actionName": "Source",
                      "currentRevision": { "revisionId": "v1" },
                      "entityUrl": "https://console.aws.amazon.com/s3/home?#",
                      "latestExecution": {
                        "actionExecutionId": "a-1",
                        "lastStatusChange": 1446137358.328,
                        "status": "Succeeded",
                        "summary": "Amazon S3 version id: v1"
                      }
                    }
                  ]
                },
                {
                  "stageName": "Build",
                  "latestExecution": { "pipelineExecutionId": "exec-1", "status": "Failed" },
                  "actionStates": [
                    {
                      "actionName": "Build",
                      "latestExecution": {
                        "status": "Failed",
                        "externalExecutionUrl": "https://console.aws.amazon.com/codebuild/build/1",
                        "errorDetails": { "code": "JobFailed", "message": "Error while executing command: ./build.sh Package" }
                      }
                    }
                  ]
                },
                { "stageName": "Deploy-dev", "actionStates": [ { "actionName": "Deploy" } ] }
              ],
              "updated": 1446137312.204
            }
            """);

        var state = await Client.GetPipelineStateAsync("hello-pipeline");

        Assert.Equal(("hello-pipeline", (int?)2), (state.PipelineName, state.PipelineVersion));
        Assert.Equal(["Source", "Build", "Deploy-dev"], state.Stages.Select(s => s.StageName));
        Assert.Equal(new StageExecution("exec-1", "Succeeded"), state.Stages[0].LatestExecution);
        var source = Assert.Single(state.Stages[0].Actions);
        Assert.Equal(("Source", "a-1", "Succeeded", "Amazon S3 version id: v1"),
            (source.ActionName, source.LatestExecution!.ActionExecutionId, source.LatestExecution.Status, source.LatestExecution.Summary));
        Assert.Equal(DateTimeOffset.FromUnixTimeMilliseconds(1446137358328), source.LatestExecution.LastStatusChange);
        var build = state.Stages[1].Actions[0].LatestExecution!;
        Assert.Equal(("JobFailed", "Error while executing command: ./build.sh Package", "https://console.aws.amazon.com/codebuild/build/1"),
            (build.ErrorCode, build.ErrorMessage, build.ExternalExecutionUrl));
        Assert.Null(state.Stages[2].LatestExecution);
        Assert.Null(state.Stages[2].Actions[0].LatestExecution);
    }

    [Fact]
    public async Task ListPipelineExecutions_ReadsSummariesWithSourceRevisionsStopReasonAndTheNextToken()
    {
        transport.Respond(HttpStatusCode.OK, """
            {
              "pipelineExecutionSummaries": [
                {
                  "lastUpdateTime": 1496380678.648,
                  "pipelineExecutionId": "7cf7f7cb-3137-539g-j458-d7eu3EXAMPLE",
                  "sourceRevisions": [
                    { "actionName": "Source", "revisionId": "3Lh2o8.2X1sQaKdBOh3uKQvNbQ1V3Yzc", "revisionSummary": "Amazon S3 version id: 3Lh2o8" }
                  ],
                  "startTime": 1496380678.648,
                  "status": "InProgress",
                  "trigger": { "triggerType": "PollForSourceChanges", "triggerDetail": "" }
                },
                {
                  "lastUpdateTime": 1496380604.562,
                  "pipelineExecutionId": "3137f7cb-7cf7-039j-s83l-d7eu3EXAMPLE",
                  "startTime": 1496380523.301,
                  "status": "Stopped",
                  "stopTrigger": { "reason": "wrong branch" }
                }
              ],
              "nextToken": "eyJhbGciOiJIUzI1NiJ9EXAMPLE"
            }
            """);

        var page = await Client.ListPipelineExecutionsAsync("hello-pipeline", 2);

        var executions = page.Executions;
        Assert.Equal("eyJhbGciOiJIUzI1NiJ9EXAMPLE", page.NextToken);
        Assert.Equal(2, executions.Count);
        var latest = executions[0];
        Assert.Equal(("7cf7f7cb-3137-539g-j458-d7eu3EXAMPLE", "InProgress", "PollForSourceChanges"),
            (latest.PipelineExecutionId, latest.Status, latest.TriggerType));
        Assert.Equal(DateTimeOffset.FromUnixTimeMilliseconds(1496380678648), latest.StartTime);
        var revision = Assert.Single(latest.SourceRevisions);
        Assert.Equal(("Source", "3Lh2o8.2X1sQaKdBOh3uKQvNbQ1V3Yzc"), (revision.ActionName, revision.RevisionId));
        Assert.Empty(executions[1].SourceRevisions);
        Assert.Equal(("Stopped", "wrong branch"), (executions[1].Status, executions[1].StopReason));
        Assert.Null(latest.StopReason);
    }

    [Fact]
    public async Task GetPipelineExecution_ReadsStatusAndArtifactRevisions()
    {
        transport.Respond(HttpStatusCode.OK, """
            {
              "pipelineExecution": {
                "artifactRevisions": [
                  { "created": 1427298837.7689769, "name": "Source", "revisionId": "v1", "revisionSummary": "Amazon S3 version id: v1" }
                ],
                "pipelineExecutionId": "3137f7cb-7cf7-039j-s83l-d7eu3EXAMPLE",
                "pipelineName": "hello-pipeline",
                "pipelineVersion": 2,
                "status": "Failed",
                "statusSummary": "Stage Build failed"
              }
            }
            """);

        var execution = await Client.GetPipelineExecutionAsync("hello-pipeline", "3137f7cb-7cf7-039j-s83l-d7eu3EXAMPLE");

        Assert.Equal(("hello-pipeline", "3137f7cb-7cf7-039j-s83l-d7eu3EXAMPLE", "Failed", "Stage Build failed"),
            (execution.PipelineName, execution.PipelineExecutionId, execution.Status, execution.StatusSummary));
        Assert.Equal([new ArtifactRevision("Source", "v1", "Amazon S3 version id: v1")], execution.ArtifactRevisions);
    }

    [Fact]
    public async Task ServiceError_SurfacesWithCodeMessageStatusAndRequestId()
    {
        transport.Respond(HttpStatusCode.BadRequest,
            """{"__type":"PipelineNotFoundException","message":"Account '123456789012' does not have a pipeline with name 'nope'"}""");

        var error = await Assert.ThrowsAsync<AmazonCodePipelineException>(() => Client.GetPipelineStateAsync("nope"));

        Assert.Equal(("PipelineNotFoundException", "Account '123456789012' does not have a pipeline with name 'nope'", HttpStatusCode.BadRequest, "test-request"),
            (error.ErrorCode, error.Message, error.StatusCode, error.RequestId));
    }

    [Fact]
    public async Task ServiceError_WithANamespacedType_KeepsTheShortCode()
    {
        transport.Respond(HttpStatusCode.BadRequest,
            """{"__type":"com.amazonaws.codepipeline#ValidationException","message":"1 validation error detected"}""");

        var error = await Assert.ThrowsAsync<AmazonCodePipelineException>(() => Client.ListPipelineExecutionsAsync("p", 5));

        Assert.Equal("ValidationException", error.ErrorCode);
    }

    [Fact]
    public async Task Throttling_IsRetriedBySdk_AndLoggedOnce()
    {
        transport.Respond(HttpStatusCode.BadRequest, """{"__type":"ThrottlingException","message":"Rate exceeded"}""");
        transport.Respond(HttpStatusCode.OK, """{"pipelineExecutionSummaries":[]}""");

        var page = await Client.ListPipelineExecutionsAsync("p", 5);

        Assert.Empty(page.Executions);
        Assert.Null(page.NextToken);
        Assert.Equal(2, transport.Requests.Count);
        Assert.Equal([new AwsCall("CodePipeline", "ListPipelineExecutions", "eu-west-1")], callLog.Calls);
    }

    [Fact]
    public void Endpoint_HonoursTheCodePipelineVariable_OverTheGlobalOne()
    {
        var endpoints = new AwsEndpoints(name => name switch
        {
            "AWS_ENDPOINT_URL_CODEPIPELINE" => "http://127.0.0.1:4999",
            "AWS_ENDPOINT_URL" => "http://127.0.0.1:5000",
            _ => null,
        });

        Assert.Equal("http://127.0.0.1:4999", endpoints.Resolve(AwsServiceIds.CodePipeline));
        Assert.Equal("https://codepipeline.eu-west-1.amazonaws.com", CodePipelineClientConfig.RegionalUrl(Amazon.RegionEndpoint.EUWest1));
    }
}
