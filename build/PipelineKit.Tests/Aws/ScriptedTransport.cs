namespace PipelineKit.Tests.Aws;

using System.Net;
using System.Text;
using System.Web;
using Amazon.Runtime;
using PipelineKit.Aws;

/// <summary>What a client put on the wire: method, URI, content type, X-Amz-Target, Authorization and body.</summary>
internal sealed record SentRequest(HttpMethod Method, Uri Uri, string? ContentType, string? Target, string? Authorization, string Body)
{
    /// <summary>The body as form parameters (Query-protocol services).</summary>
    public Dictionary<string, string> Form
    {
        get
        {
            var form = HttpUtility.ParseQueryString(Body);
            return form.AllKeys.OfType<string>().ToDictionary(k => k, k => form[k]!);
        }
    }
}

/// <summary>An HTTP layer under the SDK's real pipeline: answers each request with the next scripted response
/// (of <paramref name="contentType"/>) and keeps what was sent.</summary>
internal sealed class ScriptedTransport(string contentType) : HttpClientFactory
{
    private readonly Queue<(HttpStatusCode Status, string Body)> responses = new();

    private string ContentType { get; } = contentType;

    public List<SentRequest> Requests { get; } = [];

    public void Respond(HttpStatusCode status, string body) => responses.Enqueue((status, body));

    /// <summary>The kit's client factory with every service at <paramref name="endpoint"/>, over this transport.</summary>
    public AwsClientFactory Clients(string endpoint, AwsCallLog? callLog = null) =>
        new(new AwsEndpoints(_ => null, endpoint), callLog ?? new AwsCallLog(), config => config.HttpClientFactory = this);

    public override HttpClient CreateHttpClient(IClientConfig clientConfig) => new(new Handler(this));

    public override bool UseSDKHttpClientCaching(IClientConfig clientConfig) => false;

    public override bool DisposeHttpClientsAfterUse(IClientConfig clientConfig) => false;

    private sealed class Handler(ScriptedTransport owner) : HttpMessageHandler
    {
        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var body = request.Content is null ? string.Empty : await request.Content.ReadAsStringAsync(cancellationToken);
            lock (owner)
            {
                owner.Requests.Add(new SentRequest(
                    request.Method,
                    request.RequestUri!,
                    request.Content?.Headers.ContentType?.ToString(),
                    request.Headers.TryGetValues("X-Amz-Target", out var target) ? string.Join(",", target) : null,
                    request.Headers.TryGetValues("Authorization", out var auth) ? string.Join(",", auth) : null,
                    body));
                var (status, text) = owner.responses.Dequeue();
                var content = new StringContent(text, Encoding.UTF8);
                content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue(owner.ContentType);
                return new HttpResponseMessage(status) { Content = content, Headers = { { "x-amzn-RequestId", "test-request" } } };
            }
        }
    }
}
