namespace PipelineKit.Tests.Reporting;

using PipelineKit.Deployment;
using PipelineKit.Reporting;
using PipelineKit.Aws;
using Serilog;
using Serilog.Core;
using Serilog.Events;
using static Fixture;

public sealed class PlainLineViewTests
{
    [Fact]
    public void On_EachEvent_WritesOneStableLine()
    {
        var output = new StringWriter { NewLine = "\n" };
        var view = new PlainLineView(output);

        view.On(new StackQueued(Primary, T0));
        view.On(new StackStarted(Primary, T0));
        view.On(new StackProgress(Primary, T0.AddSeconds(1), "creating change set"));
        view.On(new StackProgress(Primary, T0.AddSeconds(2), "waiting for", StackStatus.CreateInProgress));
        view.On(new StackResourceEvent(Primary, T0.AddSeconds(3),
            Event(Primary, "e1", "ArtifactKey", "AWS::KMS::Key", "CREATE_IN_PROGRESS")));
        view.On(new StackResourceEvent(Primary, T0.AddSeconds(4),
            Event(Primary, "e2", "ArtifactBucket", "AWS::S3::Bucket", "CREATE_FAILED", "Bucket name taken")));
        view.On(new StackFinished(Primary, T0.AddSeconds(62),
            Result(Primary, StackOutcome.Failed, StackStatus.RollbackComplete, 62, error: "ArtifactBucket: Bucket name taken",
                nextStep: "choose another bucket prefix")));
        view.On(new StackFinished(DevRoles, T0.AddSeconds(62), Result(DevRoles, StackOutcome.NotStarted, null, 0, error: "primary failed")));
        view.On(new StackFinished(Regional, T0.AddSeconds(9), Result(Regional, StackOutcome.Unchanged, StackStatus.UpdateComplete, 9)));

        Assert.Equal(
            """
            2026-11-22T01:02:03Z [primary] 123456789012/us-east-1 queued
            2026-11-22T01:02:03Z [primary] 123456789012/us-east-1 started
            2026-11-22T01:02:04Z [primary] 123456789012/us-east-1 creating change set
            2026-11-22T01:02:05Z [primary] 123456789012/us-east-1 waiting for CREATE_IN_PROGRESS
            2026-11-22T01:02:06Z [primary] 123456789012/us-east-1 ArtifactKey AWS::KMS::Key CREATE_IN_PROGRESS
            2026-11-22T01:02:07Z WRN [primary] 123456789012/us-east-1 ArtifactBucket AWS::S3::Bucket CREATE_FAILED Bucket name taken
            2026-11-22T01:03:05Z ERR [primary] 123456789012/us-east-1 finished failed ROLLBACK_COMPLETE in 01:02: ArtifactBucket: Bucket name taken Next step: choose another bucket prefix
            2026-11-22T01:03:05Z WRN [roles:dev] 222222222222/us-east-1 finished not started primary failed
            2026-11-22T01:02:12Z [regional:us-west-2] 123456789012/us-west-2 finished unchanged UPDATE_COMPLETE in 00:09

            """.Replace("\r\n", "\n").Replace("\n", Environment.NewLine),
            output.ToString());
    }

    [Fact]
    public void On_WritesNamedPropertiesWithTheEventsTime()
    {
        var sink = new CollectingSink();
        var logger = new LoggerConfiguration().MinimumLevel.Verbose().WriteTo.Sink(sink).CreateLogger();
        var view = new PlainLineView(logger);

        view.On(new StackFinished(DevRoles, T0, Result(DevRoles, StackOutcome.Created, StackStatus.CreateComplete, 5)));

        var logEvent = Assert.Single(sink.Events);
        Assert.Equal(T0, logEvent.Timestamp);
        Assert.Equal(LogEventLevel.Information, logEvent.Level);
        Assert.Equal("\"roles:dev\"", logEvent.Properties["Stack"].ToString());
        Assert.Equal("\"222222222222\"", logEvent.Properties["Account"].ToString());
        Assert.Equal("\"us-east-1\"", logEvent.Properties["Region"].ToString());
        Assert.Equal("\"created\"", logEvent.Properties["Outcome"].ToString());
        Assert.Equal("\"CREATE_COMPLETE\"", logEvent.Properties["Status"].ToString());
        Assert.Equal("\"PipelineKit.Reporting.PlainLineView\"", logEvent.Properties["SourceContext"].ToString());
    }

    [Fact]
    public void On_AnUnforeseenFailure_WritesItsStackTrace_AndAForeseenOneDoesNot()
    {
        var output = new StringWriter { NewLine = "\n" };
        var view = new PlainLineView(output);
        Exception bug;
        try
        {
            throw new InvalidOperationException("kit bug");
        }
        catch (InvalidOperationException e)
        {
            bug = e;
        }

        view.On(new StackFinished(Primary, T0, Result(Primary, StackOutcome.Failed, null, 1, error: "InvalidOperationException: kit bug",
            nextStep: "re-run") with { Cause = bug }));
        view.On(new StackFinished(Regional, T0, Result(Regional, StackOutcome.Failed, StackStatus.RollbackComplete, 1, error: "bucket taken",
            nextStep: "rename")));

        var lines = output.ToString().Split('\n');
        Assert.EndsWith("finished failed - in 00:01: InvalidOperationException: kit bug Next step: re-run", lines[0]);
        Assert.StartsWith("System.InvalidOperationException: kit bug", lines[1]);
        Assert.Contains(lines, l => l.Contains(nameof(On_AnUnforeseenFailure_WritesItsStackTrace_AndAForeseenOneDoesNot), StringComparison.Ordinal));
        Assert.Single(lines, l => l.Contains("[regional:us-west-2]", StringComparison.Ordinal));
        Assert.DoesNotContain(lines.SkipWhile(l => !l.Contains("[regional:us-west-2]", StringComparison.Ordinal)).Skip(1), l => l.Length > 0);
    }

    private sealed class CollectingSink : ILogEventSink
    {
        public List<LogEvent> Events { get; } = [];

        public void Emit(LogEvent logEvent)
        {
            lock (Events) Events.Add(logEvent);
        }
    }
}
