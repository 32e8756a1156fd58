namespace PipelineKit.Configuration;

using System.Text.Json;

/// <summary>
/// What the kit knows about one kind of source before it has one: its <c>source.type</c>, the fields it takes and
/// how it reads them, and the names it gives values under elsewhere: the <c>when</c> condition and placeholders of
/// pipeline-calls.json, and the foundation's parameters. Each kind's record declares its own; <see cref="SourceKinds"/>
/// lists them.
/// </summary>
internal sealed class SourceKind(
    string type,
    IReadOnlyList<string> properties,
    IReadOnlyList<string> required,
    string traceCondition,
    IReadOnlyList<string> traceValueNames,
    IReadOnlyList<string> foundationParameterNames,
    Func<ConfigReader, JsonElement, SourceSettings?> read)
{
    /// <summary><c>source.type</c> in pipeline.json.</summary>
    public string Type { get; } = type;

    /// <summary>The fields of <c>source</c> this kind takes besides <c>type</c>; a field of another kind is an error.</summary>
    public IReadOnlyList<string> Properties { get; } = properties;

    /// <summary>Those of <see cref="Properties"/> that must be set.</summary>
    public IReadOnlyList<string> Required { get; } = required;

    /// <summary>The <c>when</c> of the pipeline-calls.json entries that apply to this kind of source only.</summary>
    public string TraceCondition { get; } = traceCondition;

    /// <summary>The pipeline-calls.json placeholders this kind gives values (<see cref="SourceSettings.TraceValues"/>).</summary>
    public IReadOnlyList<string> TraceValueNames { get; } = traceValueNames;

    /// <summary>The foundation parameters this kind sets (<see cref="SourceSettings.FoundationParameters"/>); the other
    /// kinds set them to "", so changing the kind of source clears them.</summary>
    public IReadOnlyList<string> FoundationParameterNames { get; } = foundationParameterNames;

    /// <summary>Reads the <c>source</c> object once <see cref="SourceSection"/> has checked its type and which fields it
    /// has; null when something was reported.</summary>
    public SourceSettings? Read(ConfigReader reader, JsonElement source) => read(reader, source);

    public override string ToString() => Type;
}
