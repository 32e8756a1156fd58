namespace PipelineKit.Configuration;

/// <summary>
/// Where the pipeline's source comes from: one sealed record per kind, each in its own file here, all listed in
/// <see cref="SourceKinds.All"/>. A kind owns what differs between sources: its fields in pipeline.json and their
/// checks, what DeploySampleApp does with it, and the values the foundation and the permission trace take from it.
/// Code elsewhere asks these members rather than comparing <see cref="Type"/>; only what must be built per kind (the
/// pipeline's source action) switches on the record type.
/// </summary>
public abstract record SourceSettings
{
    private static readonly IReadOnlyDictionary<string, string?> NoValues = new Dictionary<string, string?>();

    /// <summary><c>source.type</c> in pipeline.json.</summary>
    public string Type => Kind.Type;

    /// <summary>The key in the source bucket that DeploySampleApp uploads the repository to, as a zip; null when the
    /// pipeline reads a repository that the user pushes to.</summary>
    public virtual string? UploadObjectKey => null;

    /// <summary>For a source the kit does not upload: what DeploySampleApp tells the user to do to start the pipeline.</summary>
    public string? PushHint => PushTarget is { } target
        ? $"the pipeline's source is {Type}, not an upload: commit and push to {target}; the pipeline starts on the push."
        : null;

    /// <summary>What the kit knows of this kind of source. Internal and abstract, so no kind is defined outside the kit.</summary>
    internal abstract SourceKind Kind { get; }

    /// <summary>Values of the pipeline-calls.json placeholders in <see cref="SourceKind.TraceValueNames"/>.</summary>
    internal virtual IReadOnlyDictionary<string, string?> TraceValues => NoValues;

    /// <summary>Values of the foundation parameters in <see cref="SourceKind.FoundationParameterNames"/>.</summary>
    internal virtual IReadOnlyDictionary<string, string?> FoundationParameters => NoValues;

    /// <summary>The repository and branch to push to, as the user knows them; null for a source the kit uploads.</summary>
    private protected virtual string? PushTarget => null;
}
