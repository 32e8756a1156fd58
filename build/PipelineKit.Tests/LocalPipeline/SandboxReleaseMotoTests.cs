namespace PipelineKit.Tests.LocalPipeline;

using System.Text.Json;
using PipelineKit.Aws;
using PipelineKit.Configuration;
using PipelineKit.Deployment;
using PipelineKit.Orchestration;
using PipelineKit.SampleApp;
using PipelineKit.Tests.Integration;

/// <summary>
/// The sandbox's bootstrap and release, as <c>./build.sh BootstrapAll --sandbox</c> runs them: the foundation with the
/// CodeCommit source's stack in a fourth account (its repository created on the emulator as the stand-in for the user's) and
/// the target roles of the test stages' organizational unit (seeded by the emulator: 333333333333 and 666666666666) through
/// its stack set, then the synthesized pipeline read back from its stack and run locally through the real executors (the
/// CodeCommit source as the source account's role, the local CodeBuild building the sample app from this checkout, the
/// security gate, the approval, each environment's change set, in each account of the unit), every call of the role chain
/// checked against the deployed policies, the unit's grant by aws:PrincipalOrgPaths included. The checkout is the
/// collection's snapshot of the repository.
/// </summary>
[Collection(MotoReleaseCollection.Name)]
public sealed class SandboxReleaseMotoTests(MotoFixture moto)
{
    private const string SourceAccount = "555555555555";

    /// <summary>The unit "workloads-test" the emulator seeds (Sandbox/moto_sandbox.py), and its accounts.</summary>
    private const string Unit = "ou-pk01-test0001";
    private static readonly string[] UnitAccounts = ["333333333333", "666666666666"];

