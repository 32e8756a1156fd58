namespace PipelineKit.Tests.LocalPipeline;

using Amazon.Runtime;
using PipelineKit.Aws;
using PipelineKit.Tests.Integration;

/// <summary>Reads app stacks where a local run deployed them: in each environment's own account and region, through
/// OrganizationAccountAccessRole as a person checking would, with a client log of its own (not the run's).</summary>
internal sealed class TargetStacks(MotoFixture moto) : IDisposable
{
    private const string BuildAccount = "123456789012";
    private readonly AwsClientFactory factory = moto.Clients();
    private readonly Dictionary<string, AWSCredentials> sessions = new(StringComparer.Ordinal);

    public static AWSCredentials Build { get; } = new BasicAWSCredentials("testing", "testing");

    public async Task<StackDescription?> DescribeAsync(string account, string region, string stack) =>
        await factory.CloudFormation(await SessionAsync(account), region).DescribeStackAsync(stack);

    private async Task<AWSCredentials> SessionAsync(string account)
    {
        if (account == BuildAccount) return Build;
        if (sessions.TryGetValue(account, out var known)) return known;
        var assumed = await new SecurityTokens(factory.SecurityTokenService(Build, "us-east-1"))
            .AssumeRoleAsync($"arn:aws:iam::{account}:role/OrganizationAccountAccessRole", "local-run-check", TimeSpan.FromHours(1));
        return sessions[account] = new SessionAWSCredentials(assumed.AccessKeyId, assumed.SecretAccessKey, assumed.SessionToken);
    }

    public void Dispose() => factory.Dispose();
}
