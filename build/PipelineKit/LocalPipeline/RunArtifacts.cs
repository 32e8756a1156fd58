namespace PipelineKit.LocalPipeline;

using System.Collections.Concurrent;

/// <summary>
/// The artifacts of one execution: where each was produced, and its copies in other regions. An action reads its inputs
/// from its own region's store; when an artifact was produced elsewhere, the pipeline's role copies it there first, once
/// per region, as CodePipeline replicates artifacts to the artifact store of every region it acts in. Also the folder of
/// the execution's action logs.
/// </summary>
internal sealed class RunArtifacts(PipelineDefinition pipeline, IArtifactStore store, ILocalRoles roles, string executionId, string logDirectory)
{
    private readonly ConcurrentDictionary<string, ArtifactLocation> produced = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<(string Name, string Region), Lazy<Task<ArtifactLocation>>> copies = new();

    public void Produced(ArtifactLocation artifact) => produced[artifact.Name] = artifact;

    public Task<ArtifactLocation> InRegionAsync(string name, string region, CancellationToken ct)
    {
        if (!produced.TryGetValue(name, out var artifact))
        {
            throw new ActionFailedException("ConfigurationError", $"The input artifact {name} was not produced by an earlier action of this execution.");
        }

        if (artifact.Region == region) return Task.FromResult(artifact);
        return copies.GetOrAdd((name, region), key => new Lazy<Task<ArtifactLocation>>(() => CopyAsync(artifact, key.Region, ct))).Value;
    }

    private async Task<ArtifactLocation> CopyAsync(ArtifactLocation artifact, string region, CancellationToken ct)
    {
        var target = pipeline.ArtifactStores.TryGetValue(region, out var regional) ? regional
            : throw new ActionFailedException("ConfigurationError", $"The pipeline has no artifact store in {region}.");
        var file = Path.Combine(Path.GetTempPath(), $"pipelinekit-artifact-{Guid.NewGuid():N}.zip");
        try
        {
            await store.GetAsync(roles.Pipeline, artifact, file, ct).ConfigureAwait(false);
            return await store.PutAsync(roles.Pipeline, target, executionId, artifact.Name, file, ct).ConfigureAwait(false);
        }
        finally
        {
            File.Delete(file);
        }
    }

    /// <summary>The action's log file: artifacts/local-pipeline/logs/&lt;execution&gt;/&lt;stage&gt;.&lt;action&gt;.log.</summary>
    public StreamWriter OpenLog(ActionDefinition action)
    {
        Directory.CreateDirectory(logDirectory);
        return new StreamWriter(WorkPath.Under(logDirectory, $"{action.Stage}.{action.Name}.log"), append: true) { AutoFlush = true };
    }
}
