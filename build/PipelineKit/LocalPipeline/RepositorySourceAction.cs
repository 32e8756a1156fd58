namespace PipelineKit.LocalPipeline;

using PipelineKit.Pipeline;

/// <summary>
/// The repository source actions (CodeStarSourceConnection, CodeCommit) without the repository: the local checkout stands in
/// for it, and the action says so in its summary. The output artifact is the zip the S3 source would carry
/// (<see cref="SourceUpload.CreateArchiveAsync"/>: <c>git archive HEAD</c>, committed files only), the revision the HEAD commit
/// id, and the output variables those the action references document: for CodeStarSourceConnection AuthorDate, BranchName,
/// CommitId, CommitMessage, ConnectionArn, FullRepositoryName; for CodeCommit AuthorDate, BranchName, CommitId, CommitMessage,
/// CommitterDate, RepositoryName. The git-clone output format (CODEBUILD_CLONE_REF) is refused by name: there is no repository
/// to clone.
/// </summary>
/// <param name="repositoryRoot">The local git checkout that stands in for the repository.</param>
/// <param name="artifacts">Where the output artifact goes.</param>
public sealed class RepositorySourceAction(string repositoryRoot, IArtifactStore artifacts) : IActionExecutor
{
    public bool Handles(ActionType type) => type == ActionType.CodeStarSource || type == ActionType.CodeCommitSource;

    public async Task<ActionOutcome> RunAsync(ActionRun run, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(run);
        var codeStar = run.Action.Type == ActionType.CodeStarSource;
        var repository = Setting(run, codeStar ? "FullRepositoryId" : "RepositoryName");
        var branch = Setting(run, "BranchName");
        if (run.Configuration.TryGetValue("OutputArtifactFormat", out var format) && format == "CODEBUILD_CLONE_REF")
        {
            throw new ActionFailedException("ConfigurationError",
                $"{run.Action}: OutputArtifactFormat CODEBUILD_CLONE_REF is not supported by the local pipeline run (there is no repository to clone); use CODE_ZIP.");
        }

        if (run.Action.OutputArtifacts is not [var output])
        {
            throw new ActionFailedException("ConfigurationError", $"{run.Action}: a source action has exactly one output artifact.");
        }

        var commit = await CommitAsync(ct).ConfigureAwait(false);
        var (zip, _, warning) = await SourceUpload.CreateArchiveAsync(repositoryRoot, ct).ConfigureAwait(false);
        if (warning is not null) run.Log(warning);

        var file = Path.Combine(Path.GetTempPath(), $"pipelinekit-source-{Guid.NewGuid():N}.zip");
        try
        {
            await File.WriteAllBytesAsync(file, zip, ct).ConfigureAwait(false);
            var location = await artifacts.PutAsync(run.Credentials, run.Store, run.ExecutionId, output, file, ct).ConfigureAwait(false);
            var variables = new Dictionary<string, string>
            {
                ["AuthorDate"] = commit.AuthorDate,
                ["BranchName"] = branch,
                ["CommitId"] = commit.Id,
                ["CommitMessage"] = commit.Message,
            };
            if (codeStar)
            {
                variables["ConnectionArn"] = run.Configuration.GetValueOrDefault("ConnectionArn", "");
                variables["FullRepositoryName"] = repository;
            }
            else
            {
                variables["CommitterDate"] = commit.CommitterDate;
                variables["RepositoryName"] = repository;
            }

            return new ActionOutcome($"the local checkout's HEAD {commit.Id} stands in for {repository}@{branch}", [location], variables, commit.Id);
        }
        finally
        {
            File.Delete(file);
        }
    }

    private sealed record Commit(string Id, string AuthorDate, string CommitterDate, string Message);

    /// <summary>The checkout's HEAD commit id: the revision a new execution runs; null outside a git checkout with a commit.</summary>
    public static async Task<string?> HeadAsync(string repositoryRoot, CancellationToken ct)
    {
        var (code, output) = await SourceUpload.GitAsync(repositoryRoot, ct, "rev-parse", "HEAD").ConfigureAwait(false);
        return code == 0 ? output.Trim() : null;
    }

    /// <summary>HEAD's id, dates (ISO 8601) and message.</summary>
    private async Task<Commit> CommitAsync(CancellationToken ct)
    {
        // One field a line but the message, which is the rest (it may span lines).
        var (code, output) = await SourceUpload.GitAsync(repositoryRoot, ct, "log", "-1", "--format=%H%n%aI%n%cI%n%B").ConfigureAwait(false);
        var lines = output.Split('\n', 4);
        if (code != 0 || lines.Length < 3)
        {
            throw new ActionFailedException("ConfigurationError",
                $"{Path.GetFullPath(repositoryRoot)} is not a git checkout with a commit: the local pipeline run's repository source is the checkout's HEAD.");
        }

        return new Commit(lines[0].Trim(), lines[1].Trim(), lines[2].Trim(), lines.Length > 3 ? lines[3].Trim() : "");
    }

    private static string Setting(ActionRun run, string field) =>
        run.Configuration.TryGetValue(field, out var value) && !string.IsNullOrWhiteSpace(value)
            ? value
            : throw new ActionFailedException("ConfigurationError", $"{run.Action}: the source action's {field} is required and not set.");
}
