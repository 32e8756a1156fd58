namespace PipelineKit.Configuration;

using System.Text.Json;

/// <summary>S3 (the default): a zip of the repository in the build account's source bucket, which DeploySampleApp
/// uploads and the pipeline polls for new versions.</summary>
/// <param name="ObjectKey">The zip's key in the source bucket.</param>
public sealed record S3Source(string ObjectKey = S3Source.DefaultObjectKey) : SourceSettings
{
    public const string DefaultObjectKey = "source.zip";

    /// <summary>Keys the kit keeps for itself in the source bucket (the run lock): the pipeline's roles may write there, so
    /// a source object under it could be replaced by code running in the build.</summary>
    public const string ReservedPrefix = "pipelinekit/";

    internal static SourceKind Definition { get; } = new(
        type: "S3",
        properties: ["objectKey"],
        required: [],
        traceCondition: "s3Source",
        traceValueNames: ["objectKey"],
        foundationParameterNames: [],
        read: Read);

    public override string? UploadObjectKey => ObjectKey;

    internal override SourceKind Kind => Definition;

    internal override IReadOnlyDictionary<string, string?> TraceValues =>
        new Dictionary<string, string?>(StringComparer.Ordinal) { ["objectKey"] = ObjectKey };

    private static S3Source Read(ConfigReader reader, JsonElement source)
    {
        var objectKey = reader.OptionalString(source, SourceSection.Path, "objectKey") ?? DefaultObjectKey;
        if (objectKey.Length is 0 or > 1024)
        {
            reader.Error("source.objectKey", "must be an S3 object key of 1 to 1024 characters");
        }
        else if (objectKey.StartsWith(ReservedPrefix, StringComparison.Ordinal))
        {
            reader.Error("source.objectKey", $"\"{objectKey}\" is under {ReservedPrefix}, which the kit keeps for its run lock; choose another key");
        }

        return new S3Source(objectKey);
    }
}
