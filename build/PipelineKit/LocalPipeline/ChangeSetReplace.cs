namespace PipelineKit.LocalPipeline;

using System.Text;
using Amazon.Runtime;
using PipelineKit.Aws;
using PipelineKit.Deployment;

/// <summary>
/// CHANGE_SET_REPLACE: "creates the change set, if it doesn't exist, based on the stack name and template that you submit. If the
/// change set exists, AWS CloudFormation deletes it, and then creates a new one" (the CodePipeline CloudFormation action reference).
/// The template and the template configuration file come from the input artifacts; ParameterOverrides override the file's
/// parameters; RoleArn is CloudFormation's service role. A change set CloudFormation finds without changes (FAILED, "didn't
/// contain changes") is a success, "no changes", and is left in place: CHANGE_SET_EXECUTE then finds it and succeeds without
/// executing. This mode produces no output variables: only the modes that create or update a stack do (CodePipeline's variables
/// reference).
/// </summary>
internal sealed class ChangeSetReplace(StackContext context, S3ArtifactStore artifacts, ActionRun run, CloudFormationSettings settings)
{
    public async Task<ActionOutcome> RunAsync(CancellationToken ct)
    {
        string body;
        TemplateConfigurationFile file;
        IReadOnlyDictionary<string, string> overrides;
        using (var inputs = new InputArtifacts(artifacts, run))
        {
            body = await inputs.ReadTextAsync(settings.TemplatePath!, "TemplatePath", ct).ConfigureAwait(false);
            file = settings.TemplateConfiguration is { } path
                ? TemplateConfigurationFile.Parse(await inputs.ReadTextAsync(path, "TemplateConfiguration", ct).ConfigureAwait(false), path.ToString())
                : TemplateConfigurationFile.Empty;
            overrides = await ParameterOverrides.ResolveAsync(settings.ParameterOverrides, inputs, ct).ConfigureAwait(false);
        }

        var parameters = new Dictionary<string, string>(file.Parameters, StringComparer.Ordinal);
        foreach (var (name, value) in overrides) parameters[name] = value;

        var existing = await new StackWatcher(context).SettleAsync(ct).ConfigureAwait(false);
        if (existing is not null) await DeleteChangeSetAsync(ct).ConfigureAwait(false);
        var type = existing is null || existing.Status == StackStatus.ReviewInProgress ? ChangeSetType.Create : ChangeSetType.Update;
        var (templateBody, templateUrl) = await TemplateSourceAsync(body, ct).ConfigureAwait(false);

        context.Progress($"creating change set {settings.ChangeSetName} ({(type == ChangeSetType.Create ? "new stack" : "update")})");
        var request = new CreateChangeSetRequest(settings.StackName, settings.ChangeSetName, type, templateBody, templateUrl, parameters, file.Tags,
            settings.Capabilities, ClientTokens.For("cs", $"{run.ExecutionId}\n{run.Action}\n{settings.StackName}\n{settings.ChangeSetName}"),
            $"Created by the local pipeline run {run.ExecutionId}", settings.RoleArn);
        try
        {
            await context.Cfn.CreateChangeSetAsync(request, ct).ConfigureAwait(false);
        }
        catch (AmazonServiceException e)
        {
            throw CloudFormationAction.Failed(e, $"Creating change set {settings.ChangeSetName} of stack {settings.StackName}");
        }

        var computed = await new StackWatcher(context).ChangeSetComputedAsync(settings.ChangeSetName, ct).ConfigureAwait(false);
        if (computed.Status == ChangeSetStatus.CreateComplete)
        {
            return ActionOutcome.Done($"change set {settings.ChangeSetName}: {computed.Changes.Count} resource change(s)");
        }

        if (ChangeSets.IsNoChanges(computed.StatusReason))
        {
            context.Progress($"change set {settings.ChangeSetName} has no changes: {computed.StatusReason}");
            return ActionOutcome.Done("no changes");
        }

        throw new ActionFailedException("JobFailed",
            $"CloudFormation rejected change set {settings.ChangeSetName} of stack {settings.StackName}: {computed.Status}: {computed.StatusReason}");
    }

    /// <summary>The change set of that name goes first, whatever its state; none is no error.</summary>
    private async Task DeleteChangeSetAsync(CancellationToken ct)
    {
        try
        {
            await context.Cfn.DeleteChangeSetAsync(settings.StackName, settings.ChangeSetName, ct).ConfigureAwait(false);
            context.Progress($"deleted the previous change set {settings.ChangeSetName}");
        }
        catch (AmazonServiceException e) when (e.ErrorCode == "ChangeSetNotFound")
        {
        }
    }

    /// <summary>The template inline, or, over CloudFormation's 51,200-byte inline limit, staged in the action's artifact
    /// bucket and passed by URL, as CodePipeline passes large templates.</summary>
    private async Task<(string? Body, string? Url)> TemplateSourceAsync(string body, CancellationToken ct)
    {
        if (Encoding.UTF8.GetByteCount(body) <= StackDeployer.MaxInlineTemplateBytes) return (body, null);
        var store = run.Store;
        var key = await artifacts.PutTemplateAsync(run.Credentials, store, body, ct).ConfigureAwait(false);
        context.Progress($"the template is over {StackDeployer.MaxInlineTemplateBytes} bytes: staged as s3://{store.Bucket}/{key}");
        return (null, S3TemplateStore.UrlFor(store.Bucket, store.Region, key, artifacts.EndpointFor(run.Credentials, store.Region)));
    }
}
