namespace PipelineKit.Tests.Aws;

using System.Net;
using System.Text;
using System.Web;
using Amazon.Runtime;
using PipelineKit.Aws;
using PipelineKit.Testing;

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
/// (of <paramref name="contentType"/>), or else with what <see cref="Answer"/> says, and keeps what was sent.</summary>
internal sealed class ScriptedTransport(string contentType) : HttpClientFactory
{
    private readonly Queue<(HttpStatusCode Status, string Body, string? ContentType)> responses = new();

    private string ContentType { get; } = contentType;

    public List<SentRequest> Requests { get; } = [];

    /// <summary>Answers a request when nothing is scripted: the request and its 0-based number among all sent.</summary>
    public Func<SentRequest, int, (HttpStatusCode Status, string Body)>? Answer { get; set; }

    /// <summary>The clock the retries of <see cref="Clients"/> wait in: their back-off takes no real time.</summary>
    public VirtualTime Time { get; } = new();

    public void Respond(HttpStatusCode status, string body, string? contentType = null) => responses.Enqueue((status, body, contentType));

    /// <summary>The kit's client factory with every service at <paramref name="endpoint"/>, over this transport; retries wait in
    /// <see cref="Time"/> and are told to <paramref name="onRetry"/>.</summary>
    public AwsClientFactory Clients(string endpoint, AwsCallLog? callLog = null, Action<AwsRetry>? onRetry = null) =>
        new(new AwsEndpoints(_ => null, endpoint), callLog ?? new AwsCallLog(), config => config.HttpClientFactory = this,
            AwsRetrySettings.Default with { Time = Time }, onRetry);

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
                var sent = new SentRequest(
                    request.Method,
                    request.RequestUri!,
                    request.Content?.Headers.ContentType?.ToString(),
                    request.Headers.TryGetValues("X-Amz-Target", out var target) ? string.Join(",", target) : null,
                    request.Headers.TryGetValues("Authorization", out var auth) ? string.Join(",", auth) : null,
                    body);
                owner.Requests.Add(sent);
                var (status, text, type) = owner.responses.Count > 0 || owner.Answer is null
                    ? owner.responses.Dequeue()
                    : AsScripted(owner.Answer(sent, owner.Requests.Count - 1));
                var content = new StringContent(text, Encoding.UTF8);
                content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue(type ?? owner.ContentType);
                return new HttpResponseMessage(status) { Content = content, Headers = { { "x-amzn-RequestId", "test-request" } } };
            }
        }

        private static (HttpStatusCode, string, string?) AsScripted((HttpStatusCode Status, string Body) answer) =>
            (answer.Status, answer.Body, answer.Body.StartsWith("<html", StringComparison.OrdinalIgnoreCase) ? "text/html" : null);
    }
}
