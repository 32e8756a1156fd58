namespace PipelineKit.Tests.Verification;

using System.Net;
using PipelineKit.Configuration;
using PipelineKit.Tests.Configuration;
using PipelineKit.Verification;

/// <summary>A CodeStar connection source's connection, as Verify reads it: AVAILABLE passes, PENDING fails saying what to
/// do, and other sources make no call.</summary>
public sealed class ConnectionCheckTests : IDisposable
{
    private const string Arn = "arn:aws:codestar-connections:eu-west-1:123456789012:connection/39e4c34d-e13a-4e94-a886-ea67651bf042";

    private readonly ScriptedVerifyContext scripted = new("application/x-amz-json-1.0");

    private static PipelineConfig WithConnection => PipelineConfigLoader.Parse(
        """
        {
          "name": "hello",
          "build": { "account": "123456789012", "region": "us-east-1" },
          "environments": [ { "name": "dev", "account": "222222222222", "region": "us-east-1" } ],
          "source": { "type": "CodeStarConnection", "connectionArn": "ARN", "repository": "owner/hello", "branch": "main" }
        }
        """.Replace("ARN", Arn, StringComparison.Ordinal), "pipeline.json", ConfigContext.WithoutProfiles);

    [Theory]
    [InlineData("AVAILABLE", CheckStatus.Pass, null)]
    [InlineData("PENDING", CheckStatus.Fail, "is PENDING; complete the handshake in the Developer Tools console (Settings, Connections) before the pipeline runs")]
    public async Task TheConnection_MustBeAvailable(string status, CheckStatus expected, string? reason)
    {
        scripted.Transport.Respond(HttpStatusCode.OK, """{"Connection":{"ConnectionArn":"x","ConnectionStatus":"STATUS"}}""".Replace("STATUS", status, StringComparison.Ordinal));

        var finding = Assert.Single(await ConnectionCheck.RunAsync(scripted.For(WithConnection, emulated: false), new HashSet<string> { "123456789012" }, default));

        Assert.Equal((expected, "123456789012", reason), (finding.Status, finding.Account, finding.Reason));
        Assert.Contains("/eu-west-1/codestar-connections/aws4_request", Assert.Single(scripted.Transport.Requests).Authorization);
    }

    [Fact]
    public async Task AnotherSource_IsNotChecked()
    {
        Assert.Empty(await ConnectionCheck.RunAsync(scripted.For(SandboxConfigs.Accounts(), emulated: false), new HashSet<string> { "123456789012" }, default));
        Assert.Empty(scripted.Transport.Requests);
    }

    public void Dispose() => scripted.Dispose();
}
