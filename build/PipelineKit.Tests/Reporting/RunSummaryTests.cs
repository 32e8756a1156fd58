namespace PipelineKit.Tests.Reporting;

using PipelineKit.Deployment;
using PipelineKit.Reporting;
using PipelineKit.Aws;
using static Fixture;

public sealed class RunSummaryTests
{
    private static readonly StackRef TestRoles = new("roles:test", "hello-roles-test", new StackLocation("333333333333", "us-west-2"));
    private static readonly StackRef Policy = new("primary-policy", "hello-primary", new StackLocation("123456789012", "us-east-1"));

    [Fact]
    public void Render_WithFailures_PrintsTableCountsFailuresAndResume()
    {
        var summary = new RunSummary(
        [
            (Primary, Result(Primary, StackOutcome.Created, StackStatus.CreateComplete, 42)),
            (Regional, Result(Regional, StackOutcome.Unchanged, StackStatus.UpdateComplete, 3)),
            (DevRoles, Result(DevRoles, StackOutcome.Failed, StackStatus.RollbackComplete, 75,
                error: "PipelineActionRole CREATE_FAILED: Role hello-dev-action already exists",
                nextStep: "delete the role hello-dev-action in 222222222222 or rename the pipeline, then re-run")),
            (TestRoles, Result(TestRoles, StackOutcome.Updated, StackStatus.UpdateComplete, 3725)),
            (ProdRoles, Result(ProdRoles, StackOutcome.NotStarted, null, 0)),
            (Policy, Result(Policy, StackOutcome.NotStarted, null, 0)),
        ]);

        var text = summary.ToString(new AwsCallCounts(42, 7, 42, 0));

        Assert.Equal(
            """
            Stack               Account       Region     Outcome      Status             Elapsed
            ------------------  ------------  ---------  -----------  -----------------  -------
            primary             123456789012  us-east-1  created      CREATE_COMPLETE      00:42
            regional:us-west-2  123456789012  us-west-2  unchanged    UPDATE_COMPLETE      00:03
            roles:dev           222222222222  us-east-1  failed       ROLLBACK_COMPLETE    01:15
            roles:test          333333333333  us-west-2  updated      UPDATE_COMPLETE    1:02:05
            roles:prod          444444444444  eu-west-1  not started  -                        -
            primary-policy      123456789012  us-east-1  not started  -                        -

            1 created, 1 updated, 1 unchanged, 1 failed, 2 not started

            Failures:
              roles:dev (hello-roles-dev in 222222222222/us-east-1): PipelineActionRole CREATE_FAILED: Role hello-dev-action already exists
                Next step: delete the role hello-dev-action in 222222222222 or rename the pipeline, then re-run

            Resume: fix the cause above and re-run the same command; finished stacks are skipped.

            AWS calls: 42 (7 mutating)

            """.Replace("\r\n", "\n"),
            text);
        Assert.False(summary.Succeeded);
    }

    [Fact]
    public void Render_WhenAllSucceeded_PrintsNoResumeHint()
    {
        var summary = new RunSummary(
        [
            (Primary, Result(Primary, StackOutcome.Unchanged, StackStatus.CreateComplete, 1)),
            (Regional, Result(Regional, StackOutcome.Recreated, StackStatus.CreateComplete, 61)),
        ]);

        Assert.Equal(
            """
            Stack               Account       Region     Outcome    Status           Elapsed
            ------------------  ------------  ---------  ---------  ---------------  -------
            primary             123456789012  us-east-1  unchanged  CREATE_COMPLETE    00:01
            regional:us-west-2  123456789012  us-west-2  recreated  CREATE_COMPLETE    01:01

            1 recreated, 1 unchanged

            """.Replace("\r\n", "\n"),
            summary.ToString());
        Assert.True(summary.Succeeded);
    }

    [Fact]
    public void Render_WhenEmpty_SaysSo()
    {
        Assert.Equal("No stacks in this run.\n\nAWS calls: 0 (0 mutating)\n", new RunSummary([]).ToString(new AwsCallCounts(0, 0, 0, 0)));
    }

    [Fact]
    public void Render_WithoutRetries_PrintsCallsAsBefore()
    {
        Assert.EndsWith("\nAWS calls: 29 (0 mutating)\n", new RunSummary([]).ToString(new AwsCallCounts(29, 0, 29, 0)));
    }

    [Fact]
    public void Render_WithRetries_AddsThemAndTheRequestsSent()
    {
        Assert.EndsWith("\nAWS calls: 77 (20 mutating, 42 retries: 119 requests)\n", new RunSummary([]).ToString(new AwsCallCounts(77, 20, 119, 42)));
    }
}
