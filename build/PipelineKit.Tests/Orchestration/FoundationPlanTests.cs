namespace PipelineKit.Tests.Orchestration;

using PipelineKit.Configuration;
using PipelineKit.Deployment;
using PipelineKit.Orchestration;
using PipelineKit.Testing;
using PipelineKit.Aws;
using PipelineKit.Naming;
using PipelineKit.Tests.Configuration;

public class FoundationPlanTests
{
    private readonly VirtualTime time = new();
    private readonly FakeCloud cloud;
    private readonly RecordingObserver observer = new();

    public FoundationPlanTests() => cloud = new FakeCloud(time);

    private static PipelineConfig Sandbox => SandboxConfigs.Accounts();

    /// <summary>Stands in for the CDK synthesis (tested on its own): a template naming the stores it was given.</summary>
    private static string PipelineStub(FoundationOutputs outputs) =>
        "Resources: {} # " + string.Join(",", outputs.ArtifactStores.Values.Select(s => $"{s.BucketName}={s.KeyArn}"));

    private async Task<Dictionary<string, StackResult>> Run(KitTarget target, PipelineConfig? config = null,
        Dictionary<string, StackResult>? known = null)
    {
        var plan = new FoundationPlan(config ?? Sandbox, cloud.CloudFormationAt, new StackDeployer(time, PollingPolicy.Default, observer),
            PipelineStub);
        known ??= [];
        var results = await new DagRunner(4, time, observer).RunAsync(plan.For(target, known), known);
        foreach (var (stackRef, result) in results) known[stackRef.Key] = result;
        return results.ToDictionary(r => r.Ref.Key, r => r.Result);
    }

    [Fact]
    public async Task BootstrapAll_DeploysEveryFoundationStackInItsAccountAndRegion()
    {
        var results = await Run(KitTarget.BootstrapAll);

        Assert.Equal(
            ["primary", "regional:us-west-2", "regional:eu-west-1", "roles:222222222222", "roles:333333333333", "roles:444444444444",
             "policy:primary", "policy:regional:us-west-2", "policy:regional:eu-west-1", "source", "pipeline"],
            results.Keys);
        Assert.All(results.Values, r => Assert.True(r.Succeeded, r.Error));
        Assert.Equal(new StackLocation("123456789012", "eu-west-1"), results["regional:eu-west-1"].Location);
        Assert.Equal(new StackLocation("333333333333", "us-east-1"), results["roles:333333333333"].Location);
        Assert.Equal("pipelinekit-sandbox-target-roles", results["roles:444444444444"].StackName);
        // The sandbox's CodeCommit source is in a fourth account, which gets the source stack in the build region.
        Assert.Equal(("pipelinekit-sandbox-source", new StackLocation("555555555555", "us-east-1")), (results["source"].StackName, results["source"].Location));
    }

    [Fact]
    public async Task BootstrapAll_WiresEveryRegionsBucketAndKeyIntoEachTargetRolesStack()
    {
        await Run(KitTarget.BootstrapAll);

        var roles = cloud.At(new StackLocation("222222222222", "us-east-1")).Peek("pipelinekit-sandbox-target-roles")!;
        Assert.Equal(
            "arn:aws:s3:::sandbox-artifacts-123456789012-us-east-1,arn:aws:s3:::sandbox-artifacts-123456789012-us-west-2," +
            "arn:aws:s3:::sandbox-artifacts-123456789012-eu-west-1",
            roles.Parameters["ArtifactBucketArns"]);
        Assert.Equal(
            "arn:aws:kms:us-east-1:123456789012:key/*,arn:aws:kms:us-west-2:123456789012:key/*,arn:aws:kms:eu-west-1:123456789012:key/*",
            roles.Parameters["ArtifactKeyArns"]);
        Assert.EndsWith("arn:aws:s3:::sandbox-artifacts-123456789012-eu-west-1/*", roles.Parameters["ArtifactObjectArns"]);
        Assert.Equal("123456789012", roles.Parameters["BuildAccountId"]);
        Assert.True(roles.TerminationProtection);
    }

