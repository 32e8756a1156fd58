namespace PipelineKit.Configuration;

using PipelineKit.Messages;

/// <summary>
/// Which configuration a run uses, and which profiles in it apply: the bundled sandbox configuration for --sandbox,
/// else the file, with --profile over build.profile. In the pipeline's CodeBuild projects the build account is the
/// project's role (container credentials) and the file's profiles name a workstation's, which do not exist there:
/// build.profile is set aside, unless --profile names one.
/// </summary>
/// <param name="profile">The --profile option.</param>
/// <param name="environment">The process environment, passed in so tests feed it.</param>
public sealed class PipelineConfigSource(
    string configPath, bool sandbox, string? profile, Func<string, string?> environment, IKitMessages messages)
{
    /// <summary>CodeBuild sets CODEBUILD_BUILD_ID in every build (https://docs.aws.amazon.com/codebuild/latest/userguide/build-env-ref-env-vars.html).</summary>
    public bool InCodeBuild => !string.IsNullOrEmpty(environment("CODEBUILD_BUILD_ID"));

    /// <param name="needsCredentials">False for targets that make no AWS call (Package): profiles named in the file are then
    /// not required to exist, so packaging works in CodeBuild and on machines without the deploy profiles.</param>
    public PipelineConfig Load(bool needsCredentials = true)
    {
        if (sandbox) return PipelineConfigLoader.LoadSandbox();
        if (!InCodeBuild || profile is not null)
        {
            return PipelineConfigLoader.Load(configPath, needsCredentials
                ? ConfigContext.FromSharedProfiles(profile, environment)
                : new ConfigContext(_ => true, profile));
        }

        var config = PipelineConfigLoader.Load(configPath, new ConfigContext(_ => true));
        if (config.Build.Profile is null) return config;
        if (needsCredentials)
        {
            messages.Report(MessageCodes.CodeBuildProfileSetAside,
                $"CodeBuild: the build account is reached with the project's role; build.profile \"{config.Build.Profile}\" is left aside.");
        }

        return config with { Build = config.Build with { Profile = null } };
    }
}
