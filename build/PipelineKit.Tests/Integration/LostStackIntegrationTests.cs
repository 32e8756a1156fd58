namespace PipelineKit.Tests.Integration;

using PipelineKit.Deployment;
using PipelineKit.Orchestration;

/// <summary>A kit stack deleted by hand, whose retained bucket and key stay behind: the next run imports them and
/// converges, against the emulator (moto_sandbox.py emulates IMPORT change sets), checked through the AWS CLI.</summary>
[Collection(MotoBootstrapCollection.Name)]
public class LostStackIntegrationTests(MotoFixture moto)
{
    [Fact]
    public async Task BootstrapAll_AfterThePrimaryStackWasDeletedByHand_ImportsItsBucketsAndKey_AndConverges()
    {
        using var workspace = new KitWorkspace(moto, "it-lost");
        const string stack = "pipelinekit-it-lost-primary";
        const string bucket = "it-lost-artifacts-123456789012-us-east-1";
        var (_, first) = await workspace.Run(KitTarget.BootstrapAll);
        var keyArn = first["primary"].Outputs["ArtifactKeyArn"];
        var kept = Path.Combine(workspace.Root, "kept.txt");
        await File.WriteAllTextAsync(kept, "an artifact of an earlier run");
        await moto.Cli(null, "s3api", "put-object", "--bucket", bucket, "--key", "kept.txt", "--body", kept);
        await moto.Cli(null, "cloudformation", "update-termination-protection", "--no-enable-termination-protection", "--stack-name", stack);
        await moto.Cli(null, "cloudformation", "delete-stack", "--stack-name", stack);
        await moto.Cli(null, "s3api", "head-bucket", "--bucket", bucket);

        var (_, results) = await workspace.Run(KitTarget.BootstrapAll);

        Assert.All(results.Values, r => Assert.True(r.Succeeded, r.Error));
        Assert.Equal(StackOutcome.Created, results["primary"].Outcome);
        Assert.Equal(keyArn, results["primary"].Outputs["ArtifactKeyArn"]);
        Assert.All(results.Where(r => r.Key.StartsWith("roles:", StringComparison.Ordinal)), r => Assert.Equal(StackOutcome.Unchanged, r.Value.Outcome));
        var resources = (await moto.Cli(null, "cloudformation", "list-stack-resources", "--stack-name", stack))
            .GetProperty("StackResourceSummaries").EnumerateArray()
            .ToDictionary(r => r.GetProperty("LogicalResourceId").GetString()!, r => r.GetProperty("PhysicalResourceId").GetString());
        Assert.Equal(bucket, resources["ArtifactBucket"]);
        Assert.Equal(keyArn.Split('/')[^1], resources["ArtifactKey"]);
        Assert.Equal("alias/it-lost-artifacts", resources["ArtifactKeyAlias"]);
        var alias = await moto.Cli(null, "kms", "describe-key", "--key-id", "alias/it-lost-artifacts");
        Assert.Equal(keyArn, alias.GetProperty("KeyMetadata").GetProperty("Arn").GetString());
        await moto.Cli(null, "s3api", "head-object", "--bucket", bucket, "--key", "kept.txt");
        Assert.Contains($"{stack} (123456789012/us-east-1): the stack is gone but what it retains is not; importing bucket {bucket}, " +
            $"bucket it-lost-source-123456789012-us-east-1, key {keyArn.Split('/')[^1]}, then deploying the stack's template over them.",
            workspace.Console.ToString());

        var (_, again) = await workspace.Run(KitTarget.BootstrapAll);

        Assert.All(again.Values, r => Assert.Equal(StackOutcome.Unchanged, r.Outcome));
    }
}

/// <summary>The launcher's CreateChangeSet with UsePreviousValue, which moto 5.2.1 answered with HTTP 500.</summary>
[Collection("moto")]
public class UsePreviousValueMotoTests(MotoFixture moto)
{
    private const string Template =
        """{"Parameters":{"P":{"Type":"String"}},"Resources":{"B":{"Type":"AWS::S3::Bucket","Properties":{"BucketName":{"Fn::Sub":"${P}-upv"}}}}}""";

    [Fact]
    public async Task ACreateChangeSetWithUsePreviousValue_IsAValidationError_AsOnAws()
    {
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => moto.Cli(null, "cloudformation", "create-change-set",
            "--stack-name", "upv-new", "--change-set-name", "c1", "--change-set-type", "CREATE", "--template-body", Template,
            "--parameters", "ParameterKey=P,UsePreviousValue=true"));

        Assert.Contains("(ValidationError)", error.Message);
        Assert.Contains("Cannot specify UsePreviousValue on Parameters when ChangeSetType is CREATE", error.Message);
    }

    [Fact]
    public async Task AnUpdateChangeSetWithUsePreviousValue_KeepsTheStacksValue()
    {
        await moto.Cli(null, "cloudformation", "create-stack", "--stack-name", "upv-old", "--template-body", Template,
            "--parameters", "ParameterKey=P,ParameterValue=upv-kept");

        await moto.Cli(null, "cloudformation", "create-change-set", "--stack-name", "upv-old", "--change-set-name", "c2",
            "--change-set-type", "UPDATE", "--template-body", Template.Replace("-upv", "-upv2", StringComparison.Ordinal),
            "--parameters", "ParameterKey=P,UsePreviousValue=true");
        var described = await moto.Cli(null, "cloudformation", "describe-change-set", "--stack-name", "upv-old", "--change-set-name", "c2");

        var parameter = described.GetProperty("Parameters")[0];
        Assert.Equal("upv-kept", parameter.GetProperty("ParameterValue").GetString());
    }

    [Fact]
    public async Task AnActionTheEmulatorLacks_IsRefusedAsAwsRefusesAnUnknownAction_NotAsAServerError()
    {
        // A server error would be retried by every AWS client; an unknown action is the caller's to handle (Verify skips drift).
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => moto.Cli(null, "cloudformation", "detect-stack-drift",
            "--stack-name", "no-such-stack"));

        Assert.Contains("(InvalidAction)", error.Message);
    }
}
