namespace PipelineKit.Pipeline;

using Amazon.S3;
using PipelineKit.Naming;
using PipelineKit.Orchestration;
using PipelineKit.Aws;
using PipelineKit.Configuration;
using PipelineKit.Deployment;
using PipelineKit.Messages;

/// <summary>One environment's app after a pipeline run: its stack as the kit read it (null when it does not exist).</summary>
public sealed record DeliveredApp(EnvironmentSettings Environment, string StackName, StackDescription? Stack)
{
    /// <summary>The stack's ApiUrl output; null when the stack or the output is missing.</summary>
    public string? ApiUrl => Stack?.Outputs.GetValueOrDefault("ApiUrl");

    /// <summary>The app as an <c>outputs.json</c> entry, under the key DeploySampleApp --direct uses (<c>app:&lt;env&gt;</c>, with
    /// <c>:&lt;account&gt;</c> for each account of an organizational unit's environment: <see cref="SampleApp.SampleAppPlan.Key"/>).
    /// The pipeline deployed it and the kit only read it, so its outcome is "unchanged", as for any stack the kit reads.
    /// Null when the stack does not exist.</summary>
    public (StackRef Ref, StackResult Result)? AsOutputsEntry()
    {
        if (Stack is null) return null;
        var location = new StackLocation(Environment.Account, Environment.Region);
        return (new StackRef(SampleApp.SampleAppPlan.Key(Environment), StackName, location),
            new StackResult(StackName, location, StackOutcome.Unchanged, Stack.Status, Stack.Outputs, TimeSpan.Zero));
    }
}

/// <summary>
/// DeploySampleApp without --direct: hands the repository to the pipeline's source (uploads it to the S3 source key,
/// or says what to push for a repository source), follows the run it starts to its end, then reads each
/// environment's ApiUrl from its app stack in its own account.
/// </summary>
public sealed class PipelineDelivery(
    PipelineConfig config,
    string repositoryRoot,
    Func<CancellationToken, Task<IAmazonS3>> sourceBucketClient,
    PipelineFollower follower,
    Func<EnvironmentSettings, CancellationToken, Task<ICloudFormation>> appStackClient,
    IKitMessages messages,
    Func<CancellationToken, Task<string>>? startRun = null,
    bool emulated = false)
{
    /// <summary>A repository source: with <c>startRun</c> (a local run, where no push can start one) the kit starts the run
    /// itself and follows it; otherwise it says what to push and follows the next run.</summary>
    public async Task<IReadOnlyList<DeliveredApp>> RunAsync(CancellationToken ct)
    {
        if (config.Source.UploadObjectKey is { } objectKey)
        {
            var (zip, description, warning) = await SourceUpload.CreateArchiveAsync(repositoryRoot, ct).ConfigureAwait(false);
            if (warning is not null) messages.Report(MessageCodes.SourceWarning, $"Source: warning: {warning}");
            var bucket = KitNames.SourceBucket(config);
            var s3 = await sourceBucketClient(ct).ConfigureAwait(false);
            var uploaded = await SourceUpload.UploadAsync(s3, bucket, objectKey, zip, description, ct).ConfigureAwait(false);
            messages.Report(MessageCodes.SourceUploaded, uploaded.AlreadyThere
                ? $"Source: s3://{bucket}/{objectKey} holds {description} already (version {uploaded.VersionId}, sha256 {uploaded.Sha256[..12]}): " +
                  "the same revision, not uploaded again."
                : $"Source: uploaded {description} to s3://{bucket}/{objectKey} " +
                  $"(version {uploaded.VersionId}, {zip.Length} bytes, sha256 {uploaded.Sha256[..12]}).");
            await follower.FollowRevisionAsync(uploaded.VersionId, ct).ConfigureAwait(false);
        }
        else if (startRun is not null)
        {
            var started = await startRun(ct).ConfigureAwait(false);
            await follower.FollowAsync(started, startedByKit: true, ct).ConfigureAwait(false);
        }
        else
        {
            messages.Report(MessageCodes.SourcePushNeeded, $"Source: {config.Source.PushHint} Following the next run...");
            await follower.FollowNextRunAsync(ct).ConfigureAwait(false);
        }

        var apps = new List<DeliveredApp>();
        foreach (var environment in config.Environments)
        {
            var stackName = KitNames.AppStack(config.Name, environment.Name);
            var cfn = await appStackClient(environment, ct).ConfigureAwait(false);
            var stack = await cfn.DescribeStackAsync(stackName, ct).ConfigureAwait(false);
            apps.Add(new DeliveredApp(environment, stackName, stack));
        }

        messages.Report(MessageCodes.SampleAppUrls, string.Join(Environment.NewLine, apps
            .Select(app => $"  {app.Environment.Name,-10} {app.StackName} in {app.Environment.Account}/{app.Environment.Region}: " +
                (app.ApiUrl ?? (app.Stack is null ? "no stack: the run did not deploy it"
                    : emulated ? "no ApiUrl output (the emulator does not create HTTP APIs)" : "no ApiUrl output")))
            .Prepend("Sample app:")));

        return apps;
    }
}
