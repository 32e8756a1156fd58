namespace PipelineKit.Tests.Verification;

using Amazon.Runtime;
using PipelineKit.Accounts;
using PipelineKit.Aws;
using PipelineKit.Configuration;
using PipelineKit.Deployment;
using PipelineKit.Orchestration;
using PipelineKit.Testing;
using PipelineKit.Tests.Aws;
using PipelineKit.Verification;

/// <summary>What a Verify check reads with, over a scripted transport: the kit's client factory (no retries, so one
/// scripted answer is one call), every account reached with the same test credentials, and virtual time.</summary>
internal sealed class ScriptedVerifyContext : IDisposable
{
    public ScriptedVerifyContext(string contentType)
    {
        Transport = new ScriptedTransport(contentType);
        Factory = new AwsClientFactory(new AwsEndpoints(_ => null, "https://aws.test"), new AwsCallLog(), config => config.HttpClientFactory = Transport,
            AwsRetrySettings.Default with { SafeAttempts = 1, StandardAttempts = 1 });
    }

    public ScriptedTransport Transport { get; }

    public AwsClientFactory Factory { get; }

    public VirtualTime Time { get; } = new();

    public VerifyContext For(PipelineConfig config, bool emulated)
    {
        var plan = new FoundationPlan(config, new FakeCloud(Time).CloudFormationAt, new StackDeployer(Time, PollingPolicy.Default, new RecordingObserver()), _ => "");
        return new VerifyContext(config, plan, new OneSession(config.Build.Account), Factory, emulated, Time, "scripted transport");
    }

    public void Dispose() => Factory.Dispose();

    private sealed class OneSession(string build) : IAccountSessions
    {
        private readonly BasicAWSCredentials credentials = new("AKIDEXAMPLE", "secret");

        public Task<AccountSession> BuildAsync(CancellationToken ct = default) => ForAccountAsync(build, ct);

        public Task<AccountSession> ForAccountAsync(string accountId, CancellationToken ct = default) =>
            Task.FromResult(new AccountSession(accountId, credentials, "test credentials"));
    }
}
