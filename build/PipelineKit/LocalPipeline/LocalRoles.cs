namespace PipelineKit.LocalPipeline;

using System.Collections.Concurrent;
using Amazon.Runtime;
using PipelineKit.Accounts;
using PipelineKit.Aws;
using PipelineKit.Naming;

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
/// (codepipeline.amazonaws.com assuming the pipeline's role, codebuild.amazonaws.com a project's role, each as a
/// <see cref="ServicePrincipalCredentials"/> so a permission check knows who assumes); every action role is then assumed by
/// the pipeline's role, as CodePipeline does, so each call an action makes is signed by the role AWS would use. One session
/// per role, refreshed before it expires.
/// </summary>
public sealed class LocalRoles(AWSCredentials buildAccount, Func<AWSCredentials, ISecurityTokens> tokens, PipelineDefinition definition) : ILocalRoles
{
    private readonly ConcurrentDictionary<string, AWSCredentials> sessions = new(StringComparer.Ordinal);

    public AWSCredentials Pipeline => sessions.GetOrAdd("service:" + definition.RoleArn,
        _ => new AssumedRoleCredentials(tokens(CodePipeline()), definition.RoleArn, "pipelinekit-local-pipeline"));

    public AWSCredentials Action(string roleArn) => roleArn == definition.RoleArn
        ? Pipeline
        : sessions.GetOrAdd("action:" + roleArn, arn => new AssumedRoleCredentials(tokens(Pipeline), roleArn, "pipelinekit-local-action"));

    public AWSCredentials Service(string roleArn) => sessions.GetOrAdd("service:" + roleArn,
        _ => new AssumedRoleCredentials(tokens(CodeBuild(roleArn)), roleArn, "pipelinekit-local-build"));

    /// <summary>CodePipeline assumes the pipeline's role on behalf of the pipeline (aws:SourceArn the pipeline's ARN).
    /// https://docs.aws.amazon.com/codepipeline/latest/userguide/security-iam.html</summary>
    private ServicePrincipalCredentials CodePipeline() => new(buildAccount, "codepipeline.amazonaws.com", definition.Account,
        Partitions.Arn("codepipeline", definition.Region, definition.Account, definition.Name));

    /// <summary>CodeBuild assumes a project's service role on behalf of the project that names it (aws:SourceArn the project's ARN).
    /// https://docs.aws.amazon.com/codebuild/latest/userguide/setting-up-service-role.html</summary>
    private ServicePrincipalCredentials CodeBuild(string roleArn) => new(buildAccount, "codebuild.amazonaws.com", definition.Account,
        definition.Projects.Values.FirstOrDefault(p => p.ServiceRoleArn == roleArn) is { } project
            ? Partitions.Arn("codebuild", definition.Region, definition.Account, $"project/{project.Name}")
            : null);
}

/// <summary>
/// The build account's credentials standing for a service principal on the emulator, which has no service to make the
/// call: what they sign is what the service would send, with the confused-deputy keys it sets (aws:SourceAccount, and
/// aws:SourceArn when the service acts for a resource).
/// https://docs.aws.amazon.com/IAM/latest/UserGuide/confused-deputy.html
/// </summary>
public sealed class ServicePrincipalCredentials(AWSCredentials signer, string servicePrincipal, string sourceAccount, string? sourceArn) : AWSCredentials
{
    public string ServicePrincipal => servicePrincipal;

    public string SourceAccount => sourceAccount;

    public string? SourceArn => sourceArn;

    public override ImmutableCredentials GetCredentials() => signer.GetCredentials();

    public override Task<ImmutableCredentials> GetCredentialsAsync() => signer.GetCredentialsAsync();
}
