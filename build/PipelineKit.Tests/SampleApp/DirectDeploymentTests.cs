namespace PipelineKit.Tests.SampleApp;

using PipelineKit.Aws;
using PipelineKit.Deployment;
using PipelineKit.SampleApp;
using PipelineKit.Testing;

public sealed class DirectDeploymentTests
{
    private static readonly StackLocation Dev = new("222222222222", "us-east-1");

    [Fact]
    public void ReportUrls_NamesEachDeployedAppWithItsApiUrl_InOneMessage()
    {
        var messages = new RecordingMessages();
        var ok = new StackResult("hello-dev-app", Dev, StackOutcome.Created, StackStatus.CreateComplete,
            new Dictionary<string, string> { ["ApiUrl"] = "https://dev.example/" }, TimeSpan.FromSeconds(3));
        var noUrl = ok with { StackName = "hello-test-app", Outputs = new Dictionary<string, string>() };
        var failed = ok with { StackName = "hello-prod-app", Outcome = StackOutcome.Failed };

        DirectDeployment.ReportUrls(messages,
        [
            (new StackRef("primary", "hello-primary", Dev), ok),
            (new StackRef("app:dev", "hello-dev-app", Dev), ok),
            (new StackRef("app:test", "hello-test-app", Dev), noUrl),
            (new StackRef("app:prod", "hello-prod-app", Dev), failed),
        ]);

        var message = Assert.Single(messages.Messages);
        Assert.Equal("SampleApp.Urls", message.Code);
        Assert.Equal(string.Join(Environment.NewLine,
            "Sample app:",
            "  dev        hello-dev-app in 222222222222/us-east-1: https://dev.example/",
            "  test       hello-test-app in 222222222222/us-east-1: no ApiUrl output (the emulator does not create HTTP APIs)"),
            message.Text);
    }

    [Fact]
    public void ReportUrls_WithoutAppStacks_SaysNothing()
    {
        var messages = new RecordingMessages();

        DirectDeployment.ReportUrls(messages, []);

        Assert.Empty(messages.Messages);
    }
}
