namespace PipelineKit.Tests.Reporting;

using PipelineKit.Errors;
using PipelineKit.Messages;
using PipelineKit.Reporting;
using PipelineKit.Testing;
using static Fixture;

/// <summary>The channel's sinks: the console shows the text exactly; the log file records it with its code and keeps it
/// off the console; the host's channel fans out to whatever is attached.</summary>
public sealed class MessageSinkTests : IDisposable
{
    private readonly string directory = Directory.CreateTempSubdirectory("kit-messages-").FullName;

    public void Dispose() => Directory.Delete(directory, recursive: true);

    [Fact]
    public void ConsoleView_WritesTheTextAsItIs_AndSetsOffAClosingBlock()
    {
        var console = new StringWriter();
        var view = new ConsoleMessageView(console);

        view.Report(MessageCodes.CredentialsChecking, "Checking credentials for the build account...");
        view.Report(MessageCodes.RunSummary, "BootstrapAll: hello (sandbox)\nStack  Outcome");

        Assert.Equal(
            $"Checking credentials for the build account...{Environment.NewLine}{Environment.NewLine}BootstrapAll: hello (sandbox)\nStack  Outcome{Environment.NewLine}",
            console.ToString());
    }

    [Fact]
    public void LogFile_RecordsTextWithItsCode_AndNotOnTheConsole()
    {
        var console = new StringWriter();
        using (var logger = KitLogging.Create(directory, interactive: false, new ManualTime(T0), console))
        {
            var file = new LogFileMessages(logger);
            file.Report(MessageCodes.SandboxWarning, "Sandbox: warning: {braces} stay as they are");
            file.Failed(new KitRunFailedException(ErrorCodes.StacksFailed, "BootstrapAll failed: 1 stack(s) failed, 0 not started.", "Fix it."));
        }

        var log = File.ReadAllText(Assert.Single(Directory.GetFiles(directory)));
        Assert.Contains("[WRN] Sandbox: warning: {braces} stay as they are", log);
        Assert.Contains("\"Code\":\"Sandbox.Warning\"", log);
        Assert.Contains("[ERR] Failed: StacksFailed (Deployment): BootstrapAll failed: 1 stack(s) failed, 0 not started. Next step: Fix it.", log);
        Assert.Equal("", console.ToString());
    }

    [Fact]
    public void HostChannel_ReportsToEachAttachedSink_UntilDetached()
    {
        var console = new RecordingMessages();
        var file = new RecordingMessages();
        var channel = new KitMessages(console);

        channel.Report(MessageCodes.SandboxStarting, "before");
        using (channel.Attach(file))
        {
            channel.Report(MessageCodes.SandboxStarted, "during");
        }

        channel.Report(MessageCodes.SandboxStopped, "after");

        Assert.Equal(["before", "during", "after"], console.Messages.Select(m => m.Text));
        Assert.Equal(["during"], file.Messages.Select(m => m.Text));
    }
}
