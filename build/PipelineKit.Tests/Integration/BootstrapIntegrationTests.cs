namespace PipelineKit.Tests.Integration;

using System.Text.Json;
using System.Text.Json.Nodes;
using PipelineKit.Deployment;
using PipelineKit.Orchestration;
using PipelineKit.Reporting;
using PipelineKit.Aws;

/// <summary>Whole targets end to end against a real emulator, checked through the AWS CLI.</summary>
[Collection(MotoBootstrapCollection.Name)]
public class BootstrapIntegrationTests(MotoFixture moto)
{
    private static readonly string[] Regions = ["us-east-1", "us-west-2", "eu-west-1"];

    [Fact]
    public async Task BootstrapAll_DeploysTheFoundationIntoEveryAccountAndRegion()
    {
        using var workspace = new KitWorkspace(moto, "it-all");

        var (host, results) = await workspace.Run(KitTarget.BootstrapAll);

        Assert.All(results.Values, r => Assert.True(r.Succeeded, r.Error));
        // A first bootstrap: the lock (the run's first S3 write) is taken once the primary's creation made its bucket, before
        // any other stack's change set.
        var calls = host.CallLog.Calls.ToList();
        var lockTaken = calls.FindIndex(c => c is { Service: "S3", Operation: "PutObject" });
        var changeSets = calls.Select((c, i) => (c, i)).Where(p => p.c.Operation == "CreateChangeSet").Select(p => p.i).ToList();
        Assert.True(lockTaken >= 0 && changeSets.Count > 1 && changeSets[0] < lockTaken && changeSets[1] > lockTaken,
            $"lock taken at call {lockTaken}, change sets at {string.Join(", ", changeSets)}");
        // Build account: a primary stack and a regional stack per extra region, each with its key and bucket.
        foreach (var region in Regions)
        {
            var stackName = region == "us-east-1" ? "pipelinekit-it-all-primary" : "pipelinekit-it-all-regional";
            var stack = (await moto.Cli(null, "cloudformation", "describe-stacks", "--stack-name", stackName, "--region", region))
                .GetProperty("Stacks")[0];
            Assert.Equal("CREATE_COMPLETE", stack.GetProperty("StackStatus").GetString());
            Assert.True(stack.GetProperty("EnableTerminationProtection").GetBoolean());
            Assert.Contains("444444444444", Parameter(stack, "TargetAccountIds").Split(','));
            await moto.Cli(null, "s3api", "head-bucket", "--bucket", $"it-all-artifacts-123456789012-{region}", "--region", region);
        }

        await moto.Cli(null, "s3api", "head-bucket", "--bucket", "it-all-source-123456789012-us-east-1");
        // Each target account: both roles, the roles stack wired to every region's bucket and key.
        foreach (var account in new[] { "222222222222", "333333333333", "444444444444" })
        {
            var role = await moto.Cli(account, "iam", "get-role", "--role-name", "it-all-pipeline-action");
            Assert.Equal($"arn:aws:iam::{account}:role/it-all-pipeline-action", role.GetProperty("Role").GetProperty("Arn").GetString());
            await moto.Cli(account, "iam", "get-role", "--role-name", "it-all-cfn-execution");

            var stack = (await moto.Cli(account, "cloudformation", "describe-stacks", "--stack-name", "pipelinekit-it-all-target-roles",
                "--region", "us-east-1")).GetProperty("Stacks")[0];
            Assert.Equal(
                string.Join(",", Regions.Select(r => $"arn:aws:s3:::it-all-artifacts-123456789012-{r}")),
                Parameter(stack, "ArtifactBucketArns"));
            // The keys by region, not by id (the key policies name the roles): no wait for the build account.
            Assert.Equal(string.Join(",", Regions.Select(r => $"arn:aws:kms:{r}:123456789012:key/*")), Parameter(stack, "ArtifactKeyArns"));
        }

        var outputs = OutputsFile.Read(Path.Combine(workspace.Root, "artifacts", "outputs.json"));
        Assert.Equal(10, outputs.Count);
        Assert.Equal("arn:aws:iam::444444444444:role/it-all-cfn-execution", outputs["roles:444444444444"].Outputs["ExecutionRoleArn"]);
        Assert.Contains("7 created, 3 unchanged", workspace.Console.ToString());
        Assert.Equal(StackOutcome.Created, results["pipeline"].Outcome);
    }

