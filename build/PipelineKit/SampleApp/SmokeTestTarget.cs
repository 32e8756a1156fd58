namespace PipelineKit.SampleApp;

using PipelineKit.Accounts;
using PipelineKit.Aws;
using PipelineKit.Configuration;
using PipelineKit.Errors;
using PipelineKit.Messages;
using PipelineKit.Reporting;

/// <summary>
/// The SmokeTest target: finds what to test in an environment, then runs the sample app's smoke test (<see cref="SampleSmokeTest"/>).
/// In the pipeline, the action's variables say it (no AWS call: the smoke-test project's role may write its logs only); from a
/// workstation, the app stack's outputs: artifacts/outputs.json (app:NAME), else the stack itself, read in its account.
/// </summary>
public static class SmokeTestTarget
{
    /// <summary>Reads the app stack of an environment (its account's session, its region); only when the other places say nothing.</summary>
    public delegate Task<IReadOnlyDictionary<string, string>?> StackOutputs(EnvironmentSettings environment, CancellationToken ct);

    public static async Task RunAsync(string repositoryRoot, string artifactsDirectory, PipelineConfig config, string? environmentName,
        Func<string, string?> variables, bool emulated, StackOutputs stackOutputs, IKitMessages messages, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(stackOutputs);
        var environment = SmokeTarget.Find(config, environmentName);
        var target = SmokeTarget.FromVariables(environment.Name, variables)
            ?? FromOutputsFile(config, environment, artifactsDirectory)
            ?? await FromStackAsync(config, environment, stackOutputs, ct).ConfigureAwait(false);
        await SampleSmokeTest.RunAsync(repositoryRoot, target, emulated, Path.Combine(artifactsDirectory, "smoke-test"), messages, ct).ConfigureAwait(false);
    }

    /// <summary>The stack's outputs, read with <paramref name="sessions"/> in the environment's account and region.</summary>
    public static StackOutputs FromAccounts(PipelineConfig config, IAccountSessions sessions, IAwsClientFactory clients) =>
        async (environment, ct) =>
        {
            var session = await sessions.ForAccountAsync(environment.Account, ct).ConfigureAwait(false);
            var stack = await clients.CloudFormation(session.Credentials, environment.Region)
                .DescribeStackAsync(SampleAppPlan.StackName(config, environment), ct).ConfigureAwait(false);
            return stack?.Outputs;
        };

    private static SmokeTarget? FromOutputsFile(PipelineConfig config, EnvironmentSettings environment, string artifactsDirectory)
    {
        var path = Path.Combine(artifactsDirectory, "outputs.json");
        var entry = OutputsFile.Read(path).GetValueOrDefault(SampleAppPlan.KeyPrefix + environment.Name);
        return entry is null || entry.StackName != SampleAppPlan.StackName(config, environment) || !entry.Outputs.ContainsKey("AppVersion")
            ? null
            : SmokeTarget.FromOutputs(environment.Name, entry.Outputs, expectedVersion: null,
                $"artifacts/outputs.json ({SampleAppPlan.KeyPrefix}{environment.Name}, the version deployed there)");
    }

    private static async Task<SmokeTarget> FromStackAsync(PipelineConfig config, EnvironmentSettings environment, StackOutputs stackOutputs,
        CancellationToken ct)
    {
        var stackName = SampleAppPlan.StackName(config, environment);
        var outputs = await stackOutputs(environment, ct).ConfigureAwait(false) ?? throw new KitRunFailedException(ErrorCodes.SmokeTestFailed,
            $"Smoke test of {environment.Name}: the app stack {stackName} does not exist in {environment.Account}/{environment.Region}; " +
            "deploy the sample app first: ./build.sh DeploySampleApp.");
        return SmokeTarget.FromOutputs(environment.Name, outputs, expectedVersion: null, $"the outputs of stack {stackName} (the version deployed there)");
    }
}
