namespace PipelineKit.Benchmarks;

using PipelineKit.Naming;
using PipelineKit.Orchestration;
using PipelineKit.Pipeline;

/// <summary>
/// The original bootstrap's seven phases with the AWS CLI (cli-bootstrap.sh beside this file): its inputs prepared in the
/// workspace (the parameters the kit gives each stack, and the pipeline's template, synthesized beforehand and not
/// timed: the script is timed on its deployments alone), then the script run as a whole process.
/// </summary>
public sealed class CliSequence(string root, EmulatorWorkspace workspace)
{
    public string Script => Path.Combine(root, "build", "PipelineKit.Benchmarks", "cli-bootstrap.sh");

    public void Prepare()
    {
        var config = workspace.Config;
        var dir = workspace.Directory;
        var keys = config.Regions.ToDictionary(r => r, r => $"arn:aws:kms:{r}:{config.Build.Account}:key/{r}-artifacts", StringComparer.Ordinal);
        var outputs = FoundationOutputs.FromNames(config, keys, $"arn:aws:kms:{config.Build.Region}:{config.Build.Account}:key/notifications");
        File.WriteAllText(Path.Combine(dir, "pipeline.template"),
            SynthesisCache.TemplateBody(config, outputs, Path.Combine(dir, "synth"), Environment.GetEnvironmentVariable));
        var deployments = new FoundationDeployments(config, _ => "");
        WriteParameters("primary", deployments.Foundation(config.Build.Region).Parameters);
        foreach (var region in config.ExtraRegions) WriteParameters("regional-" + region, deployments.Foundation(region).Parameters);
        foreach (var account in config.TargetAccounts) WriteParameters("roles-" + account.AccountId, deployments.TargetRoles(account).Parameters);
        File.WriteAllLines(Path.Combine(dir, "settings.sh"),
        [
            $"NAME={config.Name}",
            $"BUILD_ACCOUNT={config.Build.Account}",
            $"BUILD_REGION={config.Build.Region}",
            $"ASSUME_ROLE={config.AssumeRoleName}",
            $"ACCOUNTS=({string.Join(' ', config.TargetAccounts.Select(a => a.AccountId))})",
            $"EXTRA_REGIONS=({string.Join(' ', config.ExtraRegions)})",
            $"SOURCE_BUCKET={KitNames.SourceBucket(config)}",
            $"PIPELINE_ROLE_ARN={KitNames.RoleArn(config.Partition, config.Build.Account, KitNames.PipelineExecutionRole(config.Name))}",
        ]);

        void WriteParameters(string file, IReadOnlyDictionary<string, string> parameters) =>
            File.WriteAllLines(Path.Combine(dir, file + ".params"), parameters.Select(p => $"{p.Key}={p.Value}"));
    }

    public Task<TimedProcess> RunAsync() =>
        ProcessTimer.RunAsync("bash", [Script, workspace.Directory, root], root,
            new Dictionary<string, string>(workspace.Environment) { ["AWS_PROFILE"] = EmulatorWorkspace.Profile },
            TimeSpan.FromMinutes(15));
}