    [Fact]
    public async Task DeploySampleAppDirect_DeploysEveryEnvironmentAsItsExecutionRole_AndAgainChangesNothing()
    {
        using var workspace = new KitWorkspace(moto, "it-app", inRepository: true);
        await workspace.Run(KitTarget.BootstrapAll);

        var (_, results) = await workspace.Run(KitTarget.DeploySampleApp, "direct", "true");
        var (again, rerun) = await workspace.Run(KitTarget.DeploySampleApp, "direct", "true");

        Assert.Equal(["app:dev", "app:test", "app:test-eu", "app:prod"], results.Keys);
        Assert.All(results.Values, r => Assert.Equal(StackOutcome.Created, r.Outcome));
        foreach (var (environment, account, region) in new[]
                 {
                     ("dev", "222222222222", "us-east-1"), ("test", "333333333333", "us-west-2"),
                     ("test-eu", "333333333333", "eu-west-1"), ("prod", "444444444444", "eu-west-1"),
                 })
        {
            var stack = (await moto.Cli(account, "cloudformation", "describe-stacks", "--stack-name", $"it-app-{environment}-app",
                "--region", region)).GetProperty("Stacks")[0];
            Assert.Equal($"arn:aws:iam::{account}:role/it-app-cfn-execution", stack.GetProperty("RoleARN").GetString());
            Assert.Equal(environment, Parameter(stack, "EnvironmentName"));
            Assert.StartsWith($"it-app-artifacts-123456789012-{region}", Parameter(stack, "CodeBucket"));
            var function = await moto.Cli(account, "lambda", "get-function", "--function-name", $"it-app-{environment}-app", "--region", region);
            Assert.Equal(environment, function.GetProperty("Configuration").GetProperty("Environment").GetProperty("Variables")
                .GetProperty("ENVIRONMENT_NAME").GetString());
        }

        Assert.All(rerun.Values, r => Assert.Equal(StackOutcome.Unchanged, r.Outcome));
        Assert.Empty(RunLockCalls.MutatingBesidesTheLock(again.CallLog));
    }

    [Fact]
    public async Task PublishSampleApp_InCodeBuild_PutsTheCodeInEveryDeployRegion_WithTheProjectsRole_AndAgainUploadsNothing()
    {
        using var workspace = new KitWorkspace(moto, "it-publish", inRepository: true);
        await workspace.Run(KitTarget.BootstrapAll);
        // As in the pipeline's build project: build.profile names a workstation's profile, which CodeBuild does not have;
        // the project's role (here the kit-build profile through AWS_PROFILE) is the build account.
        workspace.Config["build"]!["profile"] = "workstation-only";
        workspace.Environment["CODEBUILD_BUILD_ID"] = "it-publish-build:0001";
        workspace.Environment["AWS_PROFILE"] = "kit-build";

        var first = workspace.Publish();
        var firstOutput = workspace.Console.ToString();
        var second = workspace.Publish();
        var secondOutput = workspace.Console.ToString()[firstOutput.Length..];

        foreach (var region in new[] { "us-east-1", "us-west-2", "eu-west-1" })
        {
            var listed = await moto.Cli(null, "s3api", "list-objects-v2", "--bucket", $"it-publish-artifacts-123456789012-{region}",
                "--prefix", "sample-app/", "--region", region);
            var key = Assert.Single(listed.GetProperty("Contents").EnumerateArray()).GetProperty("Key").GetString();
            Assert.Matches("^sample-app/hello-service-[0-9a-f]{64}\\.zip$", key);
        }

        Assert.Contains("CodeBuild: the build account is reached with the project's role; build.profile \"workstation-only\" is left aside.", firstOutput);
        Assert.Equal(3, firstOutput.Split(" uploaded.").Length - 1);
        Assert.Equal(3, secondOutput.Split(" already there.").Length - 1);
        Assert.DoesNotContain(first.CallLog.Calls.Concat(second.CallLog.Calls), c => c.Operation == "AssumeRole");
        Assert.Equal(3, first.CallLog.Traced.Count(c => c.Call.Operation == "PutObject" && !RunLockCalls.IsTheLocks(c)));
        Assert.DoesNotContain(second.CallLog.Traced, c => c.Call.Operation == "PutObject" && !RunLockCalls.IsTheLocks(c));
        Assert.Equal(2, RunLockCalls.LockWrites(second.CallLog).Count);
    }

    [Fact]
    public async Task BootstrapAll_RunAgain_MakesNoMutatingCall()
    {
        using var workspace = new KitWorkspace(moto, "it-rerun");
        await workspace.Run(KitTarget.BootstrapAll);

        var (host, results) = await workspace.Run(KitTarget.BootstrapAll);

        Assert.All(results.Values, r => Assert.Equal(StackOutcome.Unchanged, r.Outcome));
        // Taking and releasing the run lock are its only writes; the summary shows the lock's calls apart.
        Assert.Empty(RunLockCalls.MutatingBesidesTheLock(host.CallLog));
        Assert.Equal(["PutObject", "PutObject"], RunLockCalls.LockWrites(host.CallLog).Select(c => c.Operation));
        Assert.Contains(host.CallLog.Calls, c => c.Operation == "AssumeRole");
        Assert.Contains("10 unchanged", workspace.Console.ToString());
        Assert.Contains("(0 mutating), run lock: 2", workspace.Console.ToString());
    }

