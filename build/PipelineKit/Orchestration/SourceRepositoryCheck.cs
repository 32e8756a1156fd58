namespace PipelineKit.Orchestration;

using PipelineKit.Accounts;
using PipelineKit.Aws;
using PipelineKit.Configuration;
using PipelineKit.Messages;

/// <summary>
/// Before the source account's stack is deployed: the CodeCommit repository the pipeline will read must exist in the source
/// account and the build region. The stack names the repository only in ARNs, so CloudFormation deploys it over a
/// repository that is not there, and the pipeline would fail at its first run; this stops the run before anything is
/// changed, naming the field. On the emulator, with --sandbox, there is no repository of the user's: a missing one is created
/// there as the stand-in (on AWS the kit never creates the repository).
/// </summary>
public static class SourceRepositoryCheck
{
    /// <param name="sandbox">--sandbox: a missing repository is created on the emulator instead of refused.</param>
    public static async Task RunAsync(PipelineConfig config, AccountSessions sessions, IAwsClientFactory clients, bool sandbox,
        IKitMessages messages, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(sessions);
        ArgumentNullException.ThrowIfNull(clients);
        ArgumentNullException.ThrowIfNull(messages);
        if (FoundationPlan.SourceAccountOf(config) is not { } source) return;

        var session = await sessions.ForAccountAsync(source.Account, ct).ConfigureAwait(false);
        var codeCommit = clients.CodeCommit(session.Credentials, config.Build.Region);
        if (await codeCommit.GetRepositoryAsync(source.Repository, ct).ConfigureAwait(false) is not null) return;

        if (!sandbox)
        {
            throw new ConfigurationException(
            [
                new ConfigurationError(Path.GetFileName(config.SourceFile), "source.repository",
                    $"the CodeCommit repository \"{source.Repository}\" does not exist in account {source.Account}, region {config.Build.Region} " +
                    "(the build region, where the pipeline reads it); create it there, or name the repository and account that hold it"),
            ]);
        }

        var created = await codeCommit.CreateRepositoryAsync(source.Repository,
            $"The sandbox's stand-in for the {config.Name} pipeline's source repository", ct).ConfigureAwait(false);
        messages.Report(MessageCodes.SandboxRepositoryCreated,
            $"Sandbox: created the CodeCommit repository {created.Arn} on the emulator, standing in for yours (on AWS the repository must exist; the kit never creates it).");
    }
}
