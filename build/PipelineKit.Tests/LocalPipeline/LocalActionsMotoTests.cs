namespace PipelineKit.Tests.LocalPipeline;

using System.IO.Compression;
using Amazon.S3;
using Amazon.S3.Model;
using PipelineKit.Aws;
using PipelineKit.Deployment;
using PipelineKit.LocalPipeline;
using PipelineKit.Tests.Integration;

/// <summary>The artifact store, the S3 source and the CloudFormation action against the emulator, as the local pipeline run
/// calls them.</summary>
[Collection("moto")]
public sealed class LocalActionsMotoTests : IDisposable
{
    private const string Template =
        "AWSTemplateFormatVersion: '2010-09-09'\n" +
        "Parameters:\n" +
        "  TopicName:\n" +
        "    Type: String\n" +
        "Resources:\n" +
        "  Topic:\n" +
        "    Type: AWS::SNS::Topic\n" +
        "    Properties:\n" +
        "      TopicName: !Ref TopicName\n" +
        "Outputs:\n" +
        "  TopicArn:\n" +
        "    Value: !Ref Topic\n" +
        "  Name:\n" +
        "    Value: !GetAtt Topic.TopicName\n";

    private readonly AwsCallLog callLog = new();
    private readonly AwsClientFactory factory;
    private readonly string suffix = Guid.NewGuid().ToString("N")[..8];

    public LocalActionsMotoTests(MotoFixture moto) => factory = moto.Clients(callLog);

    public void Dispose() => factory.Dispose();

    private async Task<LocalActions> ActionsAsync() => await new LocalActions(factory, suffix).CreateAsync();

    [Fact]
    public async Task Artifact_RoundTrips_EncryptedWithTheStoresKey_UnderThePipelinesLayout()
    {
        var actions = await ActionsAsync();
        var zip = LocalActions.Zip(new Dictionary<string, string> { ["a.txt"] = "hello" });
        var file = Path.GetTempFileName();
        var back = Path.GetTempFileName();
        try
        {
            await File.WriteAllBytesAsync(file, zip);
            var location = await actions.Artifacts.PutAsync(actions.Credentials, actions.Store, "exec-1", "BuildOutput", file, CancellationToken.None);

            // The pipeline's name cut to 20 characters, the artifact's to 10, then a 7-character object name.
            Assert.Matches($"^{actions.PipelineName[..20]}/BuildOutpu/[A-Za-z0-9]{{7}}$", location.Key);
            Assert.Equal((actions.Store.Bucket, actions.Store.KeyArn), (location.Bucket, location.KeyArn));
            var head = await factory.S3(actions.Credentials, LocalActions.Region)
                .GetObjectMetadataAsync(new GetObjectMetadataRequest { BucketName = location.Bucket, Key = location.Key });
            Assert.Equal(ServerSideEncryptionMethod.AWSKMS, head.ServerSideEncryptionMethod);
            Assert.Equal(actions.Store.KeyArn, head.ServerSideEncryptionKeyManagementServiceKeyId);

            await actions.Artifacts.GetAsync(actions.Credentials, location, back, CancellationToken.None);
            Assert.Equal(zip, await File.ReadAllBytesAsync(back));
        }
        finally
        {
            File.Delete(file);
            File.Delete(back);
        }
    }

    [Fact]
    public async Task S3Source_ReadsTheExecutionsVersion_NotTheLatest()
    {
        var actions = await ActionsAsync();
        var s3 = factory.S3(actions.Credentials, LocalActions.Region);
        var first = await s3.PutObjectAsync(new PutObjectRequest
        {
            BucketName = actions.SourceBucket, Key = "source.zip", InputStream = new MemoryStream(LocalActions.Zip(new Dictionary<string, string> { ["v"] = "1" })),
        });
        await s3.PutObjectAsync(new PutObjectRequest
        {
            BucketName = actions.SourceBucket, Key = "source.zip", InputStream = new MemoryStream(LocalActions.Zip(new Dictionary<string, string> { ["v"] = "2" })),
        });
        var latest = await S3SourceAction.LatestVersionAsync(s3, actions.SourceBucket, "source.zip", CancellationToken.None);
        Assert.NotEqual(first.VersionId, latest);

        var run = actions.Run(ActionType.S3Source,
            new Dictionary<string, string> { ["S3Bucket"] = actions.SourceBucket, ["S3ObjectKey"] = "source.zip" }, outputs: ["Source"], revision: first.VersionId);
        var outcome = await new S3SourceAction(factory.S3, actions.Artifacts).RunAsync(run, CancellationToken.None);

        Assert.Equal(first.VersionId, outcome.Revision);
        Assert.Equal(first.VersionId, outcome.Variables["VersionId"]);
        Assert.Equal(first.ETag.Trim('"'), outcome.Variables["ETag"]);
        var output = Assert.Single(outcome.Outputs);
        Assert.Equal("Source", output.Name);
        Assert.Equal("1", await ReadEntryAsync(actions, output, "v"));
    }

    [Fact]
    public async Task S3Source_LatestVersionOfAMissingObject_FailsNamingIt()
    {
        var actions = await ActionsAsync();
        var failure = await Assert.ThrowsAsync<ActionFailedException>(() =>
            S3SourceAction.LatestVersionAsync(factory.S3(actions.Credentials, LocalActions.Region), actions.SourceBucket, "missing.zip", CancellationToken.None));
        Assert.Contains($"s3://{actions.SourceBucket}/missing.zip does not exist", failure.Message);
    }

