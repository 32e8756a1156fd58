namespace PipelineKit.LocalPipeline;

using System.Collections.Concurrent;
using Amazon.Runtime;
using PipelineKit.Accounts;
using PipelineKit.Aws;

/// <summary>The credentials the actions of a local run act with.</summary>
public interface ILocalRoles
{
    /// <summary>The pipeline's service role.</summary>
    AWSCredentials Pipeline { get; }

    /// <summary>An action's role, assumed by the pipeline's role (the pipeline's own role when the action names it).</summary>
    AWSCredentials Action(string roleArn);

    /// <summary>A service role a service assumes for itself (a CodeBuild project's role): assumed from the build account.</summary>
    AWSCredentials Service(string roleArn);
}

/// <summary>
/// The role chain of a pipeline, on the emulator: the build account's own credentials stand for the service principals
/// (codepipeline.amazonaws.com assuming the pipeline's role, codebuild.amazonaws.com a project's role); every action role is
/// then assumed by the pipeline's role, as CodePipeline does, so each call an action makes is signed by the role AWS would
/// use. One session per role, refreshed before it expires.
/// </summary>
public sealed class LocalRoles(AWSCredentials buildAccount, Func<AWSCredentials, ISecurityTokens> tokens, string pipelineRoleArn) : ILocalRoles
{
    private readonly ConcurrentDictionary<string, AWSCredentials> sessions = new(StringComparer.Ordinal);

    public AWSCredentials Pipeline => sessions.GetOrAdd("service:" + pipelineRoleArn,
        _ => new AssumedRoleCredentials(tokens(buildAccount), pipelineRoleArn, "pipelinekit-local-pipeline"));

    public AWSCredentials Action(string roleArn) => roleArn == pipelineRoleArn
        ? Pipeline
        : sessions.GetOrAdd("action:" + roleArn, arn => new AssumedRoleCredentials(tokens(Pipeline), roleArn, "pipelinekit-local-action"));

    public AWSCredentials Service(string roleArn) => sessions.GetOrAdd("service:" + roleArn,
        _ => new AssumedRoleCredentials(tokens(buildAccount), roleArn, "pipelinekit-local-build"));
}
