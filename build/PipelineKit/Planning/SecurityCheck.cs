namespace PipelineKit.Planning;

using PipelineKit.Aws;
using PipelineKit.Configuration;
using PipelineKit.Naming;

/// <summary>What the check found and did: the changes, their summary and diff, whether it approved the security
/// approval, and whether it sent the diff to the topic.</summary>
public sealed record SecurityCheckResult(SecurityChanges Changes, string Summary, string Diff, bool Approved, bool Notified);

/// <summary>
/// The security gate's check of one environment (./build.sh SecurityCheck --environment NAME, run by CodeBuild beside the
/// environment's security approval): reads the change set the pipeline just created and the deployed stack through the
/// target account's change-set reader, finds the security changes, and then either approves the waiting security approval
/// of this pipeline run (nothing widens, <c>securityApproval: broadening</c>) or sends the diff to the pipeline's topic
/// and leaves the approval to a person.
/// </summary>
public sealed class SecurityCheck(
    PipelineConfig config, EnvironmentSettings environment, ICloudFormation target, ICodePipeline pipeline, ISimpleNotification topics,
    TimeProvider time)
{
    /// <summary>The approval action starts with the check (same run order); CodeBuild's start-up is slower, but wait a
    /// little for its token anyway.</summary>
    public static readonly TimeSpan TokenWait = TimeSpan.FromMinutes(5);

    public static readonly TimeSpan TokenPoll = TimeSpan.FromSeconds(10);

    private string Stack => KitNames.AppStack(config.Name, environment.Name);

    private string ChangeSet => KitNames.PipelineChangeSet(config.Name, environment.Name);

    private string StageName => config.DeployStages.Single(s => s.Environments.Contains(environment)).Name;

    /// <param name="pipelineExecutionId">The run whose approval may be approved; null (run by hand) approves nothing.</param>
    public async Task<SecurityCheckResult> RunAsync(string? pipelineExecutionId, CancellationToken ct)
    {
        var changes = await ReadAsync(ct).ConfigureAwait(false);
        var summary = changes.Summary();
        var diff = changes.Diff(Stack, ChangeSet);
        if (!changes.Widens && environment.SecurityApproval == SecurityApproval.Broadening)
        {
            var approved = pipelineExecutionId is not null && await ApproveAsync(pipelineExecutionId, summary, ct).ConfigureAwait(false);
            return new SecurityCheckResult(changes, summary, diff, approved, Notified: false);
        }

        var why = changes.Widens ? "widens permissions" : "needs a security review (securityApproval: always)";
        await topics.PublishAsync(TopicArn, $"{config.Name}: {Stack} {why}",
            $"Change set {ChangeSet} of stack {Stack} in {environment.Account}/{environment.Region} {why}. " +
            $"Approve or reject {KitNames.SecurityApprovalAction(environment.Name)} in stage {StageName} of pipeline {KitNames.Pipeline(config.Name)}." +
            Environment.NewLine + Environment.NewLine + diff, ct).ConfigureAwait(false);
        return new SecurityCheckResult(changes, summary, diff, Approved: false, Notified: true);
    }

    public string TopicArn => Partitions.Arn("sns", config.Build.Region, config.Build.Account, KitNames.NotificationsTopic(config.Name));

    private async Task<SecurityChanges> ReadAsync(CancellationToken ct)
    {
        var changeSet = await target.DescribeChangeSetAsync(Stack, ChangeSet, ct).ConfigureAwait(false);
        var changeSetTemplate = await target.GetChangeSetTemplateBodyAsync(Stack, ChangeSet, ct).ConfigureAwait(false);
        // A change set that creates the stack leaves it in REVIEW_IN_PROGRESS, with no template deployed yet.
        var stack = await target.DescribeStackAsync(Stack, ct).ConfigureAwait(false);
        var deployed = stack is null || stack.Status == StackStatus.ReviewInProgress
            ? "{}"
            : await target.GetTemplateBodyAsync(Stack, ct).ConfigureAwait(false);
        return SecurityChanges.Of(
            deployed, stack?.Parameters ?? new Dictionary<string, string>(),
            changeSetTemplate, changeSet.Parameters ?? new Dictionary<string, string>(),
            changeSet.Changes);
    }

    /// <summary>Approves this run's security approval once it waits with a token; false when it never did in time.</summary>
    private async Task<bool> ApproveAsync(string pipelineExecutionId, string summary, CancellationToken ct)
    {
        var name = KitNames.Pipeline(config.Name);
        var action = KitNames.SecurityApprovalAction(environment.Name);
        var deadline = time.GetUtcNow() + TokenWait;
        while (true)
        {
            var state = await pipeline.GetPipelineStateAsync(name, ct).ConfigureAwait(false);
            var stage = state.Stages.FirstOrDefault(s => s.StageName == StageName);
            var waiting = stage?.LatestExecution?.PipelineExecutionId == pipelineExecutionId
                ? stage.Actions.FirstOrDefault(a => a.ActionName == action)?.LatestExecution
                : null;
            if (waiting is { Status: PipelineExecutionStatus.InProgress, Token: { } token })
            {
                await pipeline.PutApprovalResultAsync(name, StageName, action, token, approved: true,
                    $"Approved by {KitNames.SecurityCheckAction(environment.Name)}: {summary}", ct).ConfigureAwait(false);
                return true;
            }

            if (time.GetUtcNow() >= deadline) return false;
            await Task.Delay(TokenPoll, time, ct).ConfigureAwait(false);
        }
    }
}