    [Fact]
    public async Task ChangingAParameter_UpdatesOnlyTheStacksItAffects()
    {
        using var workspace = new KitWorkspace(moto, "it-change");
        await workspace.Run(KitTarget.BootstrapAll);
        workspace.Config["cloudFormationExecution"] = new JsonObject
        {
            ["managedPolicyArns"] = new JsonArray("arn:aws:iam::aws:policy/ReadOnlyAccess"),
        };

        var (_, results) = await workspace.Run(KitTarget.BootstrapAll);

        Assert.All(results.Where(r => r.Key.StartsWith("roles:")), r => Assert.Equal(StackOutcome.Updated, r.Value.Outcome));
        Assert.All(results.Where(r => !r.Key.StartsWith("roles:")), r => Assert.Equal(StackOutcome.Unchanged, r.Value.Outcome));
        var stack = (await moto.Cli("444444444444", "cloudformation", "describe-stacks", "--stack-name", "pipelinekit-it-change-target-roles",
            "--region", "us-east-1")).GetProperty("Stacks")[0];
        Assert.Equal("arn:aws:iam::aws:policy/ReadOnlyAccess", Parameter(stack, "ExecutionPolicyArns"));
    }

    [Fact]
    public async Task TargetsOneAtATimeInOneProcess_BuildTheSameFoundation()
    {
        using var workspace = new KitWorkspace(moto, "it-steps");
        using var host = workspace.Host();

        foreach (var target in new[] { KitTarget.BootstrapPrimary, KitTarget.RegionalStacks, KitTarget.DeployTargetRoles, KitTarget.UpdatePrimaryPolicy })
        {
            await host.RunAsync(target);
        }

        var primary = (await moto.Cli(null, "cloudformation", "describe-stacks", "--stack-name", "pipelinekit-it-steps-primary"))
            .GetProperty("Stacks")[0];
        Assert.Contains("333333333333", Parameter(primary, "TargetAccountIds").Split(','));
        await moto.Cli("333333333333", "iam", "get-role", "--role-name", "it-steps-cfn-execution");
    }

    [Fact]
    public async Task UpdatePrimaryPolicyAlone_WithNothingDeployed_FailsNamingTheTargetToRunFirst()
    {
        using var workspace = new KitWorkspace(moto, "it-alone");
        using var host = workspace.Host();

        var error = await Assert.ThrowsAsync<KitRunFailedException>(() => host.RunAsync(KitTarget.UpdatePrimaryPolicy));

        Assert.StartsWith("UpdatePrimaryPolicy failed: 3 stack(s) failed, 3 not started.", error.Message);
        Assert.Contains("Next step: Run ./build.sh BootstrapPrimary first (or BootstrapAll).", workspace.Console.ToString());
        Assert.Empty(host.CallLog.MutatingCalls);
    }

    [Fact]
    public async Task CredentialsForTheWrongAccount_AreRejectedBeforeAnythingIsDeployed()
    {
        using var workspace = new KitWorkspace(moto, "it-wrong");
        workspace.Config["environments"]![0]!["profile"] = "kit-wrong-account";
        using var host = workspace.Host();

        var error = await Assert.ThrowsAsync<PipelineKit.Accounts.AccountAccessException>(() => host.RunAsync(KitTarget.BootstrapAll));

        Assert.Contains("act in account 123456789012", error.Message);
        Assert.Contains("environments[0].account is 222222222222", error.Message);
        Assert.Empty(host.CallLog.MutatingCalls);
        await AssertNoStacks("it-wrong");
    }

    [Fact]
    public async Task AnExclusiveTarget_ChecksOnlyTheAccountsItTouches()
    {
        using var workspace = new KitWorkspace(moto, "it-exclusive");
        await workspace.Run(KitTarget.BootstrapAll);
        // Credentials for a target account that would be refused: an exclusive run of a build-account target never asks for them.
        workspace.Config["environments"]![0]!["profile"] = "kit-wrong-account";

        var (host, results) = await workspace.Run(KitTarget.CreatePipeline, "exclusive", "true");

        Assert.All(results.Values, r => Assert.Equal(StackOutcome.Unchanged, r.Outcome));
        Assert.DoesNotContain(host.CallLog.Calls, c => c.Operation == "AssumeRole");
        Assert.Contains("Checking credentials for the build account...", workspace.Console.ToString());
    }

    private async Task AssertNoStacks(string pipeline)
    {
        foreach (var region in Regions)
        {
            var stacks = await moto.Cli(null, "cloudformation", "list-stacks", "--region", region);
            Assert.DoesNotContain(stacks.GetProperty("StackSummaries").EnumerateArray(),
                s => s.GetProperty("StackName").GetString()!.Contains(pipeline, StringComparison.Ordinal));
        }
    }

    private static string Parameter(JsonElement stack, string key) =>
        stack.GetProperty("Parameters").EnumerateArray().Single(p => p.GetProperty("ParameterKey").GetString() == key)
            .GetProperty("ParameterValue").GetString()!;
}
