namespace PipelineKit.Planning;

using PipelineKit.Accounts;
using PipelineKit.Aws;
using PipelineKit.Configuration;
using PipelineKit.Naming;

/// <summary>
/// The SecurityCheck target's wiring: the build credentials (the check project's role in CodeBuild) reach the environment's
/// account only through its change-set reader role, read-only; the pipeline and the topic are the build account's. Writes
/// the summary (CodeBuild exports it as SUMMARY) and the full diff under artifacts/security-check/.
/// </summary>
public static class SecurityCheckRun
{
    public const string Directory = "security-check";

    public static async Task<SecurityCheckResult> RunAsync(
        PipelineConfig config, string? environmentName, string? pipelineExecutionId, IAccountSessions sessions, IAwsClientFactory clients,
        string artifactsDirectory, TimeProvider time, CancellationToken ct)
    {
        var environment = Find(config, environmentName);
        var build = await sessions.BuildAsync(ct).ConfigureAwait(false);
        var reader = new AssumedRoleCredentials(
            new SecurityTokens(clients.SecurityTokenService(build.Credentials, config.Build.Region)),
            KitNames.ChangeSetReaderRoleArn(config.Partition, config.Name, environment.Account),
            $"pipelinekit-security-check-{environment.Name}");
        var check = new SecurityCheck(config, environment,
            clients.CloudFormation(reader, environment.Region),
            clients.CodePipeline(build.Credentials, config.Build.Region),
            clients.Sns(build.Credentials, config.Build.Region),
            time);
        var result = await check.RunAsync(pipelineExecutionId, ct).ConfigureAwait(false);

        var directory = Path.Combine(artifactsDirectory, Directory);
        System.IO.Directory.CreateDirectory(directory);
        await File.WriteAllTextAsync(Path.Combine(directory, "summary.txt"), result.Summary, ct).ConfigureAwait(false);
        await File.WriteAllTextAsync(Path.Combine(directory, $"{environment.Name}.diff.txt"), result.Diff, ct).ConfigureAwait(false);
        return result;
    }

    /// <summary>The environment --environment names, which must have a security gate.</summary>
    public static EnvironmentSettings Find(PipelineConfig config, string? environmentName)
    {
        var environment = config.Environments.FirstOrDefault(e => e.Name == environmentName);
        var problem = environmentName is null ? "is required: the environment whose change set to check"
            : environment is null ? $"\"{environmentName}\" is not an environment of {Path.GetFileName(config.SourceFile)} ({string.Join(", ", config.Environments.Select(e => e.Name))})"
            : !environment.HasSecurityCheck ? $"environment \"{environmentName}\" has \"securityApproval\": \"never\"; it has no security check"
            : null;
        if (problem is not null)
        {
            throw new ConfigurationException([new ConfigurationError(null, "--environment", problem)]);
        }

        return environment!;
    }
}
