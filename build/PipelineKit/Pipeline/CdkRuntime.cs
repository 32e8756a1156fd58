using Amazon.JSII.Runtime.Services;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;

namespace PipelineKit.Pipeline;

/// <summary>
/// The one door to the CDK. Amazon.CDK.Lib runs on JSII: one node process per .NET process, driven over a
/// single request/response pipe by a client that is not thread-safe. Two threads calling into any CDK type at
/// once (building a stack, a <c>Match</c>, an assertion <c>Template</c>) interleave on that pipe, and each reads
/// the other's answer; the symptom is an exception unrelated to either call, such as an
/// <see cref="ArgumentOutOfRangeException"/> with no parameter name. Every use of a CDK type therefore runs
/// inside <see cref="Run{T}(Func{T})"/>, which holds one process-wide gate (reentrant, so nested calls are fine).
/// <para>
/// On first use it also starts JSII with the kit's own service provider:
/// <list type="bullet">
/// <item>JSII's console logging is silenced (inside Cake it warns about every assembly it cannot scan), unless
/// <c>JSII_DEBUG</c> asks for it; errors still surface as exceptions;</item>
/// <item>the provider is disposed when the process exits, which deletes the CDK's tarballs (about 65 MB) that
/// JSII extracts into the temp folder on every start and would otherwise leave there.</item>
/// </list>
/// </para>
/// </summary>
public static class CdkRuntime
{
    private static readonly Lock Gate = new();

    private static readonly Lazy<ServiceProvider> Provider = new(() =>
    {
        var debug = !string.IsNullOrEmpty(System.Environment.GetEnvironmentVariable("JSII_DEBUG"));
        var provider = ServiceContainer.BuildServiceProvider(debug ? null : NullLoggerFactory.Instance);
        ServiceContainer.ServiceProviderOverride = provider;
        AppDomain.CurrentDomain.ProcessExit += (_, _) => provider.Dispose();
        return provider;
    }, LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>Runs <paramref name="work"/>, which may use any CDK type, while no other thread uses one.</summary>
    public static T Run<T>(Func<T> work)
    {
        ArgumentNullException.ThrowIfNull(work);
        lock (Gate)
        {
            _ = Provider.Value;
            return work();
        }
    }

    /// <inheritdoc cref="Run{T}(Func{T})"/>
    public static void Run(Action work)
    {
        ArgumentNullException.ThrowIfNull(work);
        Run(() =>
        {
            work();
            return true;
        });
    }
}
