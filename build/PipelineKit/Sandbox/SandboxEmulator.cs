namespace PipelineKit.Sandbox;

using PipelineKit.Messages;

/// <summary>--sandbox's emulator as the user sees it: started on a free loopback port with its URL (to re-use with
/// AWS_ENDPOINT_URL) and any warning about it, stopped when the run ends.</summary>
public static class SandboxEmulator
{
    public static async Task<MotoServer> StartAsync(IKitMessages messages, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(messages);
        messages.Report(MessageCodes.SandboxStarting, "Sandbox: starting the AWS emulator (moto_server) on a free loopback port...");
        var moto = await MotoServer.StartAsync(ct).ConfigureAwait(false);
        if (moto.Warning is { } warning) messages.Report(MessageCodes.SandboxWarning, $"Sandbox: warning: {warning}");
        messages.Report(MessageCodes.SandboxStarted, $"Sandbox: emulator at {moto.Url}. Re-use it for another run with AWS_ENDPOINT_URL={moto.Url}");
        return moto;
    }

    public static async Task StopAsync(MotoServer moto, IKitMessages messages)
    {
        ArgumentNullException.ThrowIfNull(moto);
        ArgumentNullException.ThrowIfNull(messages);
        await moto.DisposeAsync().ConfigureAwait(false);
        messages.Report(MessageCodes.SandboxStopped, $"Sandbox: stopped the AWS emulator at {moto.Url}.");
    }
}
