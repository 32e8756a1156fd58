namespace PipelineKit.Tests;

using System.Runtime.CompilerServices;
using PipelineKit.SampleApp;

/// <summary>
/// One sample-app package cache for the whole test run: every emulator collection works in its own snapshot of the
/// repository, and each would otherwise test and publish the same sample app again (tens of seconds of CPU each). Kits
/// started in process and child processes (./build.sh) inherit it; the folder goes with the test process.
/// </summary>
internal static class SharedPackageCache
{
    [ModuleInitializer]
    internal static void Initialize()
    {
        if (!string.IsNullOrEmpty(Environment.GetEnvironmentVariable(SamplePackageCache.DirectoryVariable))) return;
        var directory = Directory.CreateTempSubdirectory("pipelinekit-test-package-cache-").FullName;
        Environment.SetEnvironmentVariable(SamplePackageCache.DirectoryVariable, directory);
        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            try { Directory.Delete(directory, recursive: true); }
            catch (IOException) { }
            catch (UnauthorizedAccessException) { }
        };
    }
}
