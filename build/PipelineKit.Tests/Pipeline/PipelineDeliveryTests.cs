namespace PipelineKit.Tests.Pipeline;

using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;
using PipelineKit.Aws;
using PipelineKit.Configuration;
using PipelineKit.Deployment;
using PipelineKit.Naming;
using PipelineKit.Pipeline;
using PipelineKit.Reporting;
using PipelineKit.Testing;
using PipelineKit.Tests.Configuration;
using PipelineKit.Tests.Integration;

/// <summary>Upload to the emulator's versioned source bucket, follow the fake pipeline in virtual time, read ApiUrls from
/// fake app stacks. The emulator cannot run the pipeline itself (moto has no pipeline runs).</summary>
[Collection("moto")]
public sealed class PipelineDeliveryTests(MotoFixture moto) : IDisposable
{
    private readonly string root = Directory.CreateTempSubdirectory("pipelinekit-delivery-").FullName;
    private readonly VirtualTime time = new();
    private readonly StringWriter console = new();

    public void Dispose() => Directory.Delete(root, recursive: true);

    [Fact]
    public async Task Run_UploadsTheSource_StartsARunWhenNoPollPicksItUp_AndPrintsEachApiUrl()
    {
        var config = SandboxConfigs.Accounts() with { Name = "deliver", Source = new S3Source() };
        File.WriteAllText(Path.Combine(root, "build.sh"), "#!/bin/sh\n");
        using var factory = new AwsClientFactory(new AwsEndpoints(_ => null, moto.Url), new AwsCallLog());
        var s3 = factory.S3(new BasicAWSCredentials("testing", "testing"), config.Build.Region);
        var bucket = PipelineKit.Naming.KitNames.SourceBucket(config);
        await s3.PutBucketAsync(bucket);
        await s3.PutBucketVersioningAsync(new PutBucketVersioningRequest
        {
            BucketName = bucket,
            VersioningConfig = new S3BucketVersioningConfig { Status = VersionStatus.Enabled },
        });

        var pipeline = new FakeCodePipeline(time, KitNames.Pipeline(config.Name),
            [new FakeStage("Source", "Source"), new FakeStage("Build", "BuildAndTest"),
             .. config.Environments.Select(e => new FakeStage(KitNames.DeployStage(e.Name), "CreateChangeSet", "ExecuteChangeSet"))]);
        var stacks = new FakeCloudFormation(time);
        foreach (var environment in config.Environments.Skip(1))
        {
            stacks.Seed(KitNames.AppStack(config.Name, environment.Name), StackStatus.CreateComplete,
                outputs: new Dictionary<string, string> { ["ApiUrl"] = $"https://{environment.Name}.example/" });
        }

        var follower = new PipelineFollower(pipeline, KitNames.Pipeline(config.Name), config.Build.Region, time, PollingPolicy.Default, console);
        var delivery = new PipelineDelivery(config, root, _ => Task.FromResult(s3), follower,
            (_, _) => Task.FromResult<ICloudFormation>(stacks), new ConsoleMessageView(console));

        var apps = await delivery.RunAsync(CancellationToken.None);

        var versions = await s3.ListVersionsAsync(new ListVersionsRequest { BucketName = bucket, Prefix = config.Source.UploadObjectKey });
        var uploaded = Assert.Single(versions.Versions);
        Assert.Contains($"Source: uploaded files of {Path.GetFileName(root)} (not a git checkout) to s3://{bucket}/source.zip (version {uploaded.VersionId}, ",
            console.ToString());
        Assert.Single(pipeline.Calls, c => c == "StartPipelineExecution");
        Assert.Equal(config.Environments.Count, apps.Count);
        Assert.Null(apps[0].ApiUrl);
        Assert.All(apps.Skip(1), app => Assert.Equal($"https://{app.Environment.Name}.example/", app.ApiUrl));
        var first = config.Environments[0];
        Assert.Contains($"  {first.Name,-10} deliver-{first.Name}-app in {first.Account}/{first.Region}: no stack: the run did not deploy it",
            console.ToString());

        // outputs.json gets the stacks that exist, under the keys DeploySampleApp --direct uses, as read (not deployed) by the kit.
        Assert.Null(apps[0].AsOutputsEntry());
        Assert.All(apps.Skip(1), app =>
        {
            var (stackRef, result) = app.AsOutputsEntry()!.Value;
            Assert.Equal($"app:{app.Environment.Name}", stackRef.Key);
            Assert.Equal(new StackLocation(app.Environment.Account, app.Environment.Region), result.Location);
            Assert.Equal(StackOutcome.Unchanged, result.Outcome);
            Assert.Equal(StackStatus.CreateComplete, result.Status);
            Assert.Equal($"https://{app.Environment.Name}.example/", result.Outputs["ApiUrl"]);
        });
    }

    [Fact]
    public async Task Run_ForARepositorySource_SaysWhatToPush_AndFollowsTheNextRun()
    {
        var config = SandboxConfigs.Accounts() with { Name = "deliver-repo", Source = new CodeCommitSource("hello-service", "main", "555555555555", "arn:aws:iam::555555555555:role/hello-source") };
        var pipeline = new FakeCodePipeline(time, KitNames.Pipeline(config.Name), new FakeStage("Source", "Source"));
        pipeline.SourceChanged("commit-1", TimeSpan.FromMinutes(2));
        var follower = new PipelineFollower(pipeline, KitNames.Pipeline(config.Name), config.Build.Region, time, PollingPolicy.Default, console);
        var delivery = new PipelineDelivery(config, root, _ => throw new InvalidOperationException("no upload for a repository source"), follower,
            (_, _) => Task.FromResult<ICloudFormation>(new FakeCloudFormation(time)), new ConsoleMessageView(console));

        await delivery.RunAsync(CancellationToken.None);

        Assert.StartsWith("Source: the pipeline's source is CodeCommit, not an upload: commit and push to CodeCommit repository hello-service " +
            "(account 555555555555), branch main; the pipeline starts on the push. Following the next run...", console.ToString());
        Assert.Contains($"execution {pipeline.ExecutionOf("commit-1")} Succeeded", console.ToString());
    }
}
