namespace PipelineKit.LocalPipeline;

using Amazon.Runtime;
using PipelineKit.Errors;

/// <summary>Where an artifact of one execution lies: a zip in a region's artifact store, encrypted with the store's key.</summary>
/// <param name="Name">The artifact's name in the pipeline (BuildOutput).</param>
public sealed record ArtifactLocation(string Name, string Region, string Bucket, string Key, string? KeyArn);

/// <summary>
/// One action to run, as CodePipeline hands it over: the action as declared, its configuration with variables resolved,
/// its input artifacts already in its own region's store, and the credentials of its role, assumed by the pipeline's
/// role in the action's account.
/// </summary>
/// <param name="Configuration">The action's configuration with every <c>#{Namespace.Variable}</c> resolved.</param>
/// <param name="Inputs">The input artifacts, in the action's order, in the store of the action's region.</param>
/// <param name="Credentials">The action's role as the pipeline assumes it.</param>
/// <param name="SourceRevision">For a source action: the revision this execution runs (the S3 object's version id, the commit id).</param>
/// <param name="Log">The action's own output (a build's lines), one line per call: into the action's log file under artifacts/local-pipeline.</param>
public sealed record ActionRun(
    PipelineDefinition Pipeline,
    ActionDefinition Action,
    string ExecutionId,
    IReadOnlyDictionary<string, string> Configuration,
    IReadOnlyList<ArtifactLocation> Inputs,
    AWSCredentials Credentials,
    string? SourceRevision,
    Action<string> Log)
{
    /// <summary>The store of the action's region, where its outputs go.</summary>
    public ArtifactStoreDefinition Store => Pipeline.ArtifactStores.TryGetValue(Action.Region, out var store)
        ? store
        : throw new LocalPipelineException(ErrorCodes.LocalPipelineRefused.Code, $"{Action}: the pipeline has no artifact store in {Action.Region}.");
}

/// <summary>What a succeeded action produced.</summary>
/// <param name="Summary">One line for the run's output: "no changes", "3 files, 2 reports".</param>
/// <param name="Outputs">The output artifacts, in the action's store.</param>
/// <param name="Variables">Output variables, readable by later actions as <c>#{Namespace.Name}</c>.</param>
/// <param name="Revision">A source action's revision (object version id, commit id).</param>
public sealed record ActionOutcome(
    string? Summary,
    IReadOnlyList<ArtifactLocation> Outputs,
    IReadOnlyDictionary<string, string> Variables,
    string? Revision = null)
{
    public static ActionOutcome Done(string? summary) => new(summary, [], new Dictionary<string, string>());
}

/// <summary>Runs actions of the types it <see cref="Handles"/>. A failure is a <see cref="ActionFailedException"/>: the run
/// stops at its stage and reports its code and message as CodePipeline would report the action's error.</summary>
public interface IActionExecutor
{
    bool Handles(ActionType type);

    Task<ActionOutcome> RunAsync(ActionRun run, CancellationToken ct);
}

/// <summary>An action failed the way CodePipeline would record it: <see cref="ErrorCode"/> (JobFailed, ConfigurationError,
/// ...) and a message naming the cause.</summary>
public sealed class ActionFailedException(string errorCode, string message, Exception? inner = null) : Exception(message, inner)
{
    public string ErrorCode { get; } = errorCode;
}

/// <summary>The local pipeline cannot run: a template the runner refuses (an unsupported action type or configuration
/// field, by name), no emulator, no artifact store. Raised before any action runs, except NoArtifactStore.</summary>
public sealed class LocalPipelineException(string code, string message, string? nextStep = null, Exception? inner = null)
    : KitException(code, message, nextStep, inner);

/// <summary>The artifact stores of the pipeline's regions: every artifact is a zip, encrypted with its store's KMS key.</summary>
public interface IArtifactStore
{
    /// <summary>Puts <paramref name="zipFile"/> as <paramref name="artifactName"/> of execution <paramref name="executionId"/> into
    /// <paramref name="store"/>, as CodePipeline lays artifacts out (pipeline name / artifact name / object), SSE-KMS with its key.</summary>
    Task<ArtifactLocation> PutAsync(AWSCredentials credentials, ArtifactStoreDefinition store, string executionId, string artifactName,
        string zipFile, CancellationToken ct);

    /// <summary>Reads the artifact into <paramref name="zipFile"/>.</summary>
    Task GetAsync(AWSCredentials credentials, ArtifactLocation location, string zipFile, CancellationToken ct);
}
