namespace PipelineKit.Aws;

using System.Text.Json;
using Amazon.Runtime;

/// <summary>
/// <see cref="ICodePipeline"/> over CodePipeline's awsJson1_1 API, sent through AWSSDK.Core's own pipeline: its
/// credential resolution, SigV4 signing ("codepipeline"), retries (the factory's, see AwsRetryPipeline), and
/// error handling. Only the wire format lives here (<see cref="CodePipelineJson"/>).
/// Until AWSSDK.CodePipeline is available this stands in for AmazonCodePipelineClient.
/// </summary>
public sealed class CodePipelineClient : NarrowServiceClient, ICodePipeline
{
    public CodePipelineClient(AWSCredentials credentials, CodePipelineClientConfig config)
        : base(credentials, config)
    {
    }

    public async Task<PipelineState> GetPipelineStateAsync(string pipelineName, CancellationToken ct = default)
        => CodePipelineJson.PipelineState(await CallAsync(CodePipelineJson.GetPipelineState(pipelineName), ct).ConfigureAwait(false));

    public async Task<PipelineExecutionPage> ListPipelineExecutionsAsync(
        string pipelineName, int? maxResults = null, string? nextToken = null, CancellationToken ct = default)
        => CodePipelineJson.PipelineExecutionPage(
            await CallAsync(CodePipelineJson.ListPipelineExecutions(pipelineName, maxResults, nextToken), ct).ConfigureAwait(false));

    public async Task<PipelineExecutionPage> ListPipelineExecutionsAsync(
        string pipelineName, string succeededInStage, int? maxResults = null, string? nextToken = null, CancellationToken ct = default)
        => CodePipelineJson.PipelineExecutionPage(
            await CallAsync(CodePipelineJson.ListPipelineExecutions(pipelineName, maxResults, nextToken, succeededInStage), ct).ConfigureAwait(false));

    public async Task<string> RollbackStageAsync(string pipelineName, string stageName, string targetPipelineExecutionId, CancellationToken ct = default)
        => CodePipelineJson.StartedExecutionId(
            await CallAsync(CodePipelineJson.RollbackStage(pipelineName, stageName, targetPipelineExecutionId), ct).ConfigureAwait(false));

    public async Task<PipelineExecution> GetPipelineExecutionAsync(string pipelineName, string pipelineExecutionId, CancellationToken ct = default)
        => CodePipelineJson.PipelineExecution(
            await CallAsync(CodePipelineJson.GetPipelineExecution(pipelineName, pipelineExecutionId), ct).ConfigureAwait(false));

    public async Task<string> StartPipelineExecutionAsync(string pipelineName, string clientRequestToken, CancellationToken ct = default)
        => CodePipelineJson.StartedExecutionId(
            await CallAsync(CodePipelineJson.StartPipelineExecution(pipelineName, clientRequestToken), ct).ConfigureAwait(false));

    public Task PutApprovalResultAsync(string pipelineName, string stageName, string actionName, string token, bool approved, string summary,
        CancellationToken ct = default)
        => CallAsync(CodePipelineJson.PutApprovalResult(pipelineName, stageName, actionName, token, approved, summary), ct);

    private async Task<JsonElement> CallAsync(CodePipelineJsonRequest request, CancellationToken ct)
        => (await SendAsync<CodePipelineJsonResponse>(request, CodePipelineJsonMarshaller.Instance, CodePipelineJsonUnmarshaller.Instance, ct).ConfigureAwait(false)).Result;
}
