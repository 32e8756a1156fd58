namespace PipelineKit.Reliability.Scenarios;

/// <summary>Starting states made by hand through the emulator: lost stacks with their retained resources, a first
/// create that failed after its bucket existed, a stack left in review, leftover change sets, a stack missing an
/// output, and a lock left by a crashed run.</summary>
public static class StateScenarios
{
    public static IEnumerable<Scenario> All()
    {
        yield return new Scenario("lost-primary", "primary stack deleted, its retained buckets and key left", async c =>
        {
            await c.DeployAsync().ConfigureAwait(false);
            await c.Emulator.DeleteStackAsync(c.Workspace.Primary).ConfigureAwait(false);
        });
        yield return new Scenario("lost-regional", "us-west-2 regional stack deleted, its retained bucket and key left", async c =>
        {
            await c.DeployAsync().ConfigureAwait(false);
            await c.Emulator.DeleteStackAsync(c.Workspace.Regional("us-west-2")).ConfigureAwait(false);
        });
        yield return new Scenario("lost-target-roles", "target roles stack of 333333333333 deleted", async c =>
        {
            await c.DeployAsync().ConfigureAwait(false);
            await c.Emulator.DeleteStackAsync(c.Workspace.Roles("333333333333")).ConfigureAwait(false);
        });
        yield return new Scenario("first-create-failed-bucket-exists", "primary's first create fails once its artifact bucket exists (source bucket name taken; moto never rolls back)",
            async c =>
            {
                var ws = c.Workspace;
                await c.Emulator.CreateBucketAsync(ws.Primary.Account, ws.Primary.Region, $"{ws.Name}-source-{ws.Primary.Account}-{ws.Primary.Region}")
                    .ConfigureAwait(false);
            });
        yield return new Scenario("review-in-progress", "primary stack in REVIEW_IN_PROGRESS with no change set",
            c => c.Emulator.ReviewInProgressAsync(c.Workspace.Primary));
        yield return new Scenario("leftover-change-sets", "kit-named change sets left on the primary and a roles stack", async c =>
        {
            await c.DeployAsync().ConfigureAwait(false);
            await c.Emulator.LeftoverChangeSetAsync(c.Workspace.Primary, "pipelinekit-20260101-000000-0badc0de").ConfigureAwait(false);
            await c.Emulator.LeftoverChangeSetAsync(c.Workspace.Roles("222222222222"), "pipelinekit-20260101-000000-0badf00d").ConfigureAwait(false);
        });
        yield return new Scenario("missing-output", "primary stack updated by hand without its ArtifactKeyArn output", async c =>
        {
            await c.DeployAsync().ConfigureAwait(false);
            await c.Emulator.RemoveOutputAsync(c.Workspace.Primary, "ArtifactKeyArn").ConfigureAwait(false);
        });
        yield return new Scenario("stale-lock", "lock of a run SIGKILLed at its first DescribeStacks; check re-runs with --break-lock",
            c => c.CrashAsync(c.Workspace.Primary), CheckOptions: ["--break-lock"]);
    }
}