    [Fact]
    public async Task BootstrapAll_SynthesizesThePipelineFromEveryRegionsBucketAndKey()
    {
        var results = await Run(KitTarget.BootstrapAll);

        var pipeline = cloud.At(new StackLocation("123456789012", "us-east-1")).Peek("sandbox-pipeline")!;
        Assert.Equal(StackOutcome.Created, results["pipeline"].Outcome);
        Assert.Equal(
            "Resources: {} # sandbox-artifacts-123456789012-us-east-1=arn:aws:kms:us-east-1:123456789012:key/us-east-1-key," +
            "sandbox-artifacts-123456789012-us-west-2=arn:aws:kms:us-west-2:123456789012:key/us-west-2-key," +
            "sandbox-artifacts-123456789012-eu-west-1=arn:aws:kms:eu-west-1:123456789012:key/eu-west-1-key",
            await cloud.At(new StackLocation("123456789012", "us-east-1")).GetTemplateBodyAsync("sandbox-pipeline"));
        Assert.True(pipeline.TerminationProtection);
    }

    [Fact]
    public async Task CreatePipelineAlone_ReadsTheStacksItNeeds()
    {
        await Run(KitTarget.BootstrapAll);

        var results = await Run(KitTarget.CreatePipeline);

        // The roles only order the pipeline after them when they deploy in the same run: alone, it reads the build account only.
        Assert.Equal(["primary", "regional:us-west-2", "regional:eu-west-1", "pipeline"], results.Keys);
        Assert.All(results.Values, r => Assert.Equal(StackOutcome.Unchanged, r.Outcome));
    }

    [Fact]
    public async Task BootstrapAll_GrantsTheTargetAccounts_InOnePass_AndUpdatePrimaryPolicyChangesNothing()
    {
        var results = await Run(KitTarget.BootstrapAll);

        var primary = cloud.At(new StackLocation("123456789012", "us-east-1")).Peek("pipelinekit-sandbox-primary")!;
        Assert.Equal(StackOutcome.Unchanged, results["policy:primary"].Outcome);
        Assert.Equal(StackOutcome.Unchanged, results["policy:regional:eu-west-1"].Outcome);
        Assert.Equal("222222222222,333333333333,444444444444", primary.Parameters["TargetAccountIds"]);
        Assert.DoesNotContain(primary.Parameters.Keys, k => k is "TargetRoleArns" or "TargetPrincipals");
    }

    [Fact]
    public void BootstrapAll_TenAccountsInThreeRegions_IsTwoLevelsDeep_TheFoundationThenThePipeline()
    {
        // With the S3 source: no source account's stack, which would follow the primary stack (SourceAccountPlanTests).
        var config = Sandbox with
        {
            Source = new S3Source(),
            Environments = Enumerable.Range(0, 10)
                .Select(i => new EnvironmentSettings($"env{i}", $"2000000000{i:00}", new[] { "us-east-1", "us-west-2", "eu-west-1" }[i % 3]))
                .ToArray(),
        };
        var plan = new FoundationPlan(config, cloud.CloudFormationAt, new StackDeployer(time, PollingPolicy.Default, observer), PipelineStub);
        var nodes = plan.For(KitTarget.BootstrapAll, new Dictionary<string, StackResult>()).ToDictionary(n => n.Key);
        var levels = new Dictionary<string, int>();
        int Level(string key) => levels.TryGetValue(key, out var known) ? known : levels[key] = 1 + nodes[key].DependsOn.Select(Level).DefaultIfEmpty(0).Max();

        Assert.Equal(2, nodes.Keys.Max(Level));
        Assert.All(nodes.Keys.Where(k => !k.StartsWith("policy:", StringComparison.Ordinal) && k != "pipeline"), k => Assert.Equal(1, Level(k)));
        Assert.Equal(10, nodes.Keys.Count(k => k.StartsWith("roles:", StringComparison.Ordinal) && Level(k) == 1));
        Assert.Equal(2, Level("pipeline"));
    }

    [Fact]
    public async Task DeployTargetRolesAlone_FromEmpty_NeedsNoBuildAccountStack()
    {
        var results = await Run(KitTarget.DeployTargetRoles);

        Assert.Equal(["roles:222222222222", "roles:333333333333", "roles:444444444444"], results.Keys);
        Assert.All(results.Values, r => Assert.Equal(StackOutcome.Created, r.Outcome));
        Assert.Null(cloud.At(new StackLocation("123456789012", "us-east-1")).Peek("pipelinekit-sandbox-primary"));
    }

