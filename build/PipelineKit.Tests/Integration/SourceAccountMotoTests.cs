namespace PipelineKit.Tests.Integration;

using System.Text.Json.Nodes;
using PipelineKit.Configuration;
using PipelineKit.Deployment;
using PipelineKit.Orchestration;

/// <summary>DeploySourceAccount against the emulator: refused, before any change, while the repository does not exist; once
/// it does, a CodeCommit source in a fourth account gets the kit's source stack there (the source role, named by the kit,
/// and the forwarding rule), and running it again changes nothing.</summary>
[Collection(MotoReleaseCollection.Name)]
public class SourceAccountMotoTests(MotoFixture moto)
{
    private const string SourceAccount = "555555555555";

    [Fact]
    public async Task DeploySourceAccount_RefusesAMissingRepository_ThenCreatesTheSourceRoleAndForwardingRule_AndAgainIsUnchanged()
    {
        using var workspace = new KitWorkspace(moto, "it-src");
        workspace.Config["source"] = new JsonObject
        {
            ["type"] = "CodeCommit", ["repository"] = "hello", ["branch"] = "main", ["account"] = SourceAccount,
        };
        await workspace.Run(KitTarget.BootstrapPrimary);

        // Without --sandbox the kit never creates the repository: the run stops before the source stack, naming the field.
        var missing = await Assert.ThrowsAsync<ConfigurationException>(() => workspace.Run(KitTarget.DeploySourceAccount));
        Assert.Contains("source.repository: the CodeCommit repository \"hello\" does not exist in account 555555555555, region us-east-1",
            missing.Message, StringComparison.Ordinal);
        var stacks = await moto.Cli(SourceAccount, "cloudformation", "list-stacks", "--region", "us-east-1");
        Assert.DoesNotContain(stacks.GetProperty("StackSummaries").EnumerateArray(), s => s.GetProperty("StackName").GetString() == "pipelinekit-it-src-source");
        await moto.Cli(SourceAccount, "codecommit", "create-repository", "--repository-name", "hello", "--region", "us-east-1");

        var (_, first) = await workspace.Run(KitTarget.DeploySourceAccount);
        var (_, second) = await workspace.Run(KitTarget.DeploySourceAccount);

        Assert.Equal(StackOutcome.Created, first["source"].Outcome);
        Assert.Equal(new StackLocation(SourceAccount, "us-east-1"), first["source"].Location);
        Assert.Equal("arn:aws:iam::555555555555:role/it-src-source-action", first["source"].Outputs["SourceRoleArn"]);
        Assert.Equal(StackOutcome.Unchanged, second["source"].Outcome);

        var role = (await moto.Cli(SourceAccount, "iam", "get-role", "--role-name", "it-src-source-action")).GetProperty("Role");
        var trust = role.GetProperty("AssumeRolePolicyDocument").GetProperty("Statement")[0];
        Assert.Equal("arn:aws:iam::123456789012:role/it-src-pipeline-role",
            trust.GetProperty("Condition").GetProperty("ArnEquals").GetProperty("aws:PrincipalArn").GetString());
        var rule = await moto.Cli(SourceAccount, "events", "describe-rule", "--name", "it-src-source-forwarding", "--region", "us-east-1");
        Assert.Contains("\"referenceName\": [\"main\"]", rule.GetProperty("EventPattern").GetString(), StringComparison.Ordinal);
        var targets = await moto.Cli(SourceAccount, "events", "list-targets-by-rule", "--rule", "it-src-source-forwarding", "--region", "us-east-1");
        var target = targets.GetProperty("Targets")[0];
        Assert.Equal("arn:aws:events:us-east-1:123456789012:event-bus/default", target.GetProperty("Arn").GetString());
        Assert.Equal("arn:aws:iam::555555555555:role/it-src-source-forwarding", target.GetProperty("RoleArn").GetString());
    }
}
