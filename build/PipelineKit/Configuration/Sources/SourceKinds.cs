namespace PipelineKit.Configuration;

/// <summary>
/// Every kind of source the kit supports, in the order pipeline.schema.json lists them; the first is the default.
/// The only list that names them all: a new kind is its record in Configuration/Sources and one line here, then its
/// source action in the pipeline (PipelineSynthesizer.SourceAction), its entry in pipeline.schema.json and the calls
/// it makes in pipeline-calls.json (both tested against this list).
/// </summary>
internal static class SourceKinds
{
    public static IReadOnlyList<SourceKind> All { get; } =
    [
        S3Source.Definition,
        CodeStarConnectionSource.Definition,
        CodeCommitSource.Definition,
    ];

    /// <summary>The kind of a <c>source</c> without a <c>type</c>.</summary>
    public static SourceKind Default => All[0];

    /// <summary>The source of a pipeline.json without a <c>source</c> section.</summary>
    public static SourceSettings DefaultSource { get; } = new S3Source();

    public static IReadOnlyList<string> Types { get; } = All.Select(k => k.Type).ToArray();

    /// <summary>Every kind's fields, each once, in first-use order.</summary>
    public static IReadOnlyList<string> Properties { get; } = Distinct(All.SelectMany(k => k.Properties));

    public static IReadOnlyList<string> TraceConditions { get; } = All.Select(k => k.TraceCondition).ToArray();

    public static IReadOnlyList<string> TraceValueNames { get; } = Distinct(All.SelectMany(k => k.TraceValueNames));

    public static IReadOnlyList<string> FoundationParameterNames { get; } = Distinct(All.SelectMany(k => k.FoundationParameterNames));

    public static SourceKind? Find(string type) => All.FirstOrDefault(k => k.Type == type);

    private static string[] Distinct(IEnumerable<string> names) => names.Distinct(StringComparer.Ordinal).ToArray();
}
