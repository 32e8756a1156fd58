namespace PipelineKit.Tests.LocalPipeline;

using PipelineKit.Aws;
using PipelineKit.Errors;
using PipelineKit.LocalPipeline;

/// <summary>The local run acts on the emulator and nowhere else.</summary>
public sealed class EmulatorGuardTests
{
    private static AwsEndpoints Endpoints(params (string Name, string Value)[] variables) =>
        new(name => variables.FirstOrDefault(v => v.Name == name).Value);

    [Fact]
    public void OneLoopbackEndpointForEveryService_IsTheEmulator() =>
        Assert.Null(EmulatorGuard.Refusal(Endpoints(("AWS_ENDPOINT_URL", "http://127.0.0.1:5000"))));

    [Fact]
    public void NoEndpoint_IsAwsItself() =>
        Assert.Contains("would be AWS itself", EmulatorGuard.Refusal(Endpoints()), StringComparison.Ordinal);

    [Fact]
    public void OnlyCloudFormationOnTheEmulator_LeavesStsOnAws_AndIsRefused() =>
        Assert.Contains("S3 would be AWS itself",
            EmulatorGuard.Refusal(Endpoints(("AWS_ENDPOINT_URL_CLOUDFORMATION", "http://127.0.0.1:5000"))), StringComparison.Ordinal);

    [Fact]
    public void APerServiceEndpointElsewhere_IsRefused() =>
        Assert.Contains("different endpoints", EmulatorGuard.Refusal(Endpoints(
            ("AWS_ENDPOINT_URL", "http://127.0.0.1:5000"), ("AWS_ENDPOINT_URL_S3", "https://s3.eu-west-1.amazonaws.com"))), StringComparison.Ordinal);

    [Fact]
    public void AnEndpointOffThisMachine_IsRefused() =>
        Assert.Contains("not on this machine", EmulatorGuard.Refusal(Endpoints(("AWS_ENDPOINT_URL", "https://vpce-123.cloudformation.us-east-1.vpce.amazonaws.com"))),
            StringComparison.Ordinal);

    [Fact]
    public void RunPipelineWithoutSandboxOrEmulator_StopsBeforeAnyTask_AndOtherTargetsPass()
    {
        var failure = Assert.Throws<LocalPipelineException>(() => EmulatorGuard.CheckTarget("RunPipeline", sandbox: false, Endpoints()));

        Assert.Equal(ErrorCodes.LocalPipelineRefused.Code, failure.Code);
        Assert.Contains("nothing was deployed", failure.Message, StringComparison.Ordinal);
        EmulatorGuard.CheckTarget("RunPipeline", sandbox: true, Endpoints());
        EmulatorGuard.CheckTarget("CreatePipeline", sandbox: false, Endpoints());
    }

    [Fact]
    public async Task AnEndpointThatIsNotTheEmulator_IsRefusedBeforeAnyCall()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        var port = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();

        var failure = await Assert.ThrowsAsync<LocalPipelineException>(() =>
            EmulatorGuard.EnsureAsync(Endpoints(("AWS_ENDPOINT_URL", $"http://127.0.0.1:{port}")), CancellationToken.None));

        Assert.Contains("does not answer", failure.Message, StringComparison.Ordinal);
    }
}
