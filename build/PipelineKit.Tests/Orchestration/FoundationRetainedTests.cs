namespace PipelineKit.Tests.Orchestration;

using System.Text.RegularExpressions;
using PipelineKit.Aws;
using PipelineKit.Configuration;
using PipelineKit.Deployment;
using PipelineKit.Messages;
using PipelineKit.Orchestration;
using PipelineKit.Testing;
using PipelineKit.Tests.Configuration;

/// <summary>Which resources each foundation stack retains under fixed names (what the deployer imports when the stack is
/// gone), held against the templates, and a lost primary stack brought back within a whole run.</summary>
public class FoundationRetainedTests
{
    private static PipelineConfig Sandbox => SandboxConfigs.Accounts();

    private static FoundationDeployments Deployments => new(Sandbox, _ => "Resources: {}");

    [Fact]
    public void ThePrimaryStack_RetainsItsBucketsItsKeyAndItsNamedRoles()
    {
        var retained = Deployments.Foundation("us-east-1").Retained!;

        Assert.Equal(
            ["Bucket ArtifactBucket sandbox-artifacts-123456789012-us-east-1 ArtifactKey", "Key ArtifactKey alias/sandbox-artifacts ArtifactKeyAlias",
             "Bucket SourceBucket sandbox-source-123456789012-us-east-1 ArtifactKey", "Role PipelineExecutionRole sandbox-pipeline-cfn-execution ",
             "Role DeployerRole sandbox-deployer "],
            retained.Select(r => $"{r.Kind} {r.LogicalId} {r.Name} {r.Related}"));
    }

    [Fact]
    public void ARegionalStack_RetainsItsArtifactBucketAndKeyOnly()
    {
        var retained = Deployments.Foundation("eu-west-1").Retained!;

        Assert.Equal(["sandbox-artifacts-123456789012-eu-west-1", "alias/sandbox-artifacts"], retained.Select(r => r.Name));
    }

    [Fact]
    public void EveryRetainedResource_IsInItsTemplate_WithItsType_AndBucketsAndKeysWithDeletionPolicyRetain()
    {
        var stacks = new[]
        {
            (Templates.Foundation, Deployments.Foundation("us-east-1").Retained!),
            (Templates.TargetRoles, Deployments.TargetRoles(Sandbox.TargetAccounts[0]).Retained!),
        };

        foreach (var (template, retained) in stacks)
        {
            foreach (var resource in retained)
            {
                var type = resource.Kind switch { RetainedKind.Bucket => "AWS::S3::Bucket", RetainedKind.Key => "AWS::KMS::Key", _ => "AWS::IAM::Role" };
                var block = Regex.Match(template, $@"^  {resource.LogicalId}:\r?\n((?:    .*|\s*)\r?\n)+", RegexOptions.Multiline).Value;
                Assert.Contains($"    Type: {type}", block);
                if (resource.Kind != RetainedKind.Role) Assert.Contains("    DeletionPolicy: Retain", block);
                if (resource.Kind == RetainedKind.Key) Assert.Matches($@"(?m)^  {resource.Related}:\r?\n    Type: AWS::KMS::Alias", template);
            }
        }
    }

    [Fact]
    public async Task BootstrapAll_WhenThePrimaryStackIsGoneButItsBucketsAndKeyAreNot_ImportsThemAndEverythingSucceeds()
    {
        var time = new VirtualTime();
        var cloud = new FakeCloud(time);
        var messages = new RecordingMessages();
        var build = new StackLocation("123456789012", "us-east-1");
        var key = cloud.Resources.AddKey(build, "kept-key");
        cloud.Resources.AddBucket("sandbox-artifacts-123456789012-us-east-1", "123456789012", key);
        cloud.Resources.AddBucket("sandbox-source-123456789012-us-east-1", "123456789012", key);
        var deployer = new StackDeployer(time, PollingPolicy.Default, new RecordingObserver(), recovery: new LostStackRecovery(cloud.Resources, messages));
        var plan = new FoundationPlan(Sandbox, cloud.CloudFormationAt, deployer, _ => "Resources: {}");

        var results = await new DagRunner(4, time, new RecordingObserver()).RunAsync(plan.For(KitTarget.BootstrapAll, new Dictionary<string, StackResult>()));

        Assert.All(results, r => Assert.True(r.Result.Succeeded, r.Result.Error));
        var primary = cloud.At(build);
        // policy:primary follows with the same parameters and has nothing to deploy.
        Assert.Equal([ChangeSetType.Import, ChangeSetType.Update],
            primary.ChangeSetRequests.Where(r => r.StackName == "pipelinekit-sandbox-primary").Select(r => r.Type));
        Assert.Equal(primary.Peek("pipelinekit-sandbox-primary")!.StackId, cloud.Resources.OwnerOf("AWS::KMS::Key", "kept-key"));
        Assert.Equal([MessageCodes.StackAdopting.Code], messages.Codes);
        // The other stacks were created as before: they found nothing of theirs.
        Assert.All(results.Where(r => r.Ref.Key.StartsWith("regional:", StringComparison.Ordinal)), r => Assert.Equal(StackOutcome.Created, r.Result.Outcome));
    }

    private static StackResult Result() => new("s", new StackLocation("123456789012", "us-east-1"), StackOutcome.Unchanged, null,
        new Dictionary<string, string> { ["ArtifactBucketArn"] = "arn:aws:s3:::b", ["ArtifactKeyArn"] = "arn:aws:kms:us-east-1:123456789012:key/k" },
        TimeSpan.Zero);
}
