namespace PipelineKit.Reliability.Proxy;

using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

/// <summary>Where a request is when the proxy calls a scenario's hook.</summary>
public enum ProxyStage
{
    /// <summary>Read from the client, not forwarded yet.</summary>
    Received,
    /// <summary>Applied by the emulator; its answer not yet sent to the client.</summary>
    Applied,
}

/// <summary>Called for every request at each stage before the proxy goes on; true drops the connection there (the
/// request is then never forwarded, or its answer never delivered). A scenario uses it to act at an exact phase: the
/// proxy waits for the hook, so a process killed inside it never sees the answer.</summary>
public delegate Task<bool> ProxyHook(AwsRequest request, ProxyStage stage);

/// <summary>
/// An HTTP proxy on 127.0.0.1 in front of the emulator that injects faults (<see cref="FaultPlan"/>) and records every
/// request (<see cref="RequestJournal"/>). Point the kit at <see cref="Url"/> with AWS_ENDPOINT_URL.
/// </summary>
public sealed class FaultProxy : IAsyncDisposable
{
    private static readonly HashSet<string> HopHeaders = new(StringComparer.OrdinalIgnoreCase)
    {
        "Host", "Connection", "Keep-Alive", "Transfer-Encoding", "Content-Length", "Expect", "Proxy-Connection", "Upgrade",
    };

    private readonly WebApplication app;
    private readonly HttpClient upstream;
    private readonly Uri emulator;

    private FaultProxy(WebApplication app, Uri emulator)
    {
        this.app = app;
        this.emulator = emulator;
        upstream = new HttpClient(new SocketsHttpHandler
        {
            AllowAutoRedirect = false, UseCookies = false, AutomaticDecompression = DecompressionMethods.None, UseProxy = false,
        }) { Timeout = TimeSpan.FromMinutes(2) };
    }

    public FaultPlan Faults { get; } = new();

    public RequestJournal Journal { get; } = new();

    public ProxyHook? Hook { get; set; }

    public string Url { get; private set; } = "";

    /// <summary>Starts a proxy on a free loopback port in front of <paramref name="emulatorUrl"/>.</summary>
    public static async Task<FaultProxy> StartAsync(string emulatorUrl)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = [] });
        builder.Logging.ClearProviders();
        // Ctrl+C and SIGTERM belong to the report (and the kit under test), not to the proxy's host.
        builder.Services.AddSingleton<IHostLifetime, NoLifetime>();
        builder.WebHost.ConfigureKestrel(options =>
        {
            options.Listen(IPAddress.Loopback, 0);
            options.Limits.MaxRequestBodySize = null;
        });
        var app = builder.Build();
        var proxy = new FaultProxy(app, new Uri(emulatorUrl.TrimEnd('/') + "/"));
        app.Run(proxy.HandleAsync);
        await app.StartAsync().ConfigureAwait(false);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        proxy.Url = address.Replace("[::1]", "127.0.0.1", StringComparison.Ordinal);
        return proxy;
    }

    private async Task HandleAsync(HttpContext context)
    {
        var body = await ReadBodyAsync(context.Request).ConfigureAwait(false);
        var path = context.Request.Path.Value ?? "/";
        var request = AwsRequest.Parse(context.Request.Method, path, name => context.Request.Headers[name].FirstOrDefault(), body);

        if (Hook is { } received && await received(request, ProxyStage.Received).ConfigureAwait(false))
        {
            Journal.Record(request, FaultKind.ResetBeforeForward, 0);
            context.Abort();
            return;
        }

        var fault = Faults.Decide(request);
        switch (fault)
        {
            case FaultKind.Throttle:
                Journal.Record(request, fault, await AnswerAsync(context, FaultAnswers.Throttling(request, Guid.NewGuid().ToString())).ConfigureAwait(false));
                return;
            case FaultKind.ServerError or FaultKind.Unavailable:
                Journal.Record(request, fault, await AnswerAsync(context, FaultAnswers.ServerError(fault == FaultKind.ServerError ? 500 : 503)).ConfigureAwait(false));
                return;
            case FaultKind.ResetBeforeForward:
                Journal.Record(request, fault, 0);
                context.Abort();
                return;
            case FaultKind.Latency:
                await Task.Delay(Faults.Rates.Latency).ConfigureAwait(false);
                break;
        }

        using var answer = await ForwardAsync(context.Request, path, body).ConfigureAwait(false);
        var answerBody = await answer.Content.ReadAsByteArrayAsync().ConfigureAwait(false);
        var status = (int)answer.StatusCode;
        if (status == 200) Journal.LearnCredentials(request, System.Text.Encoding.UTF8.GetString(answerBody));
        var drop = Hook is { } applied && await applied(request, ProxyStage.Applied).ConfigureAwait(false);
        Journal.Record(request, drop ? FaultKind.ResetAfterApply : fault, status);
        if (drop || fault == FaultKind.ResetAfterApply)
        {
            context.Abort();
            return;
        }

        context.Response.StatusCode = status;
        foreach (var header in answer.Headers.Concat(answer.Content.Headers).Where(h => !HopHeaders.Contains(h.Key)))
        {
            context.Response.Headers[header.Key] = header.Value.ToArray();
        }

        context.Response.ContentLength = answerBody.Length;
        if (!HttpMethods.IsHead(context.Request.Method)) await context.Response.Body.WriteAsync(answerBody).ConfigureAwait(false);
    }

    private static async Task<byte[]> ReadBodyAsync(HttpRequest request)
    {
        using var buffer = new MemoryStream();
        await request.Body.CopyToAsync(buffer).ConfigureAwait(false);
        return buffer.ToArray();
    }

    private async Task<HttpResponseMessage> ForwardAsync(HttpRequest request, string path, byte[] body)
    {
        using var forward = new HttpRequestMessage(new HttpMethod(request.Method), new Uri(emulator, path.TrimStart('/') + request.QueryString.Value));
        forward.Content = new ByteArrayContent(body);
        foreach (var header in request.Headers.Where(h => !HopHeaders.Contains(h.Key)))
        {
            if (!forward.Headers.TryAddWithoutValidation(header.Key, header.Value.ToArray()))
            {
                forward.Content.Headers.TryAddWithoutValidation(header.Key, header.Value.ToArray());
            }
        }

        return await upstream.SendAsync(forward, HttpCompletionOption.ResponseContentRead).ConfigureAwait(false);
    }

    private static async Task<int> AnswerAsync(HttpContext context, FaultAnswer answer)
    {
        var bytes = System.Text.Encoding.UTF8.GetBytes(answer.Body);
        context.Response.StatusCode = answer.Status;
        context.Response.ContentType = answer.ContentType;
        context.Response.Headers["x-amzn-RequestId"] = Guid.NewGuid().ToString();
        context.Response.ContentLength = bytes.Length;
        await context.Response.Body.WriteAsync(bytes).ConfigureAwait(false);
        return answer.Status;
    }

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync().ConfigureAwait(false);
        await app.DisposeAsync().ConfigureAwait(false);
        upstream.Dispose();
    }
}

/// <summary>A host lifetime that listens to no signal: the proxy stops when its owner disposes it.</summary>
internal sealed class NoLifetime : IHostLifetime
{
    public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
