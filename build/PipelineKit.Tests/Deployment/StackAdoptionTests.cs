namespace PipelineKit.Tests.Deployment;

using System.Text.Json;
using PipelineKit.Aws;
using PipelineKit.Deployment;
using PipelineKit.Messages;
using PipelineKit.Testing;

/// <summary>A kit stack that is gone, whose retained bucket, key and roles are not: the deployer imports them before it
/// creates the stack, or stops, before changing anything, with the commands that clear the way.</summary>
public class StackAdoptionTests
{
    private const string Name = "pipelinekit-hello-primary";
    private const string Bucket = "hello-artifacts-123456789012-us-east-1";
    private const string Alias = "alias/hello-artifacts";
    private static readonly StackLocation Location = new("123456789012", "us-east-1");
    private static readonly StackRef Ref = new("primary", Name, Location);

    private readonly VirtualTime time = new();
    private readonly RecordingObserver observer = new();
    private readonly RecordingMessages messages = new();
    private readonly FakeResources world = new();
    private readonly FakeCloudFormation cfn;

    public StackAdoptionTests() => cfn = new FakeCloudFormation(time) { Resources = world };

    private static StackDeployment Desired() =>
        new(Name, Location, "Resources: {}\n", new Dictionary<string, string> { ["PipelineName"] = "hello" },
            new Dictionary<string, string> { ["pipelinekit:pipeline"] = "hello" }, TerminationProtection: true, StackDeployment.NamedIam,
            Retained:
            [
                RetainedResource.Bucket("ArtifactBucket", Bucket, encryptedBy: "ArtifactKey"),
                RetainedResource.Key("ArtifactKey", Alias, "ArtifactKeyAlias"),
                RetainedResource.Role("PipelineExecutionRole", "hello-pipeline-cfn-execution"),
            ]);

    private Task<StackResult> Deploy() =>
        new StackDeployer(time, PollingPolicy.Default, observer, recovery: new LostStackRecovery(world, messages)).DeployAsync(cfn, Ref, Desired());

    [Fact]
    public async Task Deploy_WhenTheStackIsGoneButItsBucketAndKeyAreNot_ImportsThemThenUpdatesTheStack()
    {
        var key = world.AddKey(Location, "key-1");
        world.AddBucket(Bucket, Location.AccountId, key);

        var result = await Deploy();

        Assert.Equal(StackOutcome.Created, result.Outcome);
        Assert.Equal(StackStatus.UpdateComplete, result.Status);
        Assert.Equal(["CreateChangeSet", "ExecuteChangeSet", "CreateChangeSet", "ExecuteChangeSet", "UpdateTerminationProtection"], cfn.MutatingCalls);
        var import = cfn.ChangeSetRequests[0];
        Assert.Equal(ChangeSetType.Import, import.Type);
        Assert.Equal(
            ["AWS::S3::Bucket ArtifactBucket BucketName=" + Bucket, "AWS::KMS::Key ArtifactKey KeyId=key-1"],
            import.ResourcesToImport!.Select(r => $"{r.ResourceType} {r.LogicalResourceId} {string.Join(",", r.ResourceIdentifier.Select(i => $"{i.Key}={i.Value}"))}"));
        // The import's template holds just those resources, each with a DeletionPolicy, and no outputs or parameters.
        using var template = JsonDocument.Parse(import.TemplateBody!);
        var resources = template.RootElement.GetProperty("Resources");
        Assert.Equal(["ArtifactBucket", "ArtifactKey"], resources.EnumerateObject().Select(p => p.Name));
        Assert.All(resources.EnumerateObject(), r => Assert.Equal("Retain", r.Value.GetProperty("DeletionPolicy").GetString()));
        Assert.False(template.RootElement.TryGetProperty("Outputs", out _));
        Assert.Empty(import.Parameters);
        // The stack's own template follows as an update over what was imported.
        Assert.Equal(ChangeSetType.Update, cfn.ChangeSetRequests[1].Type);
        Assert.Equal(Desired().TemplateBody, cfn.ChangeSetRequests[1].TemplateBody);
        Assert.Equal(cfn.Peek(Name)!.StackId, world.OwnerOf("AWS::S3::Bucket", Bucket));
        Assert.Equal(cfn.Peek(Name)!.StackId, world.OwnerOf("AWS::KMS::Key", "key-1"));
        var said = Assert.Single(messages.Messages);
        Assert.Equal(MessageCodes.StackAdopting, said.Kind);
        Assert.Equal($"{Name} (123456789012/us-east-1): the stack is gone but what it retains is not; importing bucket {Bucket}, key key-1, " +
            "then deploying the stack's template over them.", said.Text);
    }