    [Fact]
    public async Task BootstrapAll_RunTwice_MakesNoMutatingCallTheSecondTime()
    {
        await Run(KitTarget.BootstrapAll);
        var before = cloud.MutatingCalls.Count;

        var second = await Run(KitTarget.BootstrapAll);

        Assert.All(second.Values, r => Assert.Equal(StackOutcome.Unchanged, r.Outcome));
        Assert.Equal(before, cloud.MutatingCalls.Count);
    }

    [Theory]
    [InlineData("CodeCommit", "arn:aws:iam::555555555555:role/source-reader", "arn:aws:iam::555555555555:role/source-reader")]
    [InlineData("S3", null, "")]
    public async Task PrimaryStack_GrantsACrossAccountCodeCommitSourceRole_AndNothingOtherwise(string type, string? roleArn, string expected)
    {
        var config = Sandbox with
        {
            Source = type == "CodeCommit" ? new CodeCommitSource("hello", "main", "555555555555", roleArn!) : new S3Source(),
        };

        await Run(KitTarget.BootstrapPrimary, config);

        var primary = cloud.At(new StackLocation("123456789012", "us-east-1")).Peek("pipelinekit-sandbox-primary")!;
        Assert.Equal(expected, primary.Parameters["SourceRoleArn"]);
    }

    [Fact]
    public async Task BootstrapAll_RunAgain_ReadsEachBuildAccountStackOnce()
    {
        await Run(KitTarget.BootstrapAll);
        var primaryRegion = cloud.At(new StackLocation("123456789012", "us-east-1"));
        var before = primaryRegion.Calls.Count(c => c == "GetTemplate");

        var results = await Run(KitTarget.BootstrapAll);

        // primary and the pipeline stack; policy:primary reuses what primary found instead of reading it again.
        Assert.Equal(2, primaryRegion.Calls.Count(c => c == "GetTemplate") - before);
        Assert.Equal(StackOutcome.Unchanged, results["policy:primary"].Outcome);
    }

    [Fact]
    public async Task BootstrapPrimary_AfterBootstrapAll_ChangesNothing()
    {
        await Run(KitTarget.BootstrapAll);
        var before = cloud.MutatingCalls.Count;

        var results = await Run(KitTarget.BootstrapPrimary);

        Assert.Equal(StackOutcome.Unchanged, results["primary"].Outcome);
        Assert.Equal(before, cloud.MutatingCalls.Count);
    }

    [Fact]
    public async Task AddingATargetAccount_GrantsItsRoles_AndTouchesOnlyAffectedStacks()
    {
        await Run(KitTarget.BootstrapAll);
        var grown = Sandbox with
        {
            Environments = [.. Sandbox.Environments, new EnvironmentSettings("qa", "555555555555", "us-west-2")],
        };

        var results = await Run(KitTarget.BootstrapAll, grown);

        Assert.Equal(StackOutcome.Updated, results["primary"].Outcome);
        Assert.Equal(StackOutcome.Created, results["roles:555555555555"].Outcome);
        Assert.Equal(StackOutcome.Unchanged, results["roles:222222222222"].Outcome);
        Assert.Equal(StackOutcome.Unchanged, results["policy:primary"].Outcome);
        var primary = cloud.At(new StackLocation("123456789012", "us-east-1")).Peek("pipelinekit-sandbox-primary")!;
        Assert.Contains("555555555555", primary.Parameters["TargetAccountIds"].Split(','));
    }

    [Fact]
    public async Task ChangingRetention_UpdatesOnlyTheBuildAccountStacks()
    {
        await Run(KitTarget.BootstrapAll);

        var results = await Run(KitTarget.BootstrapAll, Sandbox with { ArtifactRetentionDays = 90 });

        Assert.Equal(StackOutcome.Updated, results["primary"].Outcome);
        Assert.Equal(StackOutcome.Updated, results["regional:us-west-2"].Outcome);
        Assert.All(results.Where(r => r.Key.StartsWith("roles:")), r => Assert.Equal(StackOutcome.Unchanged, r.Value.Outcome));
    }