    [Fact]
    public async Task BootstrapAll_EndsWithEveryEnvironmentsAppStack_ASecondRunChangesNothing_AndTheSourceRoleIsChecked()
    {
        using var workspace = new KitWorkspace(moto, "sandbox", inRepository: true) { Sandbox = true };
        using var stacks = new TargetStacks(moto);
        var config = PipelineConfigLoader.LoadSandbox().WithUnitAccounts(new Dictionary<string, IReadOnlyList<string>> { [Unit] = UnitAccounts });
        var source = Assert.IsType<CodeCommitSource>(config.Source);

        var (first, results) = await workspace.Run(KitTarget.BootstrapAll);

        Assert.All(results.Values, r => Assert.True(r.Succeeded, r.Error));
        Assert.Equal((StackOutcome.Created, new StackLocation(SourceAccount, "us-east-1")), (results["source"].Outcome, results["source"].Location));
        var firstLines = Lines(workspace);
        // The kit found the unit's accounts in the emulator's organization, and the unit's stack set gave each the target roles.
        Assert.Contains($"Organizational unit {Unit} (environment test, test-eu): 2 active account(s): {string.Join(", ", UnitAccounts)}", firstLines);
        Assert.Equal(StackOutcome.Created, results["roles-unit:" + Unit].Outcome);
        Assert.DoesNotContain(results.Keys, k => UnitAccounts.Any(a => k == "roles:" + a));
        foreach (var account in UnitAccounts)
        {
            await moto.Cli(account, "iam", "get-role", "--role-name", "sandbox-pipeline-action");
        }

        Assert.Contains($"Sandbox: created the CodeCommit repository arn:aws:codecommit:us-east-1:{SourceAccount}:{source.Repository} on the emulator, " +
            "standing in for yours (on AWS the repository must exist; the kit never creates it).", firstLines);
        var repository = await moto.Cli(SourceAccount, "codecommit", "get-repository", "--repository-name", source.Repository, "--region", "us-east-1");
        Assert.Equal(SourceAccount, repository.GetProperty("repositoryMetadata").GetProperty("accountId").GetString());
        // The source action ran as the source account's role and wrote the Source artifact into the build account's bucket,
        // under its key; every call of the chain, the source role's among them, was allowed by the deployed policies.
        Assert.Contains(firstLines, l => l.StartsWith("    Source Source: the local checkout's HEAD ", StringComparison.Ordinal) &&
            l.EndsWith($" stands in for {source.Repository}@{source.Branch}", StringComparison.Ordinal));
        Assert.Contains(firstLines, l => l.StartsWith("Permissions: ", StringComparison.Ordinal) && l.Contains(" 0 denied", StringComparison.Ordinal));
        var artifacts = await moto.Cli(null, "s3api", "list-objects-v2", "--bucket", "sandbox-artifacts-123456789012-us-east-1", "--prefix", "sandbox-pipeline/Source/");
        var artifact = Assert.Single(artifacts.GetProperty("Contents").EnumerateArray()).GetProperty("Key").GetString()!;
        var head = await moto.Cli(null, "s3api", "head-object", "--bucket", "sandbox-artifacts-123456789012-us-east-1", "--key", artifact);
        Assert.Equal(results["primary"].Outputs["ArtifactKeyArn"], head.GetProperty("SSEKMSKeyId").GetString());

        var sampleApp = Path.Combine(workspace.Root, "artifacts", "local-pipeline", "builds", $"{config.Name}-build", "BuildAndTest", "src", "artifacts", "sample-app");
        var outputs = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(workspace.Root, "artifacts", "outputs.json"))).RootElement
            .GetProperty("stacks");
        foreach (var environment in config.Environments)
        {
            var name = $"{config.Name}-{environment.Name}-app";
            var deployed = await stacks.DescribeAsync(environment.Account, environment.Region, name);
            Assert.NotNull(deployed);
            Assert.Equal(StackStatus.CreateComplete, deployed.Status);
            // The parameters are those of the environment's file, as the build stage wrote it into BuildOutput.
            var file = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(sampleApp, $"params-{environment.Name}.json"))).RootElement;
            var expected = file.GetProperty("Parameters").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString()!);
            Assert.Equal(expected.OrderBy(p => p.Key), deployed.Parameters.OrderBy(p => p.Key));
            Assert.Equal(environment.Name, deployed.Parameters["EnvironmentName"]);

            var entry = outputs.GetProperty(SampleAppPlan.Key(environment));
            Assert.Equal(name, entry.GetProperty("stackName").GetString());
            Assert.Equal((environment.Account, environment.Region),
                (entry.GetProperty("account").GetString(), entry.GetProperty("region").GetString()));
        }

        workspace.Console.GetStringBuilder().Clear();
        // As a user reruns it against the same emulator: every stack unchanged, the repository found, and a release whose
        // change sets find nothing to do.
        var (again, unchanged) = await workspace.Run(KitTarget.BootstrapAll);

        var lines = Lines(workspace);
        Assert.All(unchanged.Where(r => !r.Key.StartsWith("app:", StringComparison.Ordinal)), r => Assert.Equal(StackOutcome.Unchanged, r.Value.Outcome));
        Assert.Contains($"{results.Count(r => !r.Key.StartsWith("app:", StringComparison.Ordinal))} unchanged", lines);
        Assert.Contains(lines, l => l.StartsWith("AWS calls: ", StringComparison.Ordinal) && l.Contains(" (0 mutating), run lock: 2", StringComparison.Ordinal));
        Assert.DoesNotContain(lines, l => l.StartsWith("Sandbox: created the CodeCommit repository", StringComparison.Ordinal));
        foreach (var environment in config.Environments)
        {
            var account = environment.IsOfOrganizationalUnit ? "-" + environment.Account : "";
            Assert.Contains($"    Deploy-{environment.Name} CreateChangeSet{account}: no changes", lines);
            Assert.Contains($"    Deploy-{environment.Name} ExecuteChangeSet{account}: no changes", lines);
        }

        Assert.DoesNotContain(again.CallLog.Calls, c => c.Operation is "ExecuteChangeSet" or "CreateRepository" or "CreateStackSet" or "UpdateStackSet" or "CreateStackInstances");
        Assert.Equal(config.Environments.Count, again.CallLog.Calls.Count(c => c.Operation == "CreateChangeSet"));
        Assert.Single(first.CallLog.Calls, c => c.Operation == "CreateRepository");

        await WhatItDeployed_Verifies_TheUnitsStackSetAndThePipelineCompared(workspace);
        await TheSourceRoleDeniedItsWrite_FailsTheSourceAction_AsAwsWould(workspace);
    }

    /// <summary>Verify against the same emulator: the unit's stack set and the pipeline stack (whose template is synthesized
    /// with stand-in key ids and filled in) are compared and pass.</summary>
    private static async Task WhatItDeployed_Verifies_TheUnitsStackSetAndThePipelineCompared(KitWorkspace workspace)
    {
        using var host = workspace.Host();
        await Task.Run(host.Verify);
        var report = PipelineKit.Verification.VerifyReportFile.Read(PipelineKit.Verification.VerifyTarget.ReportPath(host.Options.ArtifactsDirectory));
        Assert.True(report.Passed, string.Join("\n", PipelineKit.Verification.VerifyMatrix.Render(report)));
        foreach (var check in new[] { PipelineKit.Verification.VerifyChecks.PipelineStack, PipelineKit.Verification.VerifyChecks.UnitStackSets })
        {
            Assert.Contains(report.Findings, f => f.Check == check && f.Status == PipelineKit.Verification.CheckStatus.Pass);
        }
    }

    /// <summary>The check covers the source role's own calls: with its write into the artifact bucket denied on the emulator
    /// (which itself would let it through), the run fails at the source action as AWS would, naming the role.</summary>
    private async Task TheSourceRoleDeniedItsWrite_FailsTheSourceAction_AsAwsWould(KitWorkspace workspace)
    {
        const string role = "sandbox-source-action";
        await moto.Cli(SourceAccount, "iam", "put-role-policy", "--role-name", role, "--policy-name", "no-artifact-writes",
            "--policy-document", """{"Version":"2012-10-17","Statement":[{"Sid":"NoArtifactWrites","Effect":"Deny","Action":"s3:PutObject","Resource":"*"}]}""");
        try
        {
            workspace.Console.GetStringBuilder().Clear();
            using var host = workspace.Host("auto-approve", "true");
            var failure = Record.Exception(host.RunPipeline);

            Assert.NotNull(failure);
            var lines = Lines(workspace).Append(failure.Message).Select(l => l.Trim()).ToList();
            var denied = lines.FirstOrDefault(l => l.StartsWith("Source Failed: Source", StringComparison.Ordinal));
            Assert.True(denied is not null, string.Join('\n', lines));
            Assert.Contains($"assumed-role/{role}/", denied, StringComparison.Ordinal);
            Assert.Contains("is not authorized to perform: s3:PutObject on resource: arn:aws:s3:::sandbox-artifacts-123456789012-us-east-1/sandbox-pipeline/Source/", denied, StringComparison.Ordinal);
            Assert.Contains("NoArtifactWrites", denied, StringComparison.Ordinal);
            Assert.Contains(lines, l => l.Contains("calls checked against the deployed policies, 1 denied", StringComparison.Ordinal));
        }
        finally
        {
            await moto.Cli(SourceAccount, "iam", "delete-role-policy", "--role-name", role, "--policy-name", "no-artifact-writes");
        }
    }

    private static List<string> Lines(KitWorkspace workspace) =>
        workspace.Console.ToString().Split('\n').Select(l => l.TrimEnd('\r')).ToList();
}