    [Fact]
    public async Task ReplaceThenExecute_CreatesTheStack_WithTheConfigurationFilesParameters_AndOutputsAsVariables()
    {
        var actions = await ActionsAsync();
        var stack = $"lp-{suffix}";
        var input = await actions.PutZipAsync("BuildOutput", new Dictionary<string, string>
        {
            ["app/template.yaml"] = Template,
            ["app/params.json"] = $"{{\"Parameters\": {{\"TopicName\": \"from-file-{suffix}\"}}, \"Tags\": {{\"env\": \"dev\"}}}}",
        });

        var replaced = await ReplaceAsync(actions, stack, input);
        Assert.StartsWith("change set", replaced.Summary);
        Assert.Empty(replaced.Variables);
        var executed = await ExecuteAsync(actions, stack);

        var deployed = await factory.CloudFormation(actions.Credentials, LocalActions.Region).DescribeStackAsync(stack);
        Assert.Equal(StackStatus.CreateComplete, deployed!.Status);
        Assert.Equal($"from-file-{suffix}", deployed.Parameters["TopicName"]);
        Assert.Equal("dev", deployed.Tags["env"]);
        Assert.Equal($"arn:aws:sns:us-east-1:123456789012:from-file-{suffix}", executed.Variables["TopicArn"]);
        Assert.Equal(deployed.Outputs.OrderBy(o => o.Key), executed.Variables.OrderBy(v => v.Key));
    }

    [Fact]
    public async Task SecondReplaceAndExecute_OfTheSameInput_ReportNoChanges_AndExecuteNothing()
    {
        var actions = await ActionsAsync();
        var stack = $"lp-{suffix}";
        var input = await actions.PutZipAsync("BuildOutput", new Dictionary<string, string>
        {
            ["app/template.yaml"] = Template,
            ["app/params.json"] = $"{{\"Parameters\": {{\"TopicName\": \"same-{suffix}\"}}}}",
        });
        await ReplaceAsync(actions, stack, input);
        await ExecuteAsync(actions, stack);
        callLog.Reset();

        var replaced = await ReplaceAsync(actions, stack, input);
        var executed = await ExecuteAsync(actions, stack);

        Assert.Equal("no changes", replaced.Summary);
        Assert.Equal("no changes", executed.Summary);
        Assert.DoesNotContain(callLog.Calls, c => c.Operation == "ExecuteChangeSet");
        Assert.Equal($"arn:aws:sns:us-east-1:123456789012:same-{suffix}", executed.Variables["TopicArn"]);
    }

    [Fact]
    public async Task BrokenTemplate_FailsTheReplace_WithCloudFormationsReason()
    {
        var actions = await ActionsAsync();
        var input = await actions.PutZipAsync("BuildOutput", new Dictionary<string, string>
        {
            ["app/template.yaml"] = "AWSTemplateFormatVersion: '2010-09-09'\nResources:\n  Topic: [AWS::SNS::Topic\n",
            ["app/params.json"] = "{}",
        });

        var failure = await Assert.ThrowsAsync<ActionFailedException>(() => ReplaceAsync(actions, $"lp-{suffix}", input));

        Assert.Equal("JobFailed", failure.ErrorCode);
        Assert.Contains("ValidationError: Template format error", failure.Message);
        Assert.DoesNotContain(callLog.Calls, c => c.Operation == "ExecuteChangeSet");
    }

    private Task<ActionOutcome> ReplaceAsync(LocalActions actions, string stack, ArtifactLocation input) =>
        Action(actions).RunAsync(actions.Run(ActionType.CloudFormation, new Dictionary<string, string>
        {
            ["ActionMode"] = "CHANGE_SET_REPLACE",
            ["StackName"] = stack,
            ["ChangeSetName"] = $"{stack}-pipeline",
            ["TemplatePath"] = "BuildOutput::app/template.yaml",
            ["TemplateConfiguration"] = "BuildOutput::app/params.json",
            ["Capabilities"] = "CAPABILITY_NAMED_IAM,CAPABILITY_AUTO_EXPAND",
            ["RoleArn"] = $"arn:aws:iam::{LocalActions.Account}:role/cfn-execution",
        }, [input]), CancellationToken.None);

    private Task<ActionOutcome> ExecuteAsync(LocalActions actions, string stack) =>
        Action(actions).RunAsync(actions.Run(ActionType.CloudFormation, new Dictionary<string, string>
        {
            ["ActionMode"] = "CHANGE_SET_EXECUTE",
            ["StackName"] = stack,
            ["ChangeSetName"] = $"{stack}-pipeline",
        }), CancellationToken.None);

    private CloudFormationAction Action(LocalActions actions) =>
        new(actions.Artifacts, factory.CloudFormation, TimeProvider.System, PollingPolicy.Emulator);

    private static async Task<string> ReadEntryAsync(LocalActions actions, ArtifactLocation location, string entry)
    {
        var file = Path.GetTempFileName();
        try
        {
            await actions.Artifacts.GetAsync(actions.Credentials, location, file, CancellationToken.None);
            using var archive = ZipFile.OpenRead(file);
            using var reader = new StreamReader(archive.GetEntry(entry)!.Open());
            return await reader.ReadToEndAsync();
        }
        finally
        {
            File.Delete(file);
        }
    }
}
