namespace PipelineKit.Benchmarks;

/// <summary>A file put back as it was (or removed, when it did not exist) when disposed.</summary>
public sealed class KeptFile : IDisposable
{
    private readonly string path;
    private readonly byte[]? content;

    public KeptFile(string path)
    {
        this.path = path;
        content = File.Exists(path) ? File.ReadAllBytes(path) : null;
    }

    public void Dispose()
    {
        if (content is not null) File.WriteAllBytes(path, content);
        else if (File.Exists(path)) File.Delete(path);
    }
}
