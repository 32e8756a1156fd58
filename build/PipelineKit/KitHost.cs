namespace PipelineKit;

using PipelineKit.Orchestration;



/// <summary>The kit's entry point for build.cake, the buildspecs and the tests.</summary>
public sealed class KitHost : IDisposable
{
    public static KitHost Create(string repositoryRoot, Func<string, string?> argument, Func<string, string?> environment)
        => throw new NotImplementedException();

    public void Run(KitTarget target) => throw new NotImplementedException();

    public void Test() => throw new NotImplementedException();

    public void Dispose() { }
}
