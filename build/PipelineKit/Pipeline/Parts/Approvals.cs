namespace PipelineKit.Pipeline.Parts;

using Amazon.CDK.AWS.CodePipeline;
using Amazon.CDK.AWS.CodePipeline.Actions;
using Amazon.CDK.AWS.IAM;
using Amazon.CDK.AWS.SNS;
using PipelineKit.Configuration;
using PipelineKit.Naming;

/// <summary>The manual approvals between an environment's change set and its execution: what they ask the approver,
/// where they link to, and the timeouts configured for them.</summary>
internal sealed class Approvals(PipelineConfig config, ITopic topic, IRole actionsRole)
{
    private readonly List<(int Stage, int Action, int Minutes)> timeouts = [];

    /// <summary>The CloudFormation console's page of a change set, in the environment's region (sign in to its account to open it).</summary>
    public static string ChangeSetConsoleUrl(PipelineConfig config, EnvironmentSettings environment) =>
        $"https://{environment.Region}.console.aws.amazon.com/cloudformation/home?region={environment.Region}#/stacks/changesets/changes" +
        $"?stackId={Uri.EscapeDataString(KitNames.AppStack(config.Name, environment.Name))}&changeSetId={Uri.EscapeDataString(KitNames.PipelineChangeSet(config.Name, environment.Name))}";

    public static string ApprovalMessage(PipelineConfig config, EnvironmentSettings environment) =>
        $"Review change set {KitNames.PipelineChangeSet(config.Name, environment.Name)} for stack {KitNames.AppStack(config.Name, environment.Name)} " +
        $"in {environment.Account}/{environment.Region} before it is executed.";

    /// <summary>With a security check before it, the approval carries the check's summary. CodePipeline takes at most
    /// 500 characters of CustomData, so the message around the summary is short (SecurityGateTests checks the sum).</summary>
    public static string ApprovalMessageWithSecuritySummary(PipelineConfig config, EnvironmentSettings environment) =>
        $"Review {KitNames.AppStack(config.Name, environment.Name)} ({environment.Account}/{environment.Region}). Security: {SecurityGate.SummaryReference(environment)}";

    /// <summary>The approval of <paramref name="environment"/>, to be action <paramref name="action"/> (0-based) of the
    /// pipeline's stage <paramref name="stage"/>.</summary>
    public IAction Approve(EnvironmentSettings environment, string actionName, int stage, int action, int runOrder = 2, bool withSecuritySummary = false)
    {
        if (environment.ApprovalTimeoutMinutes is { } minutes)
        {
            timeouts.Add((stage, action, minutes));
        }

        return new ManualApprovalAction(new ManualApprovalActionProps
        {
            ActionName = actionName,
            RunOrder = runOrder,
            NotificationTopic = topic,
            AdditionalInformation = withSecuritySummary
                ? ApprovalMessageWithSecuritySummary(config, environment)
                : ApprovalMessage(config, environment),
            ExternalEntityLink = ChangeSetConsoleUrl(config, environment),
            Role = actionsRole,
        });
    }

    /// <summary>
    /// CodePipeline's manual approval timeout (ActionDeclaration.TimeoutInMinutes) has no property on the CDK's
    /// ManualApprovalAction in this version, so it is set on the rendered action: stage and action by index.
    /// https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-properties-codepipeline-pipeline-actiondeclaration.html
    /// </summary>
    public void ApplyTimeouts(Amazon.CDK.AWS.CodePipeline.Pipeline pipeline)
    {
        var cfnPipeline = (CfnPipeline)pipeline.Node.DefaultChild!;
        foreach (var (stage, action, minutes) in timeouts)
        {
            cfnPipeline.AddPropertyOverride($"Stages.{stage}.Actions.{action}.TimeoutInMinutes", minutes);
        }
    }
}
