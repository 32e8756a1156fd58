namespace PipelineKit.Tests.Reporting;

using Amazon.Runtime;
using PipelineKit.Deployment;
using PipelineKit.Reporting;
using PipelineKit.Aws;
using static Fixture;

public sealed class KitLoggingTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("kit-logs-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private string OnlyLogFile() => Assert.Single(Directory.GetFiles(_directory));

    [Fact]
    public void Create_WritesTimestampedFileWithDebugAndProperties()
    {
        var console = new StringWriter();
        using (var logger = KitLogging.Create(_directory, interactive: false, new ManualTime(T0), console))
        {
            logger.Debug("resolved {Account}", "123456789012");
            logger.ForContext("Stack", "primary").Information("deploying");
        }

        Assert.Equal(Path.Combine(_directory, "kit-20261122-010203.log"), OnlyLogFile());
        var file = File.ReadAllText(OnlyLogFile());
        Assert.Contains("[DBG] resolved 123456789012", file);
        Assert.Contains("\"Stack\":\"primary\"", file);
        Assert.DoesNotContain("resolved", console.ToString());
        Assert.Contains("deploying", console.ToString());
    }

    [Fact]
    public void Create_WhenInteractive_ConsoleShowsOnlyWarningsThatAreNotDeploymentEvents()
    {
        var console = new StringWriter();
        using (var logger = KitLogging.Create(_directory, interactive: true, new ManualTime(T0), console))
        {
            logger.Information("deploying {Stack}", "primary");
            logger.Warning("profile {Profile} has no region", "build");
            new PlainLineView(logger).On(new StackFinished(DevRoles, T0,
                Result(DevRoles, StackOutcome.Failed, StackStatus.RollbackComplete, 3, error: "boom")));
        }

        Assert.Equal("profile build has no region", Assert.Single(console.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries))[25..].TrimEnd());
        Assert.Contains("finished failed ROLLBACK_COMPLETE in 00:03: boom", File.ReadAllText(OnlyLogFile()));
    }

    [Fact]
    public void Create_WhenFileForThisSecondExists_PicksAnotherName()
    {
        File.WriteAllText(Path.Combine(_directory, "kit-20261122-010203.log"), "");
        using (KitLogging.Create(_directory, interactive: false, new ManualTime(T0), new StringWriter())) { }

        Assert.True(File.Exists(Path.Combine(_directory, "kit-20261122-010203-2.log")));
    }

    [Fact]
    public void Logger_MasksSecretsThatReachIt()
    {
        using (var logger = KitLogging.Create(_directory, interactive: false, new ManualTime(T0), new StringWriter()))
        {
            logger.Information("key {SecretAccessKey}", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY");
            logger.Information("id in {Text}", "using AKIAIOSFODNN7EXAMPLE now");
            logger.Information("creds {@Creds}", new BasicAWSCredentials("AKIAIOSFODNN7EXAMPLE", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"));
        }

        var file = File.ReadAllText(OnlyLogFile());
        Assert.DoesNotContain("wJalrXUtnFEMI", file);
        Assert.DoesNotContain("AKIAIOSFODNN7EXAMPLE", file);
        Assert.Contains("using *** now", file);
    }
}