    [Fact]
    public async Task Deploy_WhenTheAliasAndALeftRoleExistToo_ImportsTheAliasAndTheRoleWithItsTrustPolicy()
    {
        var key = world.AddKey(Location, "key-1", alias: Alias);
        world.AddBucket(Bucket, Location.AccountId, key);
        world.AddRole(Location.AccountId, "hello-pipeline-cfn-execution", """{"Version":"2012-10-17","Statement":[{"Effect":"Allow"}]}""");

        await Deploy();

        var import = cfn.ChangeSetRequests[0];
        Assert.Equal(["ArtifactBucket", "ArtifactKey", "ArtifactKeyAlias", "PipelineExecutionRole"], import.ResourcesToImport!.Select(r => r.LogicalResourceId));
        using var template = JsonDocument.Parse(import.TemplateBody!);
        var resources = template.RootElement.GetProperty("Resources");
        Assert.Equal("ArtifactKey", resources.GetProperty("ArtifactKeyAlias").GetProperty("Properties").GetProperty("TargetKeyId").GetProperty("Ref").GetString());
        Assert.Equal("Allow", resources.GetProperty("PipelineExecutionRole").GetProperty("Properties").GetProperty("AssumeRolePolicyDocument")
            .GetProperty("Statement")[0].GetProperty("Effect").GetString());
    }

    [Fact]
    public async Task Deploy_WhenNothingWasLeftBehind_CreatesTheStackAsBefore()
    {
        var result = await Deploy();

        Assert.Equal(StackOutcome.Created, result.Outcome);
        Assert.Equal([ChangeSetType.Create], cfn.ChangeSetRequests.Select(r => r.Type));
        Assert.Empty(messages.Messages);
    }

    [Fact]
    public async Task Deploy_WhenARolledBackStackLeftItsBucket_ChecksFirst_DeletesTheStack_ImportsAndUpdates()
    {
        cfn.Seed(Name, StackStatus.RollbackComplete);
        world.AddBucket(Bucket, Location.AccountId);

        var result = await Deploy();

        Assert.Equal(StackOutcome.Recreated, result.Outcome);
        Assert.Equal(["DeleteStack", "CreateChangeSet", "ExecuteChangeSet", "CreateChangeSet", "ExecuteChangeSet", "UpdateTerminationProtection"],
            cfn.MutatingCalls);
        Assert.Equal([ChangeSetType.Import, ChangeSetType.Update], cfn.ChangeSetRequests.Select(r => r.Type));
    }

    [Fact]
    public async Task Deploy_WhenTheBucketIsAnotherAccounts_StopsBeforeAnyChange_NamingTheCommands()
    {
        world.AddBucket(Bucket, "999999999999");

        var error = await Assert.ThrowsAsync<DeploymentException>(Deploy);

        Assert.Equal(DeploymentErrorCode.ResourceNameTaken, error.Code);
        Assert.Contains($"the bucket {Bucket} exists and this account does not own it (BucketAlreadyExists", error.Reason);
        Assert.Equal($"check its owner: aws s3api get-bucket-location --bucket {Bucket} --expected-bucket-owner 123456789012; " +
            "if it is not this account's, choose another \"name\" in pipeline.json (every bucket name starts with it) and run again " +
            "(with credentials for account 123456789012).", error.NextStep);
        Assert.DoesNotContain("Re-run", error.NextStep, StringComparison.OrdinalIgnoreCase);
        Assert.Empty(cfn.MutatingCalls);
    }

