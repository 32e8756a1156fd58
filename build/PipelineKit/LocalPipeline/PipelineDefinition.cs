namespace PipelineKit.LocalPipeline;

/// <summary>
/// The synthesized pipeline as the local runner executes it: read from the pipeline stack's template (its
/// <c>AWS::CodePipeline::Pipeline</c> resource and the <c>AWS::CodeBuild::Project</c>s its actions name), never from
/// pipeline.json, so what runs locally is what CloudFormation would create. See <see cref="PipelineDefinitionReader"/>.
/// </summary>
/// <param name="Account">The build account, where the pipeline stack lives.</param>
/// <param name="Region">The pipeline's region (the build region).</param>
/// <param name="RoleArn">The pipeline's service role.</param>
/// <param name="ArtifactStores">One artifact store per region the pipeline acts in, by region.</param>
/// <param name="Projects">The CodeBuild projects the build actions name, by project name.</param>
public sealed record PipelineDefinition(
    string Name,
    string Account,
    string Region,
    string RoleArn,
    IReadOnlyDictionary<string, ArtifactStoreDefinition> ArtifactStores,
    IReadOnlyList<StageDefinition> Stages,
    IReadOnlyDictionary<string, BuildProjectDefinition> Projects);

/// <summary>A region's artifact store: the bucket and the KMS key artifacts are encrypted with (null: the bucket's default).</summary>
public sealed record ArtifactStoreDefinition(string Region, string Bucket, string? KeyArn);

/// <param name="OnFailure">The stage's OnFailure result ("ROLLBACK", "FAIL", "RETRY"), when the template sets one.</param>
public sealed record StageDefinition(string Name, IReadOnlyList<ActionDefinition> Actions, string? OnFailure = null);

/// <summary>An action's type as CodePipeline names it: Category, Owner, Provider, Version.</summary>
public sealed record ActionType(string Category, string Owner, string Provider, string Version)
{
    public static readonly ActionType S3Source = new("Source", "AWS", "S3", "1");
    public static readonly ActionType CodeStarSource = new("Source", "AWS", "CodeStarSourceConnection", "1");
    public static readonly ActionType CodeCommitSource = new("Source", "AWS", "CodeCommit", "1");
    public static readonly ActionType CodeBuild = new("Build", "AWS", "CodeBuild", "1");
    public static readonly ActionType CloudFormation = new("Deploy", "AWS", "CloudFormation", "1");
    public static readonly ActionType ManualApproval = new("Approval", "AWS", "Manual", "1");

    public override string ToString() => $"{Category}/{Owner}/{Provider}/{Version}";
}

/// <summary>One action of a stage, with its intrinsic functions resolved (role ARNs are ARNs).</summary>
/// <param name="Region">Where the action runs: its Region, else the pipeline's.</param>
/// <param name="RoleArn">The role the pipeline assumes to run the action; the pipeline's own role when the action names none.</param>
/// <param name="Namespace">The namespace of its output variables (<c>#{Namespace.Variable}</c>), if any.</param>
/// <param name="Configuration">The action's configuration, values as strings, unresolved variables (<c>#{...}</c>) left in.</param>
public sealed record ActionDefinition(
    string Stage,
    string Name,
    ActionType Type,
    int RunOrder,
    string Region,
    string RoleArn,
    string? Namespace,
    IReadOnlyDictionary<string, string> Configuration,
    IReadOnlyList<string> InputArtifacts,
    IReadOnlyList<string> OutputArtifacts)
{
    /// <summary>The action's own TimeoutInMinutes, when the template sets one (a manual approval's wait).</summary>
    public int? TimeoutInMinutes { get; init; }

    /// <summary>The account the action acts in: its role's.</summary>
    public string Account => RoleArn.Split(':') is [_, _, _, _, var account, ..] ? account : "";

    public override string ToString() => $"{Stage} {Name}";
}

/// <summary>A CodeBuild project as the template declares it.</summary>
/// <param name="BuildSpec">The buildspec: a path inside the source (buildspecs/buildspec.yml) or the buildspec itself, inline.</param>
/// <param name="ServiceRoleArn">The project's role: the build runs with its credentials.</param>
/// <param name="EncryptionKey">The KMS key of the project's output artifacts, when the template sets one.</param>
public sealed record BuildProjectDefinition(
    string Name,
    string BuildSpec,
    string ServiceRoleArn,
    IReadOnlyList<BuildVariable> EnvironmentVariables,
    int TimeoutInMinutes,
    string? EncryptionKey);

/// <summary>An environment variable of a project or a build action. Type: PLAINTEXT, PARAMETER_STORE or SECRETS_MANAGER.</summary>
public sealed record BuildVariable(string Name, string Value, string Type = "PLAINTEXT");
