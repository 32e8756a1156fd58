namespace PipelineKit.SampleApp;

using PipelineKit.Configuration;

/// <summary>The environment a Rollback names (--environment), checked before any AWS call.</summary>
public static class RollbackEnvironment
{
    public static EnvironmentSettings Find(PipelineConfig config, string? environmentName)
    {
        ArgumentNullException.ThrowIfNull(config);
        var environment = config.Environments.FirstOrDefault(e => e.Name == environmentName);
        if (environment is not null) return environment;
        throw new ConfigurationException([new ConfigurationError(null, "--environment", environmentName is null
            ? "is required: the environment to roll back to its previous deployment"
            : $"\"{environmentName}\" is not an environment of {Path.GetFileName(config.SourceFile)} ({string.Join(", ", config.Environments.Select(e => e.Name))})")]);
    }
}
