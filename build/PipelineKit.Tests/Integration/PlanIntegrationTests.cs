namespace PipelineKit.Tests.Integration;

using System.Text.Json.Nodes;
using PipelineKit.Orchestration;
using PipelineKit.Planning;

/// <summary>Plan against the emulator: after a bootstrap it finds nothing; after a configuration change, exactly the stacks
/// and resources the change touches, with the IAM changes flagged, and it mutates nothing but change sets.</summary>
[Collection(MotoBootstrapCollection.Name)]
public class PlanIntegrationTests(MotoFixture moto)
{
    [Fact]
    public async Task Plan_AfterBootstrap_IsEmpty_AndAfterAConfigChange_ListsWhatWouldChange_MutatingNothing()
    {
        using var workspace = new KitWorkspace(moto, "it-plan");
        await workspace.Run(KitTarget.BootstrapAll);

        var (same, nothing) = await workspace.Plan();

        Assert.Equal(0, same.ExitCode);
        Assert.All(nothing.Stacks, s => Assert.Equal(PlanStatus.Unchanged, s.Status));
        Assert.Equal(7, nothing.Stacks.Count);
        Assert.Empty(same.CallLog.MutatingCalls);

        // A new environment in a new account, a new deployer, and a managed policy more for every execution role.
        workspace.Config["environments"]!.AsArray().Add(new JsonObject { ["name"] = "qa", ["account"] = "555555555555", ["region"] = "us-east-1" });
        workspace.Config["deployers"]!.AsArray().Add("arn:aws:iam::123456789012:role/release");
        workspace.Config["cloudFormationExecution"] = new JsonObject
        {
            ["managedPolicyArns"] = new JsonArray("arn:aws:iam::aws:policy/PowerUserAccess", "arn:aws:iam::aws:policy/IAMReadOnlyAccess"),
        };
        var (changed, plan) = await workspace.Plan();
        var stacks = plan.Stacks.ToDictionary(s => s.Key);

        Assert.Equal(PipelineKit.Errors.ExitCodes.ChangesPending, changed.ExitCode);
        // Besides change sets, the one write a plan may make: the pipeline's template, over CloudFormation's inline limit, staged
        // in the artifact bucket for its change set (content-addressed, as a deployment stages it).
        Assert.All(changed.CallLog.MutatingCalls, c => Assert.Contains(c.Operation, new[] { "CreateChangeSet", "DeleteChangeSet", "PutObject" }));
        Assert.All(changed.CallLog.MutatingCalls.Where(c => c.Operation == "PutObject"), c => Assert.Equal("S3", c.Service));
        Assert.Equal(
            changed.CallLog.MutatingCalls.Count(c => c.Operation == "CreateChangeSet"),
            changed.CallLog.MutatingCalls.Count(c => c.Operation == "DeleteChangeSet"));

        // The new account's roles: a new stack, read from its template, nothing created for it.
        var newRoles = stacks["roles:555555555555"];
        Assert.Equal(PlanStatus.Create, newRoles.Status);
        Assert.Contains(newRoles.Resources, r => r.LogicalId == "CloudFormationExecutionRole" && r.Action == "Add" && r.Security);
        Assert.Empty((await moto.Cli("555555555555", "cloudformation", "list-stacks")).GetProperty("StackSummaries").EnumerateArray());

        // The existing accounts' execution roles widen by the new managed policy.
        foreach (var account in new[] { "222222222222", "333333333333", "444444444444" })
        {
            var roles = stacks[$"roles:{account}"];
            Assert.Equal(PlanStatus.Update, roles.Status);
            var role = Assert.Single(roles.Resources, r => r.LogicalId == "CloudFormationExecutionRole");
            Assert.True(role.Security);
            Assert.Contains("new managed policy arn:aws:iam::aws:policy/IAMReadOnlyAccess", role.Widening);
        }

        // The build account grants the new account and trusts the new deployer: security-relevant and named.
        var primary = stacks["primary"];
        Assert.Equal(PlanStatus.Update, primary.Status);
        Assert.Contains(primary.Resources, r => r.LogicalId == "ArtifactKey" && r.Widening.Any(w => w.Contains("555555555555", StringComparison.Ordinal)));
        Assert.Contains(primary.Resources, r => r.LogicalId == "DeployerRole" && r.Security && r.Widening.Any(w => w.Contains("release", StringComparison.Ordinal)));
        Assert.True(File.Exists(Path.Combine(workspace.Root, "artifacts", "plan.md")));
        Assert.Contains("\"changesPending\": true", File.ReadAllText(Path.Combine(workspace.Root, "artifacts", "plan.json")), StringComparison.Ordinal);
    }
}