    [Fact]
    public async Task Deploy_WhenTheRetainedKeyIsPendingDeletion_StopsBeforeAnyChange_WithTheCommandsThatKeepIt()
    {
        var key = world.AddKey(Location, "key-1", state: "PendingDeletion");
        world.AddBucket(Bucket, Location.AccountId, key);

        var error = await Assert.ThrowsAsync<DeploymentException>(Deploy);

        Assert.Contains("the key key-1 (the encryption key of the retained bucket) is pending deletion", error.Reason);
        Assert.Equal("keep it: aws kms cancel-key-deletion --key-id key-1 --region us-east-1 && aws kms enable-key --key-id key-1 --region us-east-1, " +
            "and run again (with credentials for account 123456789012).", error.NextStep);
        Assert.Empty(cfn.MutatingCalls);
        Assert.Empty(cfn.ChangeSetRequests);
    }

    [Fact]
    public async Task Deploy_WhenARolledBackStacksKeyIsDisabled_StopsBeforeDeletingTheStack()
    {
        cfn.Seed(Name, StackStatus.RollbackComplete);
        world.AddKey(Location, "key-1", state: "Disabled", alias: Alias);

        var error = await Assert.ThrowsAsync<DeploymentException>(Deploy);

        Assert.Contains("the key key-1 (named by alias/hello-artifacts) is disabled", error.Reason);
        Assert.StartsWith("enable it: aws kms enable-key --key-id key-1 --region us-east-1, and run again", error.NextStep);
        Assert.Empty(cfn.MutatingCalls);
        Assert.Equal(StackStatus.RollbackComplete, cfn.Peek(Name)!.Status);
    }

    [Fact]
    public async Task Deploy_WhenTheAliasNamesAnotherKeyThanTheBucketsEncryption_StopsWithTheUpdateAliasCommand()
    {
        world.AddKey(Location, "key-other", alias: Alias);
        world.AddBucket(Bucket, Location.AccountId, world.AddKey(Location, "key-1"));

        var error = await Assert.ThrowsAsync<DeploymentException>(Deploy);

        Assert.StartsWith("point the alias at the bucket's key: aws kms update-alias --alias-name alias/hello-artifacts --target-key-id key-1 --region us-east-1",
            error.NextStep);
        Assert.Empty(cfn.MutatingCalls);
    }

    [Fact]
    public async Task Deploy_OfAnExistingStack_ReadsNothingOutsideCloudFormation()
    {
        cfn.Seed(Name, StackStatus.UpdateComplete, "Resources: {}\n", Desired().Parameters, Desired().Tags, terminationProtection: true);
        world.AddBucket(Bucket, Location.AccountId);

        await Deploy();

        Assert.Empty(world.Reads);
    }
}

/// <summary>What the kit says after a change set failed on a name that is taken: "run again" only where that helps.</summary>
public class NameTakenNextStepTests
{
    private static readonly StackLocation Location = new("123456789012", "us-east-1");
    private readonly VirtualTime time = new();
    private readonly FakeCloudFormation cfn;

    public NameTakenNextStepTests() => cfn = new FakeCloudFormation(time);

    private Task<StackResult> Deploy() =>
        new StackDeployer(time, PollingPolicy.Default, new RecordingObserver()).DeployAsync(cfn, new StackRef("primary", "s", Location),
            new StackDeployment("s", Location, "T", new Dictionary<string, string>(), new Dictionary<string, string>(), false, [],
                Retained: [RetainedResource.Bucket("ArtifactBucket", "b")]));

    [Fact]
    public async Task ACreateFailingOnANameTheKitDoesNotImport_SaysRunningAgainFailsTheSameWay()
    {
        cfn.FailResource("PipelineBoundary", "hello-pipeline-boundary already exists");

        var error = await Assert.ThrowsAsync<DeploymentException>(Deploy);

        Assert.StartsWith("PipelineBoundary (AWS::S3::Bucket) is created under a fixed name that exists outside the stack, and the kit does not import it; " +
            "running again fails the same way. Delete it", error.NextStep);
        Assert.DoesNotContain("re-run", error.NextStep, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task ACreateFailingOnARetainedBucketsName_SaysTheNextRunImportsIt()
    {
        cfn.FailResource("ArtifactBucket", "b already exists");

        var error = await Assert.ThrowsAsync<DeploymentException>(Deploy);

        Assert.StartsWith("ArtifactBucket (b) outlived an earlier stack. Run the target again: before creating the stack anew the kit imports", error.NextStep);
    }
}
