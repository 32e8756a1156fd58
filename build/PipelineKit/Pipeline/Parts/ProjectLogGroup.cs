namespace PipelineKit.Pipeline.Parts;

using Amazon.CDK;
using Amazon.CDK.AWS.Logs;
using Constructs;

/// <summary>A CodeBuild project's log group, declared so that its logs expire (CodeBuild would make one that keeps them forever).</summary>
internal static class ProjectLogGroup
{
    public static void Add(Construct scope, string id, string projectName) =>
        _ = new LogGroup(scope, id, new LogGroupProps
        {
            LogGroupName = $"/aws/codebuild/{projectName}",
            Retention = RetentionDays.ONE_MONTH,
            RemovalPolicy = RemovalPolicy.DESTROY,
        });
}
