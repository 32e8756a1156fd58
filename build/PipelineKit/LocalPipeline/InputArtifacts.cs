namespace PipelineKit.LocalPipeline;

using System.IO.Compression;

/// <summary>A file inside an input artifact, as the CloudFormation action's TemplatePath and TemplateConfiguration name it:
/// <c>ArtifactName::path/inside/the/zip</c> (https://docs.aws.amazon.com/codepipeline/latest/userguide/action-reference-CloudFormation.html).</summary>
public sealed record ArtifactPath(string Artifact, string Path)
{
    /// <summary>Reads <paramref name="value"/> of the configuration field <paramref name="field"/>; a value without an artifact
    /// name, a <c>::</c> or a file name is a ConfigurationError naming the field.</summary>
    public static ArtifactPath Parse(string field, string value)
    {
        var separator = value.IndexOf("::", StringComparison.Ordinal);
        var artifact = separator > 0 ? value[..separator].Trim() : "";
        var path = separator > 0 ? value[(separator + 2)..].Trim().TrimStart('/') : "";
        if (artifact.Length == 0 || path.Length == 0)
        {
            throw new ActionFailedException("ConfigurationError",
                $"{field} '{value}' is not of the form ArtifactName::path/inside/the/artifact (e.g. BuildOutput::template.yaml).");
        }

        return new ArtifactPath(artifact, path);
    }

    public override string ToString() => $"{Artifact}::{Path}";
}

/// <summary>The input artifacts of one action run, downloaded once each with the action's credentials into a folder that
/// is deleted with this object.</summary>
internal sealed class InputArtifacts(IArtifactStore store, ActionRun run) : IDisposable
{
    private readonly string folder = Directory.CreateTempSubdirectory("pipelinekit-inputs-").FullName;
    private readonly Dictionary<string, string> downloaded = new(StringComparer.Ordinal);

    /// <summary>The location of the input artifact named <paramref name="name"/>; a ConfigurationError when the action has no
    /// such input (<paramref name="field"/> names what asked for it).</summary>
    public ArtifactLocation Find(string name, string field) =>
        run.Inputs.FirstOrDefault(input => input.Name == name)
        ?? throw new ActionFailedException("ConfigurationError",
            $"{field} names the artifact {name}, which is not an input artifact of {run.Action} " +
            $"(its inputs: {(run.Inputs.Count == 0 ? "none" : string.Join(", ", run.Inputs.Select(i => i.Name)))}).");

    /// <summary>The text of a file inside an input artifact.</summary>
    public async Task<string> ReadTextAsync(ArtifactPath path, string field, CancellationToken ct)
    {
        var zip = await DownloadAsync(Find(path.Artifact, field), ct).ConfigureAwait(false);
        using var archive = ZipFile.OpenRead(zip);
        var entry = archive.GetEntry(path.Path) ?? archive.Entries.FirstOrDefault(e => e.FullName.Replace('\\', '/') == path.Path);
        if (entry is null)
        {
            throw new ActionFailedException("JobFailed", $"{field}: the artifact {path.Artifact} has no file {path.Path}.");
        }

        using var reader = new StreamReader(entry.Open());
        return await reader.ReadToEndAsync(ct).ConfigureAwait(false);
    }

    private async Task<string> DownloadAsync(ArtifactLocation location, CancellationToken ct)
    {
        if (downloaded.TryGetValue(location.Name, out var file)) return file;
        file = System.IO.Path.Combine(folder, $"{downloaded.Count}.zip");
        await store.GetAsync(run.Credentials, location, file, ct).ConfigureAwait(false);
        try
        {
            using (ZipFile.OpenRead(file))
            {
            }
        }
        catch (InvalidDataException e)
        {
            throw new ActionFailedException("JobFailed", $"The input artifact {location.Name} (s3://{location.Bucket}/{location.Key}) is not a zip file.", e);
        }

        downloaded[location.Name] = file;
        return file;
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(folder, recursive: true);
        }
        catch (IOException)
        {
            // a leftover temporary folder is harmless
        }
    }
}