    [Fact]
    public async Task TargetsRunOneAfterAnotherInOneProcess_ReuseEarlierResultsWithoutReadingAgain()
    {
        var known = new Dictionary<string, StackResult>();
        foreach (var target in new[] { KitTarget.BootstrapPrimary, KitTarget.RegionalStacks, KitTarget.DeployTargetRoles, KitTarget.UpdatePrimaryPolicy })
        {
            var results = await Run(target, known: known);
            Assert.All(results.Values, r => Assert.True(r.Succeeded, r.Error));
        }

        Assert.Contains("444444444444",
            cloud.At(new StackLocation("123456789012", "us-east-1")).Peek("pipelinekit-sandbox-primary")!.Parameters["TargetAccountIds"].Split(','));
    }

    [Fact]
    public async Task UpdatePrimaryPolicyAlone_ReadsDeployedPrerequisitesInsteadOfDeployingThem()
    {
        await Run(KitTarget.BootstrapAll);
        var before = cloud.MutatingCalls.Count;

        var results = await Run(KitTarget.UpdatePrimaryPolicy);

        Assert.Contains("primary", results.Keys);
        Assert.All(results.Values, r => Assert.Equal(StackOutcome.Unchanged, r.Outcome));
        Assert.Equal(before, cloud.MutatingCalls.Count);
    }

    [Fact]
    public async Task UpdatePrimaryPolicyAlone_WaitsForAPrerequisiteThatAnotherRunIsUpdating()
    {
        await Run(KitTarget.BootstrapAll);
        var buildRegion = cloud.At(new StackLocation("123456789012", "us-east-1"));
        var primary = buildRegion.Peek("pipelinekit-sandbox-primary")!;
        var template = await buildRegion.GetTemplateBodyAsync(primary.StackName);
        // Another run (or a console user) is updating the primary stack right now.
        buildRegion.Seed(primary.StackName, StackStatus.UpdateInProgress, template, primary.Parameters, primary.Tags, primary.Outputs,
            primary.TerminationProtection, settlesTo: StackStatus.UpdateComplete);

        var results = await Run(KitTarget.UpdatePrimaryPolicy);

        Assert.Equal(StackOutcome.Unchanged, results["primary"].Outcome);
        Assert.Equal(StackStatus.UpdateComplete, results["primary"].Status);
        Assert.All(results.Values, r => Assert.True(r.Succeeded, r.Error));
    }

    [Fact]
    public async Task BootstrapAll_WhenThePrimaryStackLacksAnOutputThePipelineReads_DeploysItAgainAndThePipelineSucceeds()
    {
        // An earlier run left the primary stack as desired but without ArtifactKeyArn; every re-run called it unchanged
        // and then failed the stack that reads it with "the stack has no output ArtifactKeyArn".
        await Run(KitTarget.BootstrapPrimary);
        var at = new StackLocation(Sandbox.Build.Account, Sandbox.Build.Region);
        var primary = cloud.At(at).Peek(KitNames.PrimaryStack(Sandbox.Name))!;
        cloud.At(at).Seed(primary.StackName, StackStatus.UpdateComplete, await cloud.At(at).GetTemplateBodyAsync(primary.StackName),
            primary.Parameters, primary.Tags, primary.Outputs.Where(o => o.Key != "ArtifactKeyArn").ToDictionary(), terminationProtection: true);
        cloud.At(at).ChangesFor = (_, _) => [new ResourceChange("Modify", "Outputs", null, "Outputs", "False")];

        var results = await Run(KitTarget.BootstrapAll);

        Assert.Equal(StackOutcome.Updated, results["primary"].Outcome);
        Assert.Contains("ArtifactKeyArn", results["primary"].Outputs.Keys);
        Assert.True(results["pipeline"].Succeeded, results["pipeline"].Error);
    }

    [Fact]
    public async Task UpdatePrimaryPolicyAlone_WithoutAPrimaryStack_SaysWhichTargetToRunFirst()
    {
        var results = await Run(KitTarget.UpdatePrimaryPolicy);

        Assert.Equal(StackOutcome.Failed, results["primary"].Outcome);
        Assert.Equal("this prerequisite does not exist.", results["primary"].Error);
        Assert.Equal("Run ./build.sh BootstrapPrimary first (or BootstrapAll).", results["primary"].NextStep);
        Assert.Equal(StackOutcome.NotStarted, results["policy:primary"].Outcome);
        Assert.Empty(cloud.MutatingCalls);
    }
}
