namespace PipelineKit.Tests.Integration;

using PipelineKit.Orchestration;

/// <summary>A workspace whose pipeline BootstrapAll deployed once for a test class (a class fixture): the first test to ask
/// creates and bootstraps it, the others wait and share it. A subclass says which workspace (<see cref="Create"/>).</summary>
public abstract class BootstrappedOnce : IDisposable
{
    private readonly SemaphoreSlim gate = new(1, 1);
    private KitWorkspace? workspace;

    /// <summary>The workspace to bootstrap, configured; not yet run.</summary>
    protected abstract KitWorkspace Create(MotoFixture moto);

    public async Task<KitWorkspace> ReadyAsync(MotoFixture moto)
    {
        await gate.WaitAsync();
        try
        {
            if (workspace is not null) return workspace;
            var created = Create(moto);
            var (_, results) = await created.Run(KitTarget.BootstrapAll);
            Assert.All(results.Values, r => Assert.True(r.Succeeded, r.Error));
            return workspace = created;
        }
        finally
        {
            gate.Release();
        }
    }

    public void Dispose()
    {
        workspace?.Dispose();
        gate.Dispose();
        GC.SuppressFinalize(this);
    }
}
