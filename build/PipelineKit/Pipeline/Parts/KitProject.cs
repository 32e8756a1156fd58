namespace PipelineKit.Pipeline.Parts;

using Amazon.CDK;
using Amazon.CDK.AWS.CodeBuild;
using Amazon.CDK.AWS.IAM;
using Constructs;
using PipelineKit.Configuration;
using PipelineKit.Naming;

/// <summary>What distinguishes one of the pipeline's own CodeBuild projects (self-update, security check): construct ids,
/// names, descriptions, buildspec and size.</summary>
internal sealed record KitProjectSpec(
    string Id,
    string ProjectName,
    string RoleName,
    string RoleDescription,
    string ProjectDescription,
    string BuildSpecPath,
    ComputeType ComputeType,
    Duration Timeout);

/// <summary>A CodeBuild project of the pipeline with a role of its own that only CodeBuild, for this project, may assume,
/// the artifact key for its output, and a log group that expires. Constructs are made role, project, log group, in
/// that order, so the template does not change with the part that asks for one.</summary>
internal static class KitProject
{
    public static Role Add(Construct scope, PipelineConfig config, ArtifactStores stores, KitProjectSpec spec)
    {
        var account = config.Build.Account;
        var role = new Role(scope, spec.Id + "Role", new RoleProps
        {
            RoleName = spec.RoleName,
            AssumedBy = PipelineRoles.ServiceFor("codebuild.amazonaws.com", account,
                Partitions.Arn("codebuild", config.Build.Region, account, $"project/{spec.ProjectName}")),
            Description = spec.RoleDescription,
        });
        _ = new PipelineProject(scope, spec.Id + "Project", new PipelineProjectProps
        {
            ProjectName = spec.ProjectName,
            Description = spec.ProjectDescription,
            Role = role,
            BuildSpec = BuildSpec.FromSourceFilename(spec.BuildSpecPath),
            EncryptionKey = stores.PrimaryKey,
            Environment = new BuildEnvironment { BuildImage = LinuxBuildImage.STANDARD_7_0, ComputeType = spec.ComputeType },
            Timeout = spec.Timeout,
        });
        ProjectLogGroup.Add(scope, spec.Id + "Logs", spec.ProjectName);
        return role;
    }
}
