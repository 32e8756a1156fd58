namespace PipelineKit.Tests.Aws;

using System.Net;
using System.Text;
using Amazon.Runtime;
using PipelineKit.Aws;

/// <summary>Hundreds of accounts' calls at once: the kit's clients together never have more than the limit on the wire,
/// and every call is still answered.</summary>
public sealed class AwsRequestLimitTests
{
    [Fact]
    public async Task ClientsOfManyAccountsAtOnce_NeverHaveMoreThanTheLimitOnTheWire_AndEveryCallIsAnswered()
    {
        var transport = new SlowTransport(TimeSpan.FromMilliseconds(20));
        using var factory = new AwsClientFactory(new AwsEndpoints(_ => null, "https://iam.test"), new AwsCallLog(),
            config => config.HttpClientFactory = transport) { RequestLimit = new AwsRequestLimit(3) };

        // 24 accounts' sessions: 24 clients, each with its own adaptive token bucket.
        var answers = await Task.WhenAll(Enumerable.Range(0, 24)
            .Select(i => factory.Iam(new BasicAWSCredentials($"AKID{i:D4}", "secret")).GetRoleAsync($"role-{i}")));

        Assert.All(answers, Assert.Null);
        Assert.Equal(24, transport.Sent);
        Assert.Equal(3, transport.MostAtOnce);
        Assert.Equal(3, factory.RequestLimit.Peak);
    }

    /// <summary>An assumed role's refresh is itself a request (STS): a client resolves its credentials before it takes a slot,
    /// so requests waiting on a refresh never hold the slots the refresh needs.</summary>
    [Fact]
    public async Task CredentialsThatNeedARequestToResolve_AreResolvedBeforeTheSlotIsTaken()
    {
        var transport = new SlowTransport(TimeSpan.FromMilliseconds(5));
        using var factory = new AwsClientFactory(new AwsEndpoints(_ => null, "https://iam.test"), new AwsCallLog(),
            config => config.HttpClientFactory = transport) { RequestLimit = new AwsRequestLimit(1) };
        var refreshing = new RefreshingCredentials(() => factory.Iam(new BasicAWSCredentials("AKIDSTS", "secret")).GetRoleAsync("sts-stand-in"));

        var answer = await factory.Iam(refreshing).GetRoleAsync("role").WaitAsync(TimeSpan.FromSeconds(30));

        // Answered, not stuck; the stand-in refreshes on every read of the credentials (the SDK reads them more than once).
        Assert.Null(answer);
        Assert.True(transport.Sent >= 2, $"{transport.Sent} requests");
        Assert.Equal(1, transport.MostAtOnce);
    }

    [Fact]
    public void TheDefault_LeavesADefaultRunUnbounded_AndRefusesNoLimit()
    {
        Assert.Equal(32, new AwsRequestLimit().MaxInFlight);
        Assert.Throws<ArgumentOutOfRangeException>(() => new AwsRequestLimit(0));
    }

    /// <summary>Credentials whose resolution makes a request first, as an assumed role's refresh calls STS.</summary>
    private sealed class RefreshingCredentials(Func<Task> refresh) : AWSCredentials
    {
        public override ImmutableCredentials GetCredentials() => GetCredentialsAsync().GetAwaiter().GetResult();

        public override async Task<ImmutableCredentials> GetCredentialsAsync()
        {
            await refresh();
            return new ImmutableCredentials("AKIDROLE", "secret", "token");
        }
    }

    /// <summary>Answers every IAM request with NoSuchEntity after <paramref name="latency"/>, counting how many were open at once.</summary>
    private sealed class SlowTransport(TimeSpan latency) : HttpClientFactory
    {
        private int open;
        private int mostAtOnce;
        private int sent;

        public TimeSpan Latency => latency;

        public int MostAtOnce => Volatile.Read(ref mostAtOnce);

        public int Sent => Volatile.Read(ref sent);

        public override HttpClient CreateHttpClient(IClientConfig clientConfig) => new(new Handler(this));

        public override bool UseSDKHttpClientCaching(IClientConfig clientConfig) => false;

        public override bool DisposeHttpClientsAfterUse(IClientConfig clientConfig) => false;

        private sealed class Handler(SlowTransport owner) : HttpMessageHandler
        {
            protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
            {
                Interlocked.Increment(ref owner.sent);
                var now = Interlocked.Increment(ref owner.open);
                lock (owner) owner.mostAtOnce = Math.Max(owner.mostAtOnce, now);
                try
                {
                    await Task.Delay(owner.Latency, cancellationToken);
                }
                finally
                {
                    Interlocked.Decrement(ref owner.open);
                }

                var content = new StringContent(
                    "<ErrorResponse xmlns=\"https://iam.amazonaws.com/doc/2010-05-08/\"><Error><Type>Sender</Type><Code>NoSuchEntity</Code>" +
                    "<Message>The role cannot be found.</Message></Error><RequestId>r</RequestId></ErrorResponse>", Encoding.UTF8, "text/xml");
                return new HttpResponseMessage(HttpStatusCode.NotFound) { Content = content };
            }
        }
    }
}
