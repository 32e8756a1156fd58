namespace PipelineKit.Tests.Sandbox;

using PipelineKit.Sandbox;

/// <summary>Starting and stopping the emulator itself, so each test has its own server.</summary>
public sealed class MotoServerTests
{
    [Fact]
    public async Task Launcher_LiesInAPrivateDirectoryWithARandomName_AndGoesWithTheServer()
    {
        var moto = await MotoServer.StartAsync();
        string? directory;
        try
        {
            directory = moto.ScriptDirectory;
            if (moto.Warning is not null)
            {
                // python3 cannot import moto here: plain moto_server runs and no script is written.
                Assert.Null(directory);
                return;
            }

            Assert.NotNull(directory);
            Assert.True(File.Exists(Path.Combine(directory, "moto_sandbox.py")));
            if (!OperatingSystem.IsWindows())
            {
                Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(directory));
            }
        }
        finally
        {
            await moto.DisposeAsync();
        }

        Assert.False(Directory.Exists(directory));
    }
}
