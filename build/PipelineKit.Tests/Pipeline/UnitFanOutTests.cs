namespace PipelineKit.Tests.Pipeline;

using System.Text.Json.Nodes;
using PipelineKit.Configuration;

/// <summary>An organizational unit's environment fans out: a change set, an execution and a smoke test per account, side by
/// side, one approval for the environment, split over as many stages as CodePipeline's 50 actions per stage need.</summary>
[Collection(SynthesizedPipelinesCollection.Name)]
public sealed class UnitFanOutTests(PipelineTemplates templates)
{
    private SynthesizedCase Unit => templates[PipelineTemplates.Unit];

    private JsonObject Stage(string name) => Unit.Stages.Select(s => s!.AsObject()).Single(s => (string?)s["Name"] == name);

    private static string[] Names(JsonObject stage) => [.. stage["Actions"]!.AsArray().Select(a => (string)a!["Name"]!)];

    [Fact]
    public void TwentyAccounts_DeployInTwoStages_EachWithinTheActionLimit_ApprovedOnceInTheFirst()
    {
        Assert.Equal(["Source", "Build", "Deploy-dev", "Deploy-prod", "Deploy-prod-2"],
            Unit.Stages.Select(s => (string)s!["Name"]!).Where(n => n != "UpdatePipeline"));
        var first = Names(Stage("Deploy-prod"));
        var second = Names(Stage("Deploy-prod-2"));

        Assert.All(new[] { first, second }, names => Assert.True(names.Length <= DeployStagePlan.MaxActionsPerStage, $"{names.Length} actions"));
        Assert.Equal(1 + (16 * 3), first.Length);
        Assert.Equal(4 * 3, second.Length);
        Assert.Single(first, n => n.StartsWith("Approve", StringComparison.Ordinal));
        Assert.DoesNotContain(second, n => n.StartsWith("Approve", StringComparison.Ordinal));
        foreach (var account in PipelineTemplates.UnitAccounts)
        {
            var names = first.Concat(second).ToArray();
            Assert.Contains($"CreateChangeSet-{account}", names);
            Assert.Contains($"ExecuteChangeSet-{account}", names);
            Assert.Contains($"SmokeTest-prod-{account}", names);
        }
    }

    [Fact]
    public void EachAccountsActions_RunInItsAccount_AsItsRoles_AndItsSmokeTestReadsItsOwnDeployment()
    {
        var actions = Stage("Deploy-prod-2")["Actions"]!.AsArray().Select(a => a!.AsObject()).ToArray();
        var account = PipelineTemplates.UnitAccounts[^1];
        var execute = actions.Single(a => (string?)a["Name"] == $"ExecuteChangeSet-{account}");
        var smoke = actions.Single(a => (string?)a["Name"] == $"SmokeTest-prod-{account}");

        Assert.Equal($"arn:aws:iam::{account}:role/fleet-pipeline-action", (string?)execute["RoleArn"]);
        Assert.Equal($"Deploy_prod_{account}", (string?)execute["Namespace"]);
        Assert.Equal(1, (int)actions.Single(a => (string?)a["Name"] == $"CreateChangeSet-{account}")["RunOrder"]!);
        Assert.Equal(2, (int)execute["RunOrder"]!);
        Assert.Contains($"#{{Deploy_prod_{account}.ApiUrl}}", smoke["Configuration"]!["EnvironmentVariables"]!.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Split_KeepsAStageOfAFewAccountsWhole_AndApprovesEachEnvironmentOnce()
    {
        var environments = Enumerable.Range(0, 40)
            .Select(i => new EnvironmentSettings("prod", $"5000000000{i:00}", "us-east-1", Approval: true, SecurityApproval: SecurityApproval.Never, OrganizationalUnit: "ou-ab12-cd34ef56"))
            .ToArray();

        var stages = DeployStagePlan.Split("Deploy-prod", null, environments);

        Assert.Equal(["Deploy-prod", "Deploy-prod-2", "Deploy-prod-3"], stages.Select(s => s.Name));
        Assert.Equal([16, 16, 8], stages.Select(s => s.Environments.Count));
        Assert.Equal([1, 0, 0], stages.Select(s => s.Approvals.Count));
        Assert.Single(DeployStagePlan.Split("Deploy-prod", null, environments[..5]));
    }
}
