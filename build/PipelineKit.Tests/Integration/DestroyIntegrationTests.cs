namespace PipelineKit.Tests.Integration;

using PipelineKit.Orchestration;
using PipelineKit.Reporting;
using PipelineKit.Teardown;

/// <summary>Destroy against the emulator, checked through the AWS CLI: refuses without --yes and touches nothing, then
/// removes every stack, bucket and object the kit created in every account and region and schedules its keys' deletion;
/// a second run finds nothing; BootstrapAll then creates everything again.</summary>
[Collection(MotoTraceCollection.Name)]
public class DestroyIntegrationTests(MotoFixture moto)
{
    private static readonly string[] Accounts = ["123456789012", "222222222222", "333333333333", "444444444444"];
    private static readonly string[] Regions = ["us-east-1", "us-west-2", "eu-west-1"];

    [Fact]
    public async Task Destroy_RefusesWithoutYes_ThenRemovesEverything_ThenFindsNothing_AndBootstrapAllRecreates()
    {
        using var workspace = new KitWorkspace(moto, "it-destroy");
        await workspace.Run(KitTarget.BootstrapAll);
        var buckets = new[] { "it-destroy-source-123456789012-us-east-1" }
            .Concat(Regions.Select(r => $"it-destroy-artifacts-123456789012-{r}")).ToArray();
        var file = Path.GetTempFileName();
        foreach (var bucket in buckets)
        {
            await moto.Cli(null, "s3api", "put-object", "--bucket", bucket, "--key", "a.txt", "--body", file);
            await moto.Cli(null, "s3api", "put-object", "--bucket", bucket, "--key", "a.txt", "--body", file);
            await moto.Cli(null, "s3api", "delete-object", "--bucket", bucket, "--key", "a.txt");
        }

        var refused = workspace.Destroy();
        Assert.IsType<KitRunFailedException>(refused.Error);
        Assert.Empty(refused.Host.CallLog.MutatingCalls);
        Assert.Contains("Destroy deletes nothing without --yes", workspace.Console.ToString(), StringComparison.Ordinal);
        Assert.Contains("pipelinekit-it-destroy-target-roles", workspace.Console.ToString(), StringComparison.Ordinal);

        var done = workspace.Destroy("yes", "true", "key-deletion-days", "7");
        Assert.Null(done.Error);

        foreach (var account in Accounts)
        {
            foreach (var region in Regions)
            {
                var stacks = await moto.Cli(account, "cloudformation", "list-stacks", "--region", region);
                Assert.DoesNotContain(stacks.GetProperty("StackSummaries").EnumerateArray(), s =>
                    s.GetProperty("StackName").GetString()!.Contains("it-destroy", StringComparison.Ordinal) &&
                    s.GetProperty("StackStatus").GetString() != "DELETE_COMPLETE");
            }
        }

        var listed = await moto.Cli(null, "s3api", "list-buckets");
        Assert.DoesNotContain(listed.GetProperty("Buckets").EnumerateArray(), b => b.GetProperty("Name").GetString()!.StartsWith("it-destroy-", StringComparison.Ordinal));
        foreach (var region in Regions)
        {
            var aliases = await moto.Cli(null, "kms", "list-aliases", "--region", region);
            Assert.DoesNotContain(aliases.GetProperty("Aliases").EnumerateArray(), a => a.GetProperty("AliasName").GetString()!.StartsWith("alias/it-destroy-", StringComparison.Ordinal));
        }

        Assert.Contains("PendingDeletion until", workspace.Console.ToString(), StringComparison.Ordinal);

        var again = workspace.Destroy("yes", "true");
        Assert.Null(again.Error);
        Assert.Equal(DestroyOutcome.NothingLeft, again.Outcome);
        Assert.Empty(again.Host.CallLog.MutatingCalls);

        var (_, rebuilt) = await workspace.Run(KitTarget.BootstrapAll);
        Assert.All(rebuilt.Values, r => Assert.True(r.Succeeded, r.Error));
    }
}
